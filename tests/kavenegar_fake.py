"""A fake of Kavenegar's verify/lookup API: a real HTTP server on 127.0.0.1, for the SMS tests."""

import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SENT = {"status": 200, "message": "تایید شد"}
MESSAGES = {
    400: "پارامترها ناقص هستند",
    403: "کد شناسائی API-Key معتبر نمی‌باشد",
    405: "متد Get/Post اشتباه است",
    418: "اعتبار حساب شما کافی نیست",
    424: "الگوی مورد نظر پیدا نشد",
}
HANG_LIMIT = 10.0  # seconds a hanging answer waits at most, should the test never close the fake


@dataclass(frozen=True)
class SendRequest:
    """One sms/send call (a free text) as the fake received it; `sender` is None when omitted."""

    key: str
    receptor: str
    message: str
    sender: str | None


@dataclass(frozen=True)
class LookupRequest:
    """One verify/lookup call as the fake received it."""

    key: str
    receptor: str
    token: str
    template: str


class KavenegarFake:
    """Answers like Kavenegar for the given keys and templates; use it as a context manager."""

    def __init__(self, keys: set[str], templates: set[str]) -> None:
        self.keys = keys
        self.templates = templates
        self.requests: list[LookupRequest] = []
        self.sent: list[SendRequest] = []
        self.delay = 0.0  # seconds each sms/send takes, so that racing workers overlap
        self._next_answers: deque[tuple[str, int]] = deque()
        self._release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _LookupHandler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="kavenegar-fake"
        )

    @property
    def base_url(self) -> str:
        """The URL to give KavenegarBackend instead of https://api.kavenegar.com."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int) -> None:
        """Answer the next lookup with this Kavenegar error status."""
        self._next_answers.append(("fail", status))

    def answer_garbage_next(self, http_status: int = 200) -> None:
        """Answer the next lookup with an HTML page instead of JSON."""
        self._next_answers.append(("garbage", http_status))

    def hang_next(self) -> None:
        """Never answer the next lookup (until the fake is closed), so that the client times out."""
        self._next_answers.append(("hang", 0))

    def next_answer(self) -> tuple[str, int] | None:
        """The answer a test asked for, if any, used up once taken."""
        try:
            return self._next_answers.popleft()
        except IndexError:
            return None

    def hang(self) -> None:
        """Wait until the fake is closed."""
        self._release.wait(HANG_LIMIT)

    def __enter__(self) -> "KavenegarFake":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class _Server(ThreadingHTTPServer):
    """Joins its request threads on close, so a test leaves no thread behind."""

    daemon_threads = False
    fake: KavenegarFake


class _LookupHandler(BaseHTTPRequestHandler):
    """Speaks POST /v1/<key>/verify/lookup.json and POST /v1/<key>/sms/send.json."""

    server: _Server

    def do_POST(self) -> None:
        """A lookup or a send: check path and form, record it, answer as Kavenegar would."""
        key = self._key_from_path()
        if key is None:
            self._answer(404, {"return": {"status": 404, "message": "not found"}, "entries": None})
            return
        form = self._form()
        if self.path.endswith("/sms/send.json"):
            self._answer_send(key, form)
            return
        fields = ("receptor", "token", "template")
        if any(not form.get(field) for field in fields):
            self._answer_error(400)
            return
        fake = self.server.fake
        fake.requests.append(LookupRequest(key, *(form[field] for field in fields)))
        self._answer_lookup(key, form)

    def do_GET(self) -> None:
        """Kavenegar allows GET too, but our client must POST: refuse it here."""
        self._answer_error(405)

    def _answer_send(self, key: str, form: dict[str, str]) -> None:
        """sms/send: receptor and message needed, sender optional; 403 for a stranger's key."""
        if not form.get("receptor") or not form.get("message"):
            self._answer_error(400)
            return
        fake = self.server.fake
        time.sleep(fake.delay)
        fake.sent.append(SendRequest(key, form["receptor"], form["message"], form.get("sender")))
        asked = fake.next_answer()
        if asked is not None:
            self._answer_as_asked(*asked)
        elif key not in fake.keys:
            self._answer_error(403)
        else:
            self._answer(200, {"return": SENT, "entries": [_entry(form["receptor"])]})

    def _answer_lookup(self, key: str, form: dict[str, str]) -> None:
        """The asked-for answer, else 403 for a stranger's key, 424 for no template, else 200."""
        fake = self.server.fake
        asked = fake.next_answer()
        if asked is not None:
            self._answer_as_asked(*asked)
        elif key not in fake.keys:
            self._answer_error(403)
        elif form["template"] not in fake.templates:
            self._answer_error(424)
        else:
            self._answer(200, {"return": SENT, "entries": [_entry(form["receptor"])]})

    def _answer_as_asked(self, kind: str, status: int) -> None:
        """Fail, answer garbage, or hang, as the test asked."""
        if kind == "fail":
            self._answer_error(status)
        elif kind == "garbage":
            self._send(status, "text/html", b"<html><body>Bad Gateway</body></html>")
        else:
            self.server.fake.hang()
            self.close_connection = True

    def _key_from_path(self) -> str | None:
        """The API key in /v1/<key>/verify/lookup.json or …/sms/send.json, unquoted; None for
        any other path."""
        parts = self.path.split("/")
        methods = (["verify", "lookup.json"], ["sms", "send.json"])
        if len(parts) != 5 or parts[:2] != ["", "v1"] or parts[3:] not in methods:
            return None
        return urllib.parse.unquote(parts[2])

    def _form(self) -> dict[str, str]:
        """The form-encoded body (empty unless the content type says it is a form)."""
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        if self.headers.get_content_type() != "application/x-www-form-urlencoded":
            return {}
        return dict(urllib.parse.parse_qsl(body))

    def _answer_error(self, status: int) -> None:
        """An error as Kavenegar gives it: the status in HTTP and in `return`."""
        message = MESSAGES.get(status, "خطا")
        self._answer(status, {"return": {"status": status, "message": message}, "entries": None})

    def _answer(self, status: int, answer: dict) -> None:
        """A JSON answer."""
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", body)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        """Write a whole answer."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


def _entry(receptor: str) -> dict:
    """One entry of a successful lookup, as in Kavenegar's documentation."""
    return {
        "messageid": 8792343,
        "message": "کد ورود شما به درمان من: 123456",
        "status": 5,
        "statustext": "ارسال به مخابرات",
        "sender": "10004346",
        "receptor": receptor,
        "date": 1356619709,
        "cost": 120,
    }
