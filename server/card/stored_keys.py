"""The card's keyring in the database (DARMAN_CARD_KEY_STORE=database): every node reads the
same keys and a rotation on one is seen by all. The same states and rotation as `keys.Keyring`;
writes take a lock (PostgreSQL: an advisory lock; SQLite: the write lock of BEGIN IMMEDIATE)
held until the caller commits: the request's unit of work, or the `rotate-key` command.
"""

from datetime import datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select, text

from ..database import lock_for_write
from ..extensions import db
from ..models import CardSigningKey
from .keys import CardKey, Rotation, key_id, raw_public

ORDER = {"current": 0, "next": 1, "retired": 2}
LOCK_ID = 0x6461726D616E  # "darman": the advisory lock that serialises key writes


class StoredKeyring:
    """The keys in the `card_signing_key` table; private keys encrypted with `secret`."""

    def __init__(self, secret: str) -> None:
        self._password = secret.encode()

    def published(self) -> list[CardKey]:
        """Every published key: current first, then next, then retired, newest first."""
        rows = db.session.execute(select(CardSigningKey)).scalars().all()
        rows = sorted(rows, key=lambda row: (ORDER[row.state], -_stamp(row.created_at)))
        return [_card_key(row) for row in rows]

    def jwks(self) -> dict:
        """The published keys as a JWK Set."""
        return {"keys": [key.jwk() for key in self.published()]}

    def signing_key(self, now: datetime) -> tuple[str, Ed25519PrivateKey]:
        """The current key's id and private key; the first keys are made on first use."""
        row = self._row("current")
        if row is None:
            self._lock()
            if self._row("current") is None:
                db.session.add_all([self._new_key("current", now), self._new_key("next", now)])
                db.session.flush()
            row = self._row("current")
        return row.kid, self._private(row)

    def rotate(self, now: datetime, keep: timedelta) -> Rotation:
        """Current → retired, next → current, a new next; retired keys older than `keep` go."""
        self._lock()
        rows = {row.kid: row for row in db.session.execute(select(CardSigningKey)).scalars()}
        old = next((row for row in rows.values() if row.state == "current"), None)
        upcoming = next((row for row in rows.values() if row.state == "next"), None)
        if old is not None:
            old.state, old.retired_at, old.private_pem = "retired", now, None  # it signs no more
        if upcoming is not None:
            upcoming.state = "current"
        else:
            upcoming = self._new_key("current", now)
            db.session.add(upcoming)
        following = self._new_key("next", now)
        db.session.add(following)
        removed = tuple(
            row.kid
            for row in rows.values()
            if row.state == "retired" and _stamp(row.retired_at) <= (now - keep).timestamp()
        )
        if removed:
            db.session.execute(delete(CardSigningKey).where(CardSigningKey.kid.in_(removed)))
        kids = (upcoming.kid, following.kid, old.kid if old else None)
        db.session.flush()
        return Rotation(*kids, removed)

    def _row(self, state: str) -> CardSigningKey | None:
        """The key in a state."""
        return db.session.execute(
            select(CardSigningKey).where(CardSigningKey.state == state)
        ).scalar_one_or_none()

    def _lock(self) -> None:
        """Hold, until the transaction ends, the lock that other key writers wait for."""
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
        else:  # SQLite: the write lock (BEGIN IMMEDIATE, unless the transaction holds it)
            lock_for_write(db.session)

    def _new_key(self, state: str, now: datetime) -> CardSigningKey:
        """A new key pair; the private key encrypted with the secret."""
        private_key = Ed25519PrivateKey.generate()
        x = raw_public(private_key.public_key())
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._password),
        )
        return CardSigningKey(kid=key_id(x), state=state, x=x, private_pem=pem, created_at=now)

    def _private(self, row: CardSigningKey) -> Ed25519PrivateKey:
        """The decrypted private key (cached by kid: a key id names one key for ever)."""
        if row.kid not in _private_cache:
            key = serialization.load_pem_private_key(row.private_pem, password=self._password)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"card key {row.kid} is not an Ed25519 key")
            _private_cache[row.kid] = key
        return _private_cache[row.kid]


def _stamp(moment: datetime | None) -> float:
    """A stored time as a number (SQLite gives naive UTC times back)."""
    from ..clock import as_utc

    return as_utc(moment).timestamp() if moment else 0.0


def _card_key(row: CardSigningKey) -> CardKey:
    """A row as the keyring's published key."""
    from ..clock import as_utc

    retired = as_utc(row.retired_at).isoformat() if row.retired_at else None
    return CardKey(row.kid, row.state, row.x, as_utc(row.created_at).isoformat(), retired)


_private_cache: dict[str, Ed25519PrivateKey] = {}
