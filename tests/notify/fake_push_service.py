"""A local push service for the tests: a real HTTP server on 127.0.0.1.

It plays the browsers' side too: each `FakeBrowser` holds a P-256 key pair and an auth secret,
as a browser does, and the service decrypts every aes128gcm payload with them (`http_ece`),
verifies the VAPID JWT (signature, `aud` = the endpoint's origin, `exp` at most 12 h ahead) and
the TTL and Urgency headers, then answers what the test asked for: 201 by default, or 404, 410,
429 with Retry-After, 500. `hold_after(n)` makes it stop answering after n pushes, so that a
worker can be killed with a push in flight.
"""

import base64
import json
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid.jwt import decode as decode_jwt

JWT_MAX_SECONDS = 12 * 3600


def b64url(raw: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class FakeBrowser:
    """One browser's push subscription: its keys and its endpoint at the service."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))
    client: object = None  # the signed-in test client that subscribed it, if any

    def subscription(self) -> dict:
        """The JSON a browser's `PushSubscription.toJSON()` gives."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth_secret)},
        }


@dataclass
class Receipt:
    """One push as the service received it."""

    token: str
    payload: dict
    ttl: int
    urgency: str
    status: int  # what the service answered


class PushService:
    """The server; use as a context manager (or start/stop)."""

    def __init__(self, vapid_public_key: str) -> None:
        self.vapid_public_key = vapid_public_key
        self.browsers: dict[str, FakeBrowser] = {}
        self.receipts: list[Receipt] = []
        self.problems: list[str] = []  # anything a real push service would refuse
        self.answers: dict[str, deque] = {}
        self._lock = threading.Lock()
        self._hold_after: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.delay = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "PushService":
        """Start serving."""
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop serving and close every socket."""
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def browser(self) -> FakeBrowser:
        """A new fake browser subscribed at this service."""
        token = b64url(os.urandom(12))
        browser = FakeBrowser(token, f"{self.origin}/push/{token}")
        self.browsers[token] = browser
        return browser

    def answer(self, browser: FakeBrowser, *statuses: int | tuple[int, dict]) -> None:
        """Answer the next pushes to `browser` with these statuses (then 201 again)."""
        self.answers.setdefault(browser.token, deque()).extend(statuses)

    def hold_after(self, count: int) -> None:
        """Receive `count` more pushes normally, then hold the next one unanswered."""
        with self._lock:
            self._hold_after = len(self.receipts) + count

    def payloads(self, browser: FakeBrowser | None = None, status: int | None = 201) -> list[dict]:
        """The decrypted payloads received (for one browser; answered `status`)."""
        return [
            r.payload
            for r in list(self.receipts)
            if (browser is None or r.token == browser.token)
            and (status is None or r.status == status)
        ]

    def receive(self, token: str, headers, body: bytes) -> tuple[int, dict]:
        """Check and decrypt one push; what to answer."""
        browser = self.browsers.get(token)
        if browser is None:
            return 404, {}
        self._check_vapid(headers.get("Authorization", ""))
        if headers.get("Content-Encoding") != "aes128gcm":
            self.problems.append(f"content-encoding {headers.get('Content-Encoding')}")
        plain = http_ece.decrypt(
            body,
            private_key=browser.private_key,
            auth_secret=browser.auth_secret,
            version="aes128gcm",
        )
        if len(plain) >= 3000:
            self.problems.append(f"payload of {len(plain)} bytes")
        queued = self.answers.get(token)
        answer = queued.popleft() if queued else 201
        status, extra = answer if isinstance(answer, tuple) else (answer, {})
        receipt = Receipt(
            token,
            json.loads(plain),
            int(headers.get("TTL", "-1")),
            headers.get("Urgency", ""),
            status,
        )
        with self._lock:
            self.receipts.append(receipt)
            hold = self._hold_after is not None and len(self.receipts) > self._hold_after
        if hold:
            self.holding.set()
            self.release.wait(30)
        if self.delay:
            time.sleep(self.delay)
        return status, extra

    def _check_vapid(self, authorization: str) -> None:
        """`vapid t=<JWT>,k=<key>`: our key, a valid signature, the right aud, exp ≤ 12 h."""
        scheme, _, rest = authorization.partition(" ")
        parts = dict(part.split("=", 1) for part in rest.split(",") if "=" in part)
        if scheme != "vapid" or parts.get("k") != self.vapid_public_key:
            self.problems.append(f"authorization {authorization[:40]!r}")
            return
        try:
            claims = decode_jwt(parts["t"], parts["k"])
        except Exception as error:  # noqa: BLE001 — any failure is a problem to report
            self.problems.append(f"JWT: {error!r}")
            return
        if claims.get("aud") != self.origin:
            self.problems.append(f"aud {claims.get('aud')}")
        if not time.time() < claims.get("exp", 0) <= time.time() + JWT_MAX_SECONDS:
            self.problems.append(f"exp {claims.get('exp')}")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            self.problems.append(f"sub {claims.get('sub')}")


def _handler(service: PushService) -> type[BaseHTTPRequestHandler]:
    """The request handler bound to `service`."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10  # an idle keep-alive connection is closed

        def do_POST(self) -> None:  # noqa: N802 — http.server's name
            """A push: /push/<token>."""
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            token = self.path.rsplit("/", 1)[-1]
            try:
                status, extra = service.receive(token, self.headers, body)
            except Exception as error:  # noqa: BLE001 — reported, and answered 400
                service.problems.append(f"cannot read the push: {error!r}")
                status, extra = 400, {}
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args) -> None:
            """Quiet."""

    return Handler
