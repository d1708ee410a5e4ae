"""No request makes a 500: every route of the URL map, with the inputs that used to crash it."""

import hashlib
import hmac
import json
import re
import secrets
import urllib.parse

import pytest
from families import INSURED, INSURED_MOBILE, WIFE

from server import clock

DEVANAGARI = "०१२३४५६७८९"  # \d matches these; our digits are [0-9] and Persian/Arabic
NUL = "00123\x0045679"

# Each is a JSON value that reached a view and crashed it once.
BAD_VALUES = (
    DEVANAGARI,
    "٠٩١٢١٢٣٤٥٦٧" + "\u0966",
    NUL,
    "\x00",
    "0001-01-01",
    "9999-12-31",
    ["a"],
    {"kid": ["x"]},
    10**40,
    -1,
    1.5e308,
    True,
    None,
)
FIELDS = (
    "national_code", "mobile", "mother_national_code", "birth_date", "request_id", "code",
    "from", "text", "locale", "endpoint", "keys", "items", "type", "written_on", "diagnosis",
    "token", "credential", "id", "name", "enabled", "settings", "quantity",
)  # fmt: skip


def nested(depth: int) -> bytes:
    """A JSON body nested `depth` arrays deep."""
    return b"[" * depth + b"]" * depth


def bodies() -> list[bytes]:
    """Raw bodies that each route gets: deep nesting, then every field with every bad value."""
    out = [
        nested(1000),
        b'{"a":' * 1000 + b"1" + b"}" * 1000,
        b"\x00",
        b'{"national_code": "\\u0000"}',
    ]
    for value in BAD_VALUES:
        out.append(json.dumps({field: value for field in FIELDS}).encode())
        out.append(
            json.dumps({"national_code": value, "mobile": value, "birth_date": value}).encode()
        )
        out.append(json.dumps({"mother_national_code": WIFE, "birth_date": value}).encode())
        out.append(json.dumps({"national_code": INSURED, "mobile": value}).encode())
    return out


SECRET = "sweep-gateway-secret"
FORM = "application/x-www-form-urlencoded"
FORMS = [
    urllib.parse.urlencode(
        {"sessionId": "s1", "phoneNumber": value, "serviceCode": "*1420*4#", "text": text}
    ).encode()
    for value in (DEVANAGARI, "09121234567", NUL)
    for text in (
        DEVANAGARI,
        "1*" + DEVANAGARI,
        "2*0023456787*" + DEVANAGARI,
        "1*\x00",
        "2*" + WIFE + "*0001/01/01",
    )
]

PATH_VALUES = ("1", DEVANAGARI, "%00", "0001-01-01", "x" * 300, WIFE)


def paths(rule: str) -> list[str]:
    """The rule's path with each bad value in every placeholder."""
    if "<" not in rule:
        return [rule]
    return [re.sub(r"<(?:[a-z]+:)?\w+>", value, rule) for value in PATH_VALUES]


def swept_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route with its own methods, and PATCH, which none allows."""
    routes = set()
    for rule in app.url_map.iter_rules():
        for method in (rule.methods - {"HEAD", "OPTIONS"}) | {"PATCH"}:
            for path in paths(rule.rule):
                routes.add((method, path))
    return sorted(routes)


# 503 is these routes' own answer here: the test database is made from the models, not migrated.
ANSWERS_503 = {"/readyz"}


@pytest.fixture
def provider_token(runner) -> str:
    """A doctor's token."""
    result = runner.invoke(args=["darman", "provider", "create", "دکتر", "--kind", "doctor"])
    return result.output.strip()


def test_the_sweep_covers_the_api(app):
    swept = {path for _, path in swept_routes(app)}
    assert {"/api/provider/eligibility", "/api/auth/sms/start", "/api/ussd"} <= swept
    assert len(swept_routes(app)) > 60


@pytest.fixture
def open_limits(app, monkeypatch):
    """Limits high enough that the sweep reaches the views, and a gateway secret."""
    monkeypatch.setitem(app.config, "DARMAN_SIGN_IN_PER_IP_HOUR", 10**6)
    monkeypatch.setitem(app.config, "DARMAN_CHANNEL_INQUIRIES_PER_HOUR", 10**6)
    monkeypatch.setitem(app.config, "DARMAN_CHANNEL_INQUIRIES_PER_DAY", 10**6)
    monkeypatch.setitem(app.config, "DARMAN_GATEWAY_SECRET", SECRET)


def gateway_headers(app, body: bytes) -> dict[str, str]:
    """X-Timestamp, X-Nonce (new each time) and X-Signature, as a gateway signs a body."""
    with app.app_context():
        timestamp = str(int(clock.now().timestamp()))
    nonce = secrets.token_urlsafe(24)
    message = f"{timestamp}.{nonce}.".encode() + body
    signature = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    return {"X-Timestamp": timestamp, "X-Nonce": nonce, "X-Signature": signature}


def send(app, client, method: str, path: str, body: bytes, headers: dict, content_type: str):
    """One request, signed as a gateway signs; its status (the answer is closed)."""
    response = client.open(
        path,
        method=method,
        data=body,
        content_type=content_type,
        headers={**headers, **gateway_headers(app, body)},
    )
    response.close()
    return response.status_code


def test_no_route_answers_5xx_to_bad_bodies(app, family, citizen, provider_token, open_limits):
    signed_in = citizen.sign_in(INSURED, INSURED_MOBILE)
    assert signed_in.status_code == 200
    headers = {
        "X-CSRFToken": citizen.csrf_token,
        "Authorization": f"Bearer {provider_token}",
        "Idempotency-Key": "sweep-1",
    }
    failures = set()
    for method, path in swept_routes(app):
        if path in ANSWERS_503:
            continue
        writes = method in {"POST", "PUT", "DELETE"}
        for body in bodies() if writes else [b"", nested(1000)]:
            status = send(app, citizen.client, method, path, body, headers, "application/json")
            if status >= 500:
                failures.add((method, path, body[:40], status))
        for form in FORMS if writes else ():
            status = send(app, citizen.client, method, path, form, headers, FORM)
            if status >= 500:
                failures.add((method, path, form[:40], status))
    assert sorted(failures) == []
