"""`Idempotency-Key`: a provider's retry of a write gets the first answer again, not a second
prescription or a second delivery. Keys are scoped per provider; the same key with a different
request is refused with 409."""

import hashlib
import json

from flask import request
from flask_babel import gettext
from pydantic import BaseModel
from sqlalchemy import select

from .. import clock
from ..errors import ApiError
from ..extensions import db
from ..models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


def key_from_request() -> str | None:
    """The request's key (1–100 visible ASCII characters), None without one; 400 when bad."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not (0 < len(key) <= MAX_KEY_LENGTH and all("!" <= ch <= "~" for ch in key)):
        message = gettext("The Idempotency-Key header must be 1 to 100 visible characters.")
        raise ApiError(400, "invalid_idempotency_key", message)
    return key


def fingerprint(action: str, body: BaseModel) -> str:
    """A hash of what is asked: the action and the normalised body (digits, spaces, order)."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{action}\n{canonical}".encode()).hexdigest()


def replay(provider_id: int, key: str | None, request_fingerprint: str) -> tuple | None:
    """The stored answer for this key as (body, status, headers), None when it is new; 409 when
    the key was used for another request."""
    if key is None:
        return None
    stored = db.session.execute(
        select(IdempotencyKey).where(
            IdempotencyKey.provider_id == provider_id, IdempotencyKey.key == key
        )
    ).scalar_one_or_none()
    if stored is None:
        return None
    if stored.fingerprint != request_fingerprint:
        message = gettext("This Idempotency-Key was already used for a different request.")
        raise ApiError(409, "idempotency_key_reused", message)
    return stored.answer, stored.status, {"Idempotent-Replayed": "true"}


def remember(
    provider_id: int, key: str | None, request_fingerprint: str, status: int, answer: dict
) -> None:
    """Keep the answer under the key, in the caller's transaction (nothing without a key)."""
    if key is None:
        return
    db.session.add(
        IdempotencyKey(
            provider_id=provider_id,
            key=key,
            fingerprint=request_fingerprint,
            status=status,
            answer=answer,
            created_at=clock.now(),
        )
    )
