"""A centre's API tokens: made (the token is shown once), listed, revoked and rotated.

Only a token's SHA-256 hash is kept. Scopes are limited to what the centre's kind may do.
"""

import secrets
from datetime import timedelta

from sqlalchemy import select

from .. import clock
from ..auth.providers import hash_token
from ..domain.refusal import Gone, Invalid, NotFound
from ..extensions import db
from ..models import KIND_SCOPES, TOKEN_SCOPES, Provider, ProviderToken

DAYS = 365  # how long a token lives (DARMAN_PROVIDER_TOKEN_DAYS)


def scopes_for(kind: str) -> list[str]:
    """Every scope a centre of this kind may give a token, in a stable order."""
    allowed = KIND_SCOPES.get(kind, frozenset({"eligibility"}))
    return [scope for scope in TOKEN_SCOPES if scope in allowed]


def create_token(
    centre_id: int, name: str, scopes: list[str] | None = None, days: int = DAYS
) -> tuple[int, str]:
    """A new token for the centre, good for `days`: (its id, the token itself — shown now and
    never again)."""
    centre = db.session.get(Provider, centre_id)
    if centre is None:
        raise NotFound("unknown_centre")
    allowed = scopes_for(centre.kind)
    chosen = allowed if scopes is None else [s for s in TOKEN_SCOPES if s in set(scopes)]
    if not chosen or not set(chosen) <= set(allowed):
        raise Invalid("invalid_scopes", field="scopes")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = ProviderToken(
        provider_id=centre_id,
        name=name[:100],
        token_hash=hash_token(token),
        scopes=",".join(chosen),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(row)
    db.session.flush()
    return row.id, token


def _token(token_id: int, centre_id: int | None) -> ProviderToken:
    """A token by id (of this centre, when one is given); else a refusal."""
    row = db.session.get(ProviderToken, token_id)
    if row is None or (centre_id is not None and row.provider_id != centre_id):
        raise NotFound("unknown_token")
    return row


def revoke_token(token_id: int, centre_id: int | None = None) -> ProviderToken:
    """Revoke a token; from the next request on, on every worker, it is refused."""
    row = _token(token_id, centre_id)
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        db.session.flush()
    return row


def rotate_token(token_id: int, centre_id: int | None = None, days: int = DAYS) -> tuple[int, str]:
    """Revoke a token and make its successor with the same name and scopes, good for `days`."""
    row = _token(token_id, centre_id)
    if row.revoked_at is not None:
        raise Gone("revoked_token")
    revoke_token(row.id)
    return create_token(row.provider_id, row.name, row.scopes.split(","), days)


def tokens_of(centre_id: int) -> list[ProviderToken]:
    """The centre's tokens, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(ProviderToken)
            .where(ProviderToken.provider_id == centre_id)
            .order_by(ProviderToken.id.desc())
        )
    )
