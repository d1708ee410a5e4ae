"""A centre's API tokens: made (the token is shown once), listed, revoked and rotated.

Only a token's SHA-256 hash is kept. Scopes are limited to what the centre's kind may do.
"""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from .. import clock
from ..auth.providers import hash_token
from ..extensions import db
from ..models import KIND_SCOPES, TOKEN_SCOPES, Provider, ProviderToken
from .accounts import CentreError


def scopes_for(kind: str) -> list[str]:
    """Every scope a centre of this kind may give a token, in a stable order."""
    allowed = KIND_SCOPES.get(kind, frozenset({"eligibility"}))
    return [scope for scope in TOKEN_SCOPES if scope in allowed]


def create_token(centre_id: int, name: str, scopes: list[str] | None = None) -> tuple[int, str]:
    """A new token for the centre: (its id, the token itself — shown now and never again)."""
    centre = db.session.get(Provider, centre_id)
    if centre is None:
        raise CentreError("unknown_centre", gettext("No centre has this id."))
    allowed = scopes_for(centre.kind)
    chosen = allowed if scopes is None else [s for s in TOKEN_SCOPES if s in set(scopes)]
    if not chosen or not set(chosen) <= set(allowed):
        message = gettext("Choose at least one permission that this kind of centre may have.")
        raise CentreError("invalid_scopes", message, "scopes")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    days = current_app.config["DARMAN_PROVIDER_TOKEN_DAYS"]
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
    """A token by id (of this centre, when one is given); else CentreError."""
    row = db.session.get(ProviderToken, token_id)
    if row is None or (centre_id is not None and row.provider_id != centre_id):
        raise CentreError("unknown_token", gettext("No token has this id."))
    return row


def revoke_token(token_id: int, centre_id: int | None = None) -> ProviderToken:
    """Revoke a token; from the next request on, on every worker, it is refused."""
    row = _token(token_id, centre_id)
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        db.session.flush()
    return row


def rotate_token(token_id: int, centre_id: int | None = None) -> tuple[int, str]:
    """Revoke a token and make its successor with the same name and scopes."""
    row = _token(token_id, centre_id)
    if row.revoked_at is not None:
        raise CentreError("revoked_token", gettext("This token has been revoked."))
    revoke_token(row.id)
    return create_token(row.provider_id, row.name, row.scopes.split(","))


def tokens_of(centre_id: int) -> list[ProviderToken]:
    """The centre's tokens, newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(ProviderToken)
            .where(ProviderToken.provider_id == centre_id)
            .order_by(ProviderToken.id.desc())
        )
    )
