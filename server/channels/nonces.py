"""The gateways' nonces: each may be used once while its request's timestamp can be accepted.

Kept in the database (not in a worker's memory), so that a request replayed to another worker
or node is refused too.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from ..database import commit_now
from ..extensions import db
from ..models import GatewayNonce

# Beyond the timestamp's whole window: the skew is counted in whole seconds, and the node that
# sees a replay may run a little ahead of the one that saw the request.
MARGIN = timedelta(minutes=1)


def keep_for(skew_seconds: int, nonce_seconds: int) -> timedelta:
    """How long a nonce is remembered: `nonce_seconds`, but never less than the whole time its
    timestamp is accepted and a margin. A request stamped `skew` ahead is accepted from `skew`
    before its stamp to `skew` after it: a nonce forgotten sooner lets it be replayed."""
    return max(timedelta(seconds=nonce_seconds), timedelta(seconds=2 * skew_seconds) + MARGIN)


def keep(config: Mapping) -> timedelta:
    """`keep_for` of DARMAN_GATEWAY_SKEW_SECONDS and DARMAN_GATEWAY_NONCE_SECONDS."""
    return keep_for(config["DARMAN_GATEWAY_SKEW_SECONDS"], config["DARMAN_GATEWAY_NONCE_SECONDS"])


def first_use(nonce: str, now: datetime, keep: timedelta) -> bool:
    """Record the nonce and commit it at once; False when it was already used within `keep`."""
    # A nonce older than the window is forgotten even before `darman prune` gets to it.
    db.session.execute(
        delete(GatewayNonce).where(GatewayNonce.nonce == nonce, GatewayNonce.seen_at <= now - keep)
    )
    try:
        with db.session.begin_nested():  # a nonce seen already undoes this row alone
            db.session.execute(insert(GatewayNonce).values(nonce=nonce, seen_at=now))
    except IntegrityError:  # a concurrent request with the same nonce waits, then lands here
        return False
    commit_now(db.session)  # used, even if the request then fails: a replay must be refused
    return True
