"""`Idempotency-Key`: a provider's retry of a write gets the first answer again, not a second
prescription or a second delivery. Keys are scoped per provider; the same key with a different
request is refused with 409. The request layer reads the header
(`requests.idempotency_key_argument`)."""

import hashlib
import json

from pydantic import BaseModel
from sqlalchemy import select

from .. import clock
from ..database import findable_when_run_again
from ..domain.refusal import Conflict
from ..extensions import db
from ..models import IdempotencyKey


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
        raise Conflict("idempotency_key_reused")
    return stored.answer, stored.status, {"Idempotent-Replayed": "true"}


def remember(
    provider_id: int, key: str | None, request_fingerprint: str, status: int, answer: dict
) -> None:
    """Keep the answer under the key, in the caller's transaction (nothing without a key): a
    retry finds it — the provider's, or the unit of work's own when the commit was cut by a
    failover (`findable_when_run_again`)."""
    if key is None:
        return
    findable_when_run_again(db.session())
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
