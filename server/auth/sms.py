"""Sending SMS — sign-in codes and free texts — to the console, to a file, or through Kavenegar."""

import fcntl
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any, Protocol

from ..clock import now

KAVENEGAR_URL = "https://api.kavenegar.com"
KAVENEGAR_ANSWER_LIMIT = 64 * 1024  # a lookup answer is a few hundred bytes; never read a flood


class SmsDeliveryError(Exception):
    """The SMS could not be handed to the provider."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(f"SMS not delivered (status {status}): {detail}")
        self.status = status  # the provider's status, else the HTTP status; None without an answer
        self.detail = detail


class SmsBackend(Protocol):
    """Hands a sign-in code to someone who can get it to the phone."""

    def send_code(self, mobile: str, code: str, text: str) -> None:
        """Send `code` to `mobile`; `text` is the whole message for backends that need one."""
        ...

    def send_text(self, mobile: str, text: str) -> None:
        """Send a free-text message (an answer to an inbound SMS) to `mobile`."""
        ...


class ConsoleBackend:
    """Prints each message on stdout: in development the console is the phone."""

    def send_code(self, mobile: str, code: str, text: str) -> None:
        """Print one line with the message, code included (that is the point)."""
        print(f"SMS to {mobile}: {text}", flush=True)

    def send_text(self, mobile: str, text: str) -> None:
        """Print one line with the message."""
        print(f"SMS to {mobile}: {text}", flush=True)


class FileBackend:
    """Appends each message as a JSON line, for end-to-end tests that read the code back."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path

    def send_code(self, mobile: str, code: str, text: str) -> None:
        """Append one line with the code."""
        self._append(mobile, text, code)

    def send_text(self, mobile: str, text: str) -> None:
        """Append one line with `code: null`."""
        self._append(mobile, text, None)

    def _append(self, mobile: str, text: str, code: str | None) -> None:
        """Append one line; a lock and a single write keep lines whole across processes."""
        message = {"to": mobile, "text": text, "code": code, "at": now().isoformat()}
        line = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
        with open(self.path, "ab", buffering=0) as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            try:
                file.write(line)
                file.flush()
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)


class KavenegarBackend:
    """Kavenegar's verify/lookup API: their template holds the text, the code is the token."""

    def __init__(
        self,
        api_key: str,
        template: str,
        base_url: str = KAVENEGAR_URL,
        timeout: float = 5.0,
        sender: str | None = None,
    ) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"Kavenegar URL must start with https:// or http://: {base_url!r}")
        self._api_key = api_key  # it is part of the URL path: never put the URL in errors or logs
        self.template = template
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.sender = sender  # the line free texts go out from; None: the account's default

    def __repr__(self) -> str:
        """The backend without its API key."""
        return f"KavenegarBackend(template={self.template!r}, base_url={self.base_url!r})"

    def send_code(self, mobile: str, code: str, text: str) -> None:
        """Ask Kavenegar to send `code` with our template; raise SmsDeliveryError on any failure."""
        self._post(
            "verify/lookup.json", {"receptor": mobile, "token": code, "template": self.template}
        )

    def send_text(self, mobile: str, text: str) -> None:
        """Send a free text through their sms/send API; raise SmsDeliveryError on any failure."""
        form = {"receptor": mobile, "message": text}
        if self.sender:
            form["sender"] = self.sender
        self._post("sms/send.json", form)

    def _post(self, endpoint: str, form: dict[str, str]) -> None:
        """Post `form` to one of their endpoints, the API key quoted into its path; raise
        SmsDeliveryError unless the answer is a success."""
        request = urllib.request.Request(
            f"{self.base_url}/v1/{urllib.parse.quote(self._api_key, safe='')}/{endpoint}",
            data=urllib.parse.urlencode(form).encode("ascii"),
            headers={"Accept": "application/json"},
            method="POST",
        )
        _check_answer(*self._answer(request))

    def _answer(self, request: urllib.request.Request) -> tuple[int, bytes]:
        """The HTTP status and body of the answer; SmsDeliveryError when none came."""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read(KAVENEGAR_ANSWER_LIMIT)
        except urllib.error.HTTPError as error:
            with error:  # an HTTP error carries the open answer: read it, then close it
                return error.code, _read_error_body(error)
        except urllib.error.URLError as error:
            raise SmsDeliveryError(None, f"Kavenegar unreachable: {error.reason}") from None
        except (ValueError, http.client.InvalidURL):  # their text may quote the URL, key and all
            raise SmsDeliveryError(None, "the Kavenegar URL is not valid") from None
        except (OSError, http.client.HTTPException) as error:
            reason = str(error) or type(error).__name__
            raise SmsDeliveryError(None, f"Kavenegar did not answer: {reason}") from None


def _read_error_body(error: urllib.error.HTTPError) -> bytes:
    """The body of an error answer, or nothing if it breaks off while being read."""
    try:
        return error.read(KAVENEGAR_ANSWER_LIMIT)
    except (OSError, http.client.HTTPException):
        return b""


def _check_answer(http_status: int, body: bytes) -> None:
    """Raise SmsDeliveryError unless the answer is Kavenegar's success (200 in HTTP and JSON)."""
    try:
        answer = json.loads(body.decode("utf-8"))
        status = answer["return"]["status"]
        message = answer["return"].get("message", "")
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
        raise SmsDeliveryError(http_status, "Kavenegar's answer is not its JSON") from None
    if http_status == 200 and status == 200:
        return
    provider_status = status if isinstance(status, int) and status != 200 else http_status
    raise SmsDeliveryError(provider_status, f"Kavenegar refused ({http_status}): {message}")


def backend_from_config(config: Mapping[str, Any]) -> SmsBackend:
    """The backend DARMAN_SMS_BACKEND names: `console`, `file:PATH` or `kavenegar`."""
    choice = config.get("DARMAN_SMS_BACKEND")
    if choice == "console":
        return ConsoleBackend()
    if isinstance(choice, str) and choice.startswith("file:") and choice.removeprefix("file:"):
        return FileBackend(choice.removeprefix("file:"))
    if choice == "kavenegar":
        return _kavenegar_from_config(config)
    raise ValueError(
        f"DARMAN_SMS_BACKEND must be 'console', 'file:PATH' or 'kavenegar', not {choice!r}"
    )


def _kavenegar_from_config(config: Mapping[str, Any]) -> KavenegarBackend:
    """A Kavenegar backend from DARMAN_KAVENEGAR_API_KEY, _TEMPLATE, the optional _URL, _SENDER."""
    api_key = config.get("DARMAN_KAVENEGAR_API_KEY")
    template = config.get("DARMAN_KAVENEGAR_TEMPLATE")
    missing = [
        name
        for name, value in (
            ("DARMAN_KAVENEGAR_API_KEY", api_key),
            ("DARMAN_KAVENEGAR_TEMPLATE", template),
        )
        if not value
    ]
    if missing:
        raise ValueError(f"DARMAN_SMS_BACKEND is 'kavenegar' but {', '.join(missing)} not set")
    base_url = config.get("DARMAN_KAVENEGAR_URL") or KAVENEGAR_URL
    sender = config.get("DARMAN_KAVENEGAR_SENDER") or None
    return KavenegarBackend(api_key, template, base_url=base_url, sender=sender)
