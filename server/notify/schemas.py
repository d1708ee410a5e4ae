"""Request and answer schemas of the notices API (push subscriptions, inbox, settings)."""

import base64
import binascii
import ipaddress
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

P256_POINT_BYTES = 65  # an uncompressed P-256 point: 0x04, x, y
AUTH_SECRET_BYTES = 16
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def decode_base64url(text: str) -> bytes:
    """Base64url with or without padding; ValueError when it is not."""
    if not text or any(c in text for c in "+/ \n"):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def _p256dh(value: str) -> str:
    """The browser's P-256 public key: 65 bytes, uncompressed (0x04 first)."""
    try:
        raw = decode_base64url(value)
    except ValueError:
        raw = b""
    if len(raw) != P256_POINT_BYTES or raw[0] != 4:
        raise PydanticCustomError("invalid_push_keys", "p256dh must be a P-256 point")
    return value.rstrip("=")


def _auth(value: str) -> str:
    """The browser's auth secret: 16 bytes."""
    try:
        raw = decode_base64url(value)
    except ValueError:
        raw = b""
    if len(raw) != AUTH_SECRET_BYTES:
        raise PydanticCustomError("invalid_push_keys", "auth must be 16 bytes")
    return value.rstrip("=")


class PushKeys(BaseModel):
    """The subscription's keys, base64url."""

    p256dh: Annotated[str, Field(max_length=100), AfterValidator(_p256dh)]
    auth: Annotated[str, Field(max_length=40), AfterValidator(_auth)]


class PushSubscriptionIn(BaseModel):
    """A browser's subscription, as `PushSubscription.toJSON()` gives it."""

    endpoint: str = Field(max_length=1000, description="the push service's https URL")
    expirationTime: int | float | None = None  # noqa: N815 — the browser's own name
    keys: PushKeys


class PushSubscriptionRef(BaseModel):
    """A subscription to remove: its endpoint (the rest of the JSON may come along)."""

    endpoint: str = Field(max_length=1000)


def host_is_listed(host: str, hosts: tuple[str, ...]) -> bool:
    """True when `host` is one of `hosts`; an entry `*.example.com` is any name under it."""
    for entry in hosts:
        if entry.startswith("*."):
            if host.endswith(entry[1:]) and len(host) > len(entry) - 1:
                return True
        elif host == entry:
            return True
    return False


def endpoint_problem(endpoint: str, allow_loopback: bool, hosts: tuple[str, ...]) -> str | None:
    """Why a push endpoint is refused, or None: https on port 443 of a listed push service.

    Only the browsers' push services (DARMAN_PUSH_HOSTS) are admitted, so that a subscription
    cannot make the worker post to hosts inside our network; `allow_loopback` (tests) admits
    http://127.0.0.1 and http://localhost.
    """
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return "not a URL"
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or not host:
        return "no host, or credentials in the URL"
    if allow_loopback and host in LOOPBACK_HOSTS and parts.scheme in ("http", "https"):
        return None
    if parts.scheme != "https":
        return "not https"
    if port not in (None, 443):
        return "not the https port"
    try:
        ipaddress.ip_address(host)
        return "an IP address"
    except ValueError:
        pass
    if not host_is_listed(host, hosts):
        return "not a listed push service"
    return None


class PushKey(BaseModel):
    """The VAPID public key, for `pushManager.subscribe({applicationServerKey})`."""

    public_key: str = Field(description="base64url, a 65-byte uncompressed P-256 point")


class PushSubscribed(BaseModel):
    """The stored subscription."""

    id: int
    created: bool = Field(description="false when this browser was already subscribed")


class NotificationItem(BaseModel):
    """A notice in my inbox."""

    id: int
    kind: str
    title: str
    body: str
    url: str = Field(description="the PWA screen it opens, e.g. /#/home")
    at: str = Field(description="ISO 8601 time, Tehran")
    read: bool


class NotificationList(BaseModel):
    """My notices, newest first, a page at a time."""

    notifications: list[NotificationItem]
    unread: int = Field(description="unread notices in all")
    next_cursor: int | None = Field(description="pass as ?before= for the next page")


class UnreadCount(BaseModel):
    """How many notices are unread."""

    unread: int


class NoticeSetting(BaseModel):
    """One kind of notice and whether I get it."""

    kind: str
    label: str
    enabled: bool


SmsChoice = Literal["push_only", "push_then_sms", "sms_too"]


class NoticeSettings(BaseModel):
    """Every kind of notice and whether I get it; whether notices also come by SMS."""

    kinds: list[NoticeSetting]
    sms: SmsChoice = Field(
        description="push_only; push_then_sms (an SMS when no push got through within "
        "DARMAN_SMS_FALLBACK_MINUTES, or at once without a subscription; the default); sms_too"
    )


class NoticeSettingChange(BaseModel):
    """Turn one kind on or off."""

    kind: str = Field(max_length=30)
    enabled: bool


class NoticeSettingsChange(BaseModel):
    """The kinds to turn on or off (kinds not named keep their setting), and the SMS choice
    (kept when left out)."""

    kinds: list[NoticeSettingChange] = Field(default_factory=list, max_length=50)
    sms: SmsChoice | None = None
