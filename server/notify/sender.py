"""Pushes: encrypt (aes128gcm) and send each due delivery with pywebpush, then record the answer.

201 → sent; 404/410 → the subscription is gone and deleted; 429 → again after `Retry-After`;
5xx and network errors → again after an exponential backoff with jitter; other 4xx, or still
failing a day after the notice was made → failed. Several pushes are in flight at once
(threads, one HTTP session each); the database is only touched from the calling thread. A push
goes only to a listed push service, at an address checked to be public (see `pinning`).
"""

import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from pywebpush import WebPusher, WebPushException

from .kinds import KINDS
from .pinning import AddressRefused, pinned_session
from .schemas import endpoint_problem
from .vapid import VapidSigner

PAYLOAD_LIMIT = 3000  # bytes of JSON; push services take 4 KB once encrypted
BACKOFF_FIRST = 30.0  # seconds before the first retry
BACKOFF_CAP = 3600.0
RETRY_AFTER_DEFAULT = 60.0  # a 429 without a readable Retry-After
GONE = (404, 410)
SENT = (200, 201, 202, 204)


@dataclass(frozen=True)
class Push:
    """One notice for one browser, ready to encrypt."""

    delivery_id: int
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    kind: str


@dataclass(frozen=True)
class Outcome:
    """What became of one push: sent, gone, retry or failed."""

    push: Push
    result: str
    retry_after: float | None = None  # seconds the push service asked us to wait
    error: str | None = None


def payload(notification_id: int, kind: str, title: str, body: str, url: str) -> bytes:
    """The push's JSON {title, body, url, kind, id}, its body shortened to stay under 3 KB."""
    while True:
        data = {"title": title, "body": body, "url": url, "kind": kind, "id": notification_id}
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        if len(encoded) <= PAYLOAD_LIMIT:
            return encoded
        body = body[: max(0, len(body) - (len(encoded) - PAYLOAD_LIMIT) // 2 - 2)] + "…"


class Pusher:
    """Sends pushes, `concurrency` at a time; close it (or use `with`) to end its threads.

    Each push goes only to a listed push service (`hosts`, DARMAN_PUSH_HOSTS), checked again
    here for subscriptions stored before the list changed, and only to a public address.
    """

    def __init__(
        self,
        signer: VapidSigner,
        concurrency: int,
        timeout: float,
        *,
        hosts: tuple[str, ...],
        allow_loopback: bool = False,
    ) -> None:
        self.signer = signer
        self.timeout = timeout
        self.hosts = hosts
        self.allow_loopback = allow_loopback
        self._executor = ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="push")
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._paused: dict[str, float] = {}  # origin → monotonic time its 429 ends

    def __enter__(self) -> "Pusher":
        """Use as a context manager."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close on leaving."""
        self.close()

    def push_all(self, pushes: list[Push]) -> list[Outcome]:
        """Send every push; their outcomes, in the same order."""
        return list(self._executor.map(self._push, pushes))

    def close(self) -> None:
        """Stop the threads and close their connections."""
        self._executor.shutdown(wait=True)
        for session in self._sessions:
            session.close()

    def _session(self) -> requests.Session:
        """This thread's HTTP session (keep-alive per push service, pinned to checked
        addresses); redirects are refused."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = pinned_session(self.allow_loopback)
            session.max_redirects = 0  # a push endpoint that redirects is not followed
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _push(self, push: Push) -> Outcome:
        """Encrypt and send one push (in a worker thread)."""
        problem = endpoint_problem(push.endpoint, self.allow_loopback, self.hosts)
        if problem:
            return Outcome(push, "failed", error=f"endpoint refused: {problem}")
        parts = urlsplit(push.endpoint)
        origin = f"{parts.scheme}://{parts.netloc}"
        paused = self._paused.get(origin, 0.0) - time.monotonic()
        if paused > 0:  # this push service said 429 a moment ago: do not press it
            return Outcome(push, "retry", retry_after=paused, error="429 from this push service")
        kind = KINDS[push.kind]
        subscription = {
            "endpoint": push.endpoint,
            "keys": {"p256dh": push.p256dh, "auth": push.auth},
        }
        headers = {"Authorization": self.signer.authorization(origin), "Urgency": kind.urgency}
        try:
            response = WebPusher(subscription, requests_session=self._session()).send(
                push.payload, headers=headers, ttl=kind.ttl, timeout=self.timeout
            )
        except requests.TooManyRedirects:
            return Outcome(push, "failed", error="the endpoint redirects")
        except AddressRefused as error:
            return Outcome(push, "failed", error=f"endpoint refused: {error}")
        except requests.RequestException as error:
            return Outcome(push, "retry", error=f"network: {type(error).__name__}")
        except (WebPushException, ValueError) as error:
            return Outcome(push, "failed", error=f"cannot encrypt: {error}"[:200])
        return self._outcome(push, origin, response)

    def _outcome(self, push: Push, origin: str, response: requests.Response) -> Outcome:
        """Read the push service's answer."""
        status = response.status_code
        if status in SENT:
            return Outcome(push, "sent")
        if status in GONE:
            return Outcome(push, "gone", error=str(status))
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            self._paused[origin] = time.monotonic() + wait
            return Outcome(push, "retry", retry_after=wait, error="429")
        if status >= 500:
            return Outcome(push, "retry", error=str(status))
        return Outcome(push, "failed", error=f"{status} {response.text[:150]}")


def retry_after_seconds(value: str | None) -> float:
    """A Retry-After header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return RETRY_AFTER_DEFAULT
    value = value.strip()
    if value.isdigit():
        return max(1.0, float(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return RETRY_AFTER_DEFAULT
    return max(1.0, moment.timestamp() - time.time())  # never straight back


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: 30 s, 1 min, 2 min, … up to an hour, each × 0.5–1."""
    ceiling = min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** max(0, attempts - 1))
    return random.uniform(ceiling / 2, ceiling)


def next_state(
    outcome: Outcome, attempts: int, created_at: datetime, now: datetime, give_up: timedelta
) -> dict:
    """The delivery's new values after this outcome (attempts counts this one)."""
    state = {
        "attempts": attempts,
        "sent_at": None,
        "last_error": outcome.error,
        "next_attempt_at": now,
    }
    if outcome.result == "sent":
        return {**state, "status": "sent", "sent_at": now, "last_error": None}
    if outcome.result == "retry":
        delay = (
            outcome.retry_after if outcome.retry_after is not None else backoff_seconds(attempts)
        )
        when = now + timedelta(seconds=delay)
        if when - created_at <= give_up:
            return {**state, "status": "pending", "next_attempt_at": when}
        return {**state, "status": "failed", "last_error": f"gave up: {outcome.error}"[:200]}
    return {**state, "status": "failed"}
