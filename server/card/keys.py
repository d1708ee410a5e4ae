"""The card's signing keys, kept in a folder (the instance folder's card-keys/ by default, never
the repository): `keyring.json` lists every published key, `<kid>.pem` holds a private key.

A key is `next` (published, not yet signing), `current` (signing) or `retired` (published
until DARMAN_CARD_KEY_KEEP_HOURS after it stopped signing). Rotation retires the current key,
makes the next one current and adds a new next one: a pharmacy that fetched the keys at any time
since the last rotation already knows the key that signs after this one.
"""

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .jws import ALGORITHM, b64url_decode, b64url_encode

KEYRING = "keyring.json"
KID_BYTES = 12  # 16 base64url characters of the key's RFC 7638 thumbprint: a small QR code


@dataclass(frozen=True)
class CardKey:
    """One published key: `x` is the raw public key, base64url (as in a JWK)."""

    kid: str
    state: str  # next | current | retired
    x: str
    created_at: str
    retired_at: str | None = None

    def jwk(self) -> dict:
        """The public key as a JWK (RFC 8037)."""
        return {"kty": "OKP", "crv": "Ed25519", "x": self.x, "kid": self.kid, "use": "sig",
                "alg": ALGORITHM}  # fmt: skip


@dataclass(frozen=True)
class Rotation:
    """What a rotation did."""

    current: str
    next: str
    retired: str | None
    removed: tuple[str, ...]


def key_id(x: str) -> str:
    """The start of the key's RFC 7638 JWK thumbprint (SHA-256 of its canonical JSON)."""
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return b64url_encode(hashlib.sha256(canonical.encode()).digest()[:KID_BYTES])


def raw_public(public_key: Ed25519PublicKey) -> str:
    """The 32 raw bytes of a public key, base64url."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url_encode(raw)


class Keyring:
    """The keys in one folder; several processes may share it (writes hold a file lock)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def published(self) -> list[CardKey]:
        """Every published key: current first, then next, then retired, newest first."""
        path = self.directory / KEYRING
        try:
            status = path.stat()
        except FileNotFoundError:
            return []
        # each write replaces the file: a new inode, so a change shows even within one tick
        stamp = (status.st_ino, status.st_mtime_ns, status.st_size)
        cached = _read_cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        entries = json.loads(path.read_text(encoding="utf-8"))["keys"]
        keys = [CardKey(**entry) for entry in entries]
        _read_cache[path] = (stamp, keys)
        return keys

    def jwks(self) -> dict:
        """The published keys as a JWK Set."""
        return {"keys": [key.jwk() for key in self.published()]}

    def signing_key(self, now: datetime) -> tuple[str, Ed25519PrivateKey]:
        """The current key's id and private key; the first keys are made on first use."""
        current = self._current()
        if current is None:
            with self._locked():
                if self._current() is None:
                    self._write([self._new_key("current", now), self._new_key("next", now)])
            current = self._current()
        return current.kid, self._private(current.kid)

    def rotate(self, now: datetime, keep: timedelta) -> Rotation:
        """Current → retired, next → current, a new next; retired keys older than `keep` go."""
        with self._locked():
            keys = self.published()
            old, upcoming = _in_state(keys, "current"), _in_state(keys, "next")
            retired = [key for key in keys if key.state == "retired"]
            if old is not None:
                retired.insert(0, replace(old, state="retired", retired_at=now.isoformat()))
            current = replace(upcoming, state="current") if upcoming else None
            current = current or self._new_key("current", now)
            following = self._new_key("next", now)
            kept = [k for k in retired if datetime.fromisoformat(k.retired_at) > now - keep]
            self._write([current, following, *kept])
            for key in retired:
                self._private_path(key.kid).unlink(missing_ok=True)  # it signs no more
        removed = tuple(key.kid for key in retired if key not in kept)
        return Rotation(current.kid, following.kid, old.kid if old else None, removed)

    def _current(self) -> CardKey | None:
        """The key that signs now."""
        return _in_state(self.published(), "current")

    def _private(self, kid: str) -> Ed25519PrivateKey:
        """A private key from its PEM file (cached: it never changes)."""
        path = self._private_path(kid)
        if path not in _private_cache:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{path} is not an Ed25519 key")
            _private_cache[path] = key
        return _private_cache[path]

    def _private_path(self, kid: str) -> Path:
        """Where a private key is kept."""
        return self.directory / f"{kid}.pem"

    def _new_key(self, state: str, now: datetime) -> CardKey:
        """Make a key pair, keep the private key (owner-only), describe the public one."""
        private_key = Ed25519PrivateKey.generate()
        x = raw_public(private_key.public_key())
        kid = key_id(x)
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(self._private_path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
        return CardKey(kid, state, x, now.isoformat())

    def _write(self, keys: list[CardKey]) -> None:
        """Replace the keyring atomically: readers see the old file or the new one."""
        path = self.directory / KEYRING
        scratch = path.with_suffix(".json.new")
        text = json.dumps({"keys": [asdict(key) for key in keys]}, indent=2)
        scratch.write_text(text + "\n", encoding="utf-8")
        os.replace(scratch, path)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the folder's write lock (other workers and the CLI wait)."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.directory / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _in_state(keys: list[CardKey], state: str) -> CardKey | None:
    """The key in a state (there is at most one current and one next)."""
    return next((key for key in keys if key.state == state), None)


_read_cache: dict[Path, tuple[tuple[int, int, int], list[CardKey]]] = {}
_private_cache: dict[Path, Ed25519PrivateKey] = {}


def public_key(key: CardKey) -> Ed25519PublicKey:
    """The verifying key of a published key."""
    return Ed25519PublicKey.from_public_bytes(b64url_decode(key.x))
