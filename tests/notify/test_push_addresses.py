"""Where pushes may go: https on a listed push service (DARMAN_PUSH_HOSTS) when subscribing;
at send time a public address only, resolved once and connected to as checked."""

import socket
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from families import INSURED, INSURED_MOBILE
from inboxes import inbox
from test_delivery import deliveries, tell

from server.notify.pinning import AddressRefused, checked_address, pinned_session
from server.notify.sender import Push, Pusher, payload
from server.notify.vapid import signer

DEFAULT_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "web.push.apple.com",
    "*.notify.windows.com",
)


@pytest.fixture
def phone(family, subscribe):
    """Ali's phone, subscribed."""
    return subscribe(INSURED, INSURED_MOBILE)


REFUSED = "اعلان به این نشانی فرستاده نمی‌شود؛ نشانی باید سرویس اعلان یک مرورگر (https) باشد."


def subscription(push_service, endpoint: str) -> dict:
    """A browser's subscription JSON with another endpoint."""
    return {**push_service.browser().subscription(), "endpoint": endpoint}


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABh",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
        "https://FCM.googleapis.com:443/fcm/send/x",
    ],
)
def test_the_browsers_push_services_are_admitted(app, ali, push_service, endpoint):
    app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = False
    assert app.config["DARMAN_PUSH_HOSTS"] == DEFAULT_HOSTS
    answer = ali.post("/api/push/subscriptions", subscription(push_service, endpoint))
    assert answer.status_code == 201, answer.get_json()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://push.example.com/send/abc",
        "https://fcm.googleapis.com.example.com/fcm/send/x",
        "https://evil-notify.windows.com/w/x",
        "https://notify.windows.com/w/x",
        "https://fcm.googleapis.com:8443/fcm/send/x",
        "http://fcm.googleapis.com/fcm/send/x",
        "https://142.250.185.74/fcm/send/x",
        "https://[::1]/send/x",
        "http://127.0.0.1:9/push/x",
    ],
)
def test_anything_else_is_refused(app, ali, push_service, endpoint):
    app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = False
    answer = ali.post("/api/push/subscriptions", subscription(push_service, endpoint))
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "invalid_push_endpoint", "message": REFUSED}


def test_the_list_is_a_setting(app, ali, push_service, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_PUSH_HOSTS", ("push.example.org",))
    app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = False
    mine = subscription(push_service, "https://push.example.org/x")
    assert ali.post("/api/push/subscriptions", mine).status_code == 201
    google = subscription(push_service, "https://fcm.googleapis.com/fcm/send/x")
    assert ali.post("/api/push/subscriptions", google).status_code == 400


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.7", "192.168.1.1", "172.16.0.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "224.0.0.1"],
)  # fmt: skip
def test_only_public_addresses_pass_the_check(address):
    with pytest.raises(AddressRefused):
        checked_address(address, 443, loopback=False)


def test_a_public_address_passes_and_loopback_only_with_the_setting():
    assert checked_address("142.250.185.74", 443, loopback=False) == "142.250.185.74"
    assert checked_address("127.0.0.1", 443, loopback=True) == "127.0.0.1"
    with pytest.raises(AddressRefused):
        checked_address("10.0.0.7", 443, loopback=True)


class Resolver:
    """socket.getaddrinfo with some names answered by hand (a push service's DNS), counting how
    often each name is looked up; numeric addresses go to the real function."""

    def __init__(self, monkeypatch, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self._real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self)

    def __call__(self, host, port, *args, **kwargs):
        """The next address for a name of ours (the last one sticks), else the real answer."""
        if host in self.answers:
            self.asked.append(host)
            queue = self.answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return self._real(host, port, *args, **kwargs)


def push_to(app, browser, endpoint: str) -> Push:
    """A push of one notice to this browser's keys, at `endpoint`."""
    keys = browser.subscription()["keys"]
    data = payload(1, "prescription_written", "نسخهٔ تازه", "متن", "/#/records")
    return Push(1, 1, endpoint, keys["p256dh"], keys["auth"], data, "prescription_written")


def send(app, push: Push, hosts: tuple[str, ...], loopback: bool) -> str:
    """Send one push with a real Pusher; its outcome's result and error."""
    with app.app_context():
        vapid = signer()
    with Pusher(vapid, 1, 2.0, hosts=hosts, allow_loopback=loopback) as pusher:
        (outcome,) = pusher.push_all([push])
    return f"{outcome.result}: {outcome.error}"


def test_the_worker_connects_to_the_address_it_checked(app, push_service, monkeypatch):
    # The name answers loopback (allowed in tests) once, then a private address: a second
    # lookup at connect time would go there. Pinned, the push reaches the service.
    push_service.origin = push_service.origin.replace("127.0.0.1", "localhost")
    browser = push_service.browser()
    resolver = Resolver(monkeypatch, {"localhost": ["127.0.0.1", "10.255.255.1"]})
    outcome = send(app, push_to(app, browser, browser.endpoint), (), loopback=True)
    assert outcome == "sent: None"
    assert resolver.asked == ["localhost"]
    assert [p["title"] for p in push_service.payloads(browser)] == ["نسخهٔ تازه"]


def test_a_listed_name_that_resolves_to_a_private_address_is_not_posted_to(
    app, push_service, monkeypatch
):
    Resolver(monkeypatch, {"fcm.googleapis.com": ["10.0.0.7"]})
    push = push_to(app, push_service.browser(), "https://fcm.googleapis.com/fcm/send/x")
    outcome = send(app, push, DEFAULT_HOSTS, loopback=False)
    assert outcome == "failed: endpoint refused: the push service's address is not public"


def test_without_the_setting_the_worker_sends_nothing_to_loopback(app, phone, push_service, worker):
    # Subscribed while the tests' setting admitted 127.0.0.1; the worker checks again.
    app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = False
    tell(app)
    assert "1 failed" in worker()
    assert deliveries(app) == [("failed", 1)]
    assert push_service.receipts == []
    assert [kind for kind, _, _ in inbox(app, INSURED)] == ["prescription_written"]


@pytest.fixture
def tls_service(tmp_path):
    """An https server on 127.0.0.1 whose certificate names only `push.test`; it notes the SNI
    name and the Host header of each request."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "push.test")])
    now = datetime.now(tz=UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("push.test")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    seen: dict[str, list] = {"sni": [], "host": []}
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.sni_callback = lambda _socket, server_name, _context: seen["sni"].append(server_name)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's name
            """Note the Host header; answer 201."""
            seen["host"].append(self.headers["Host"])
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], str(cert_file), seen
    server.shutdown()
    server.server_close()


def test_a_pinned_https_request_keeps_the_name_for_tls_and_host(tls_service, monkeypatch):
    port, ca_file, seen = tls_service
    resolver = Resolver(monkeypatch, {"push.test": ["127.0.0.1", "10.255.255.1"]})
    session = pinned_session(allow_loopback=True)
    session.verify = ca_file  # the certificate must match push.test, not 127.0.0.1
    response = session.post(f"https://push.test:{port}/push/x", data=b"payload", timeout=5)
    session.close()
    assert response.status_code == 201
    assert resolver.asked == ["push.test"]
    assert seen == {"sni": ["push.test"], "host": [f"push.test:{port}"]}
