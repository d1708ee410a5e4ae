"""Providers' bearer tokens: who is asking, what the token may do, and how often.

Every request looks its token up in the database (one keyed read joined with the centre), so a
revoked or expired token, or a suspended centre, is refused at once on every worker and node:
no per-worker cache can outlive a revocation. Per-token limits are counted in the database too.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from functools import partial, wraps

from flask import current_app, g, request
from sqlalchemy import Connection, and_, bindparam, or_, select, update

from .. import clock
from ..database import keep_if_failed
from ..domain.refusal import Forbidden, Unauthorized
from ..extensions import db
from ..inquiries import log_engine
from ..models import KIND_SCOPES, Provider, ProviderToken
from ..prepared import AnyConnection, PreparedConnection, prepared_connection
from . import rate_limits
from .rate_limits import Limit

LAST_USED_EVERY = timedelta(minutes=1)  # `last_used_at` is written at most this often

# What each route needs of a token: (scopes, any of which admits; the limit it counts against).
ROUTE_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "provider.eligibility": (("eligibility",), "inquiries"),
    "fhir.submit": (("eligibility",), "inquiries"),
    "provider.inquiry": (("eligibility",), "requests"),
    "records_provider.write_prescription": (("prescribe",), "requests"),
    "records_provider.dispense": (("dispense",), "requests"),
    # A pharmacy reads prescriptions all day to deliver them: not the record reads limited here.
    "records_provider.prescription": (("prescribe", "dispense"), "requests"),
    "records_provider.patient_records": (("records",), "records"),
    # An admission is an eligibility inquiry of the hospital's.
    "hospitals_provider.admit": (("eligibility",), "inquiries"),
}
DEFAULT_RULE: tuple[tuple[str, ...], str] = ((), "requests")
# The hot path counts its request in the same short transaction as its inquiry's log.
COUNTED_BY_VIEW = frozenset({"provider.eligibility"})


@dataclass(frozen=True)
class AuthenticatedProvider:
    """The centre behind this request's token, and what the token may do."""

    id: int
    name: str
    kind: str
    scopes: frozenset[str] = frozenset()
    token_id: int | None = None
    member_id: int | None = None  # set when a member asks in the web


def hash_token(token: str) -> str:
    """SHA-256 of a bearer token: tokens are 256-bit random, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


def _limit(token_id: int, kind: str) -> Limit:
    """The per-token limit a route counts against (settings DARMAN_PROVIDER_*)."""
    config = current_app.config
    if kind == "inquiries":
        per, window = config["DARMAN_PROVIDER_INQUIRIES_PER_MINUTE"], timedelta(minutes=1)
    elif kind == "records":
        per, window = config["DARMAN_PROVIDER_RECORD_READS_PER_HOUR"], timedelta(hours=1)
    else:
        per, window = config["DARMAN_PROVIDER_REQUESTS_PER_MINUTE"], timedelta(minutes=1)
    return Limit(f"token:{token_id}:{kind}", per, window)


_LOOKUP = (
    select(
        ProviderToken.id,
        ProviderToken.scopes,
        Provider.id.label("provider_id"),
        Provider.name,
        Provider.kind,
        and_(
            ProviderToken.revoked_at.is_(None),
            ProviderToken.expires_at > bindparam("now"),
            Provider.status == "active",
        ).label("live"),
        or_(
            ProviderToken.last_used_at.is_(None),
            ProviderToken.last_used_at < bindparam("touch_before"),
        ).label("touch"),
    )
    .join(Provider, Provider.id == ProviderToken.provider_id)
    .where(ProviderToken.token_hash == bindparam("token_hash"))
)  # built once; whether the token is live is decided in the statement, so that its row is
# plain values on every connection (the session's, or the hot path's prepared one)


def lookup(token: str, connection: AnyConnection | None = None) -> AuthenticatedProvider | None:
    """The live token's centre: not revoked, not expired, the centre active; else None. Read on
    `connection` (the hot path's), or on the session's."""
    now = clock.now()
    connection = connection if connection is not None else db.session.connection()
    params = {"token_hash": hash_token(token), "now": now, "touch_before": now - LAST_USED_EVERY}
    row = connection.execute(_LOOKUP, params).first()
    if row is None or not row.live:
        return None
    g.token_touch_due = bool(row.touch)
    scopes = frozenset(filter(None, row.scopes.split(",")))
    return AuthenticatedProvider(row.provider_id, row.name, row.kind, scopes, row.id)


_TOUCH = (
    update(ProviderToken)
    .where(ProviderToken.id == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def count(connection: AnyConnection, provider: AuthenticatedProvider, limit: Limit) -> None:
    """Count this request in the token's bucket on `connection`, in its transaction (429 when
    full: nothing is counted then), and note the token's use at most once a minute."""
    seconds = rate_limits.take(connection, limit)
    if seconds is not None:
        raise rate_limits.token_full(seconds)
    touch_if_due(connection, provider)


