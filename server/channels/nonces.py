"""The gateways' nonces: each may be used once within DARMAN_GATEWAY_NONCE_SECONDS.

Kept in the database (not in a worker's memory), so that a request replayed to another worker
or node is refused too.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from ..database import commit_now
from ..extensions import db
from ..models import GatewayNonce


def first_use(nonce: str, now: datetime, keep: timedelta) -> bool:
    """Record the nonce and commit it at once; False when it was already used within `keep`
    (DARMAN_GATEWAY_NONCE_SECONDS)."""
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
