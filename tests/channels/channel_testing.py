"""What the channel tests share: a gateway that signs like the operators' do, and the log."""

import hashlib
import hmac
import json
import secrets
import urllib.parse

from sqlalchemy import func, select

from server import clock, inquiries
from server.extensions import db
from server.models import Inquiry

SECRET = "gateway-test-secret"


def sign(timestamp: str, nonce: str, body: bytes, secret: str = SECRET) -> str:
    """What the gateway puts in X-Signature: hex HMAC-SHA256 of `timestamp.nonce.body`."""
    message = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def app_timestamp(app) -> str:
    """The app's clock (which tests may move) as Unix seconds, as a gateway's clock would be."""
    with app.app_context():
        return str(int(clock.now().timestamp()))


def signed(
    app,
    body: bytes,
    secret: str = SECRET,
    *,
    timestamp: str | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The three headers a gateway sends with a body: X-Timestamp, X-Nonce, X-Signature."""
    timestamp = app_timestamp(app) if timestamp is None else timestamp
    nonce = secrets.token_urlsafe(24) if nonce is None else nonce
    return {
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": sign(timestamp, nonce, body, secret),
    }


class Gateway:
    """An operator's USSD gateway and SMS provider: signs and posts like them."""

    def __init__(self, app, client) -> None:
        self.app = app
        self.client = client
        self._earlier = len(self._sms_file())  # the app's SMS file outlives a test

    def ussd(self, phone: str, text: str, *, service_code: str = "*1420*4#", **headers):
        """One USSD step: all inputs so far, `*`-joined."""
        form = {"sessionId": "ATUid_1", "phoneNumber": phone, "serviceCode": service_code,
                "text": text}  # fmt: skip
        body = urllib.parse.urlencode(form).encode()
        headers = {**signed(self.app, body), **headers}
        return self.client.post(
            "/api/ussd", data=body, content_type="application/x-www-form-urlencoded",
            headers=headers,
        )  # fmt: skip

    def page(self, phone: str, text: str, **options) -> str:
        """The page a USSD step shows (with its CON/END prefix), asserting a 200 plain answer."""
        response = self.ussd(phone, text, **options)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/plain"
        return response.get_data(as_text=True)

    def session(self, phone: str, *inputs: str, **options) -> list[str]:
        """A whole session as a phone makes it: the menu, then one call per input."""
        return [self.page(phone, "*".join(inputs[:n]), **options) for n in range(len(inputs) + 1)]

    def sms(self, sender: str, text: str, **headers):
        """An inbound SMS, as the provider forwards it."""
        body = json.dumps({"from": sender, "text": text}, ensure_ascii=False).encode()
        headers = {**signed(self.app, body), **headers}
        return self.client.post(
            "/api/sms/inbound", data=body, content_type="application/json", headers=headers
        )

    def sent(self) -> list[dict]:
        """The messages the file backend wrote during this test, oldest first."""
        return self._sms_file()[self._earlier :]

    def _sms_file(self) -> list[dict]:
        """Every message in the app's SMS file."""
        path = self.app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
        try:
            with open(path, encoding="utf-8") as stream:
                return [json.loads(line) for line in stream.read().splitlines()]
        except FileNotFoundError:
            return []


def make_token(runner, kind: str) -> str:
    """A provider's token of a kind."""
    result = runner.invoke(args=["darman", "provider", "create", f"مرکز {kind}", "--kind", kind])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def inquiries_logged(app, **where) -> list[Inquiry]:
    """The logged inquiries, optionally filtered by column values."""
    with app.app_context():
        statement = select(Inquiry).filter_by(**where).order_by(Inquiry.id)
        rows = db.session.execute(statement).scalars().all()
        db.session.expunge_all()
        return rows


def inquiry_count(app) -> int:
    """How many inquiries are logged."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Inquiry))


class Draws:
    """`new_tracking_code` replaced: the codes given, in turn, counting the draws."""

    def __init__(self, *codes: str) -> None:
        self.codes = list(codes)
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return self.codes.pop(0) if len(self.codes) > 1 else self.codes[0]


def logged(tracking_code: str) -> dict:
    """The inquiry row written, column by column (in an app context; it was committed)."""
    row = inquiries.by_tracking_code(tracking_code)
    assert row is not None
    columns = [column.key for column in Inquiry.__table__.columns if column.key != "id"]
    values = {column: getattr(row, column) for column in columns}
    values["asked_at"] = clock.as_utc(values["asked_at"])
    return values