def touch_if_due(connection: AnyConnection, provider: AuthenticatedProvider) -> None:
    """Note the token's use (`last_used_at`), at most once a minute."""
    if g.pop("token_touch_due", True):
        connection.execute(_TOUCH, {"token_id": provider.token_id, "now": clock.now()})


def _count_again(limit: Limit, connection: Connection) -> None:
    """The count of a request that failed, kept after its rollback (unless the bucket is full)."""
    rate_limits.take(connection, limit)


def hot_count(connection: PreparedConnection) -> Limit:
    """For a view that counts its request itself (`COUNTED_BY_VIEW`): the limit to count it
    against in its own statement (`inquiries.ask(count=…)`), the token's use noted first."""
    touch_if_due(connection, g.provider)
    return g.pop("provider_limit")


def count_in_request(limit: Limit | None = None) -> None:
    """Count the request in the request's own transaction: the unit of work commits the count
    with whatever the view writes, and keeps it alone if the request fails."""
    limit = limit or g.pop("provider_limit")
    count(db.session.connection(), g.provider, limit)
    keep_if_failed(db.session, partial(_count_again, limit))


def _unauthorized() -> Unauthorized:
    """401 with the bearer challenge."""
    return Unauthorized("invalid_token", bearer=True)


def provider_required(view):
    """Admit a live token whose scopes allow this route, within its limits; 401/403/429.

    The hot path (`COUNTED_BY_VIEW`) never touches the ORM session: the token is read, counted
    and the inquiry logged on one prepared connection of its own (`g.hot_connection`, returned
    to the pool after the view: `server/prepared.py`), in one short transaction. Every other
    route reads the token on the session's connection and counts the request in the request's
    unit of work."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.endpoint in COUNTED_BY_VIEW:
            with prepared_connection(log_engine()) as connection:
                g.hot_connection = connection
                _admit(connection)
                return view(*args, **kwargs)
        _admit(db.session.connection())
        count_in_request(g.pop("provider_limit"))
        return view(*args, **kwargs)

    return wrapper


def _admit(connection: AnyConnection) -> None:
    """The token's centre in `g.provider` and the limit it counts against in
    `g.provider_limit`; 401 for no live token, 403 for a token without the route's scope."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    provider = None
    if scheme.lower() == "bearer" and token.strip():
        provider = lookup(token.strip(), connection)
    if provider is None:
        raise _unauthorized()
    scopes, limit_kind = ROUTE_RULES.get(request.endpoint or "", DEFAULT_RULE)
    # A scope the centre's kind can never have is left to the view's own kind check.
    possible = KIND_SCOPES.get(provider.kind, frozenset()).intersection(scopes)
    if possible and not provider.scopes.intersection(scopes):
        raise Forbidden("insufficient_scope", needs=list(scopes))
    g.provider = provider
    g.provider_limit = _limit(provider.token_id, limit_kind)
