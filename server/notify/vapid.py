"""The VAPID key pair (RFC 8292) that identifies Darman to push services, and its signed headers.

The key comes from DARMAN_VAPID_PRIVATE_KEY, or from `vapid_private_key.pem` in the instance
folder, made on first use. Every browser's subscription is bound to the public key, so the file
must be kept (and shared by all nodes, like the secret key).
"""

import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode

KEY_FILE = "vapid_private_key.pem"
JWT_LIFETIME = 12 * 3600  # the JWT's `exp`: never more than 12 h ahead
HEADER_REUSE = 3600  # a signed header is reused for an hour, so `exp` stays 11–12 h ahead


class VapidKeyError(RuntimeError):
    """The configured VAPID keys cannot be used."""


@dataclass
class VapidSigner:
    """The key pair, and the Authorization headers signed with it (one per push service)."""

    vapid: Vapid02
    subject: str
    _headers: dict[str, tuple[float, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def public_key(self) -> str:
        """The public key as browsers want it: base64url of the 65-byte uncompressed point."""
        return public_key_text(self.vapid)

    def authorization(self, audience: str) -> str:
        """`vapid t=<JWT>,k=<key>` for a push service's origin, signed at most an hour ago.

        `exp` is counted on the real clock, not `clock.now()`: it is checked by the push
        service's clock.
        """
        now = time.time()
        with self._lock:
            cached = self._headers.get(audience)
            if cached and now - cached[0] < HEADER_REUSE:
                return cached[1]
            claims = {"aud": audience, "exp": int(now) + JWT_LIFETIME, "sub": self.subject}
            header = self.vapid.sign(claims)["Authorization"]
            self._headers[audience] = (now, header)
            return header


def public_key_text(vapid: Vapid02) -> str:
    """Base64url (no padding) of the uncompressed public point."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(raw)


def signer() -> VapidSigner:
    """The app's signer, loaded (or made) on first use and kept for the process."""
    app = current_app._get_current_object()
    found = app.extensions.get("darman_vapid")
    if found is None:
        found = VapidSigner(_load_key(), _subject())
        app.extensions["darman_vapid"] = found
    return found


def _load_key() -> Vapid02:
    """The configured private key, or the instance folder's (made once, race-safe)."""
    config = current_app.config
    configured = config.get("DARMAN_VAPID_PRIVATE_KEY")
    if configured:
        vapid = _parse(configured.strip())
        expected = config.get("DARMAN_VAPID_PUBLIC_KEY")
        if expected and expected.strip().rstrip("=") != public_key_text(vapid):
            raise VapidKeyError("DARMAN_VAPID_PUBLIC_KEY does not match the private key")
        return vapid
    path = os.path.join(current_app.instance_path, KEY_FILE)
    if not os.path.exists(path):
        _create_key_file(path)
    with open(path, "rb") as stream:
        return Vapid02.from_pem(stream.read())


def _parse(text: str) -> Vapid02:
    """A private key as PEM, or as base64url of the raw 32 bytes (or DER)."""
    try:
        if text.startswith("-----BEGIN"):
            return Vapid02.from_pem(text.encode())
        return Vapid02.from_string(text)
    except Exception as error:
        raise VapidKeyError(f"DARMAN_VAPID_PRIVATE_KEY cannot be read: {error}") from None


def _create_key_file(path: str) -> None:
    """Write a new key beside, then link it into place: of several processes one wins, and
    nobody ever reads a half-written file."""
    vapid = Vapid02()
    vapid.generate_keys()
    scratch = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(vapid.private_pem())
    try:
        os.link(scratch, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        os.unlink(scratch)


def _subject() -> str:
    """DARMAN_VAPID_SUBJECT, else the https origin, else a local mailto:."""
    config = current_app.config
    if config.get("DARMAN_VAPID_SUBJECT"):
        return config["DARMAN_VAPID_SUBJECT"]
    origin = urlsplit(config["DARMAN_ORIGIN"])
    if origin.scheme == "https" and origin.port is None:  # push services refuse a port here
        return f"https://{origin.hostname}"
    return "mailto:darman@localhost"
