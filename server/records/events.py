"""What the record puts in the outbox for its patient: a prescription written or cancelled (the
notify worker tells them, as `server/notify/changes.py` reads it)."""

from datetime import datetime

from .. import clock
from ..extensions import db
from ..models import OutboxEvent


def tell(kind: str, prescription_id: int, person_id: int, center: str, now: datetime) -> None:
    """Add the outbox event `kind` about the prescription and the centre that wrote it."""
    new = {
        "prescription_id": prescription_id,
        "center": center,
        "at": clock.as_tehran(now).isoformat(),
    }
    db.session.add(OutboxEvent(kind=kind, person_id=person_id, old=None, new=new, created_at=now))
