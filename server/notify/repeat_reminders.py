"""The daily job's reminders of a repeat prescription's next part, a few days before its day:
each part once (`prescription.reminded_parts` is raised by a guarded statement, so a second run
or a concurrent one writes nothing twice), none for a cancelled or expired prescription or one
with nothing left to receive."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, exists, select, update

from .. import clock
from ..models import OutboxEvent, Prescription, PrescriptionItem
from ..records.rules import part_due_on

AHEAD_DAYS = 3  # how many days before a part's day its reminder goes
OLDEST = timedelta(days=400)  # 12 monthly parts at most, and a little


@dataclass(frozen=True)
class PartDue:
    """One reminder to write: whose prescription, which part, from which day."""

    prescription_id: int
    person_id: int
    part: int
    on: date


def due(connection: Connection, today: date) -> list[PartDue]:
    """Repeat prescriptions with a part beginning within AHEAD_DAYS that nobody was reminded of
    (reads only: no write lock; found by the `parts` index)."""
    something_left = exists().where(
        PrescriptionItem.prescription_id == Prescription.id,
        PrescriptionItem.cancelled_at.is_(None),
        PrescriptionItem.dispensed < PrescriptionItem.quantity,
    )
    rows = connection.execute(
        select(
            Prescription.id,
            Prescription.person_id,
            Prescription.written_on,
            Prescription.reminded_parts,
        ).where(
            Prescription.parts > 1,
            Prescription.written_on >= today - OLDEST,
            Prescription.reminded_parts < Prescription.parts,
            Prescription.cancelled_at.is_(None),
            Prescription.expires_on >= today,
            something_left,
        )
    )
    found = []
    for row in rows:
        part = row.reminded_parts + 1
        on = part_due_on(row.written_on, part)
        if (on - today).days <= AHEAD_DAYS:
            found.append(PartDue(row.id, row.person_id, part, on))
    return found


def store(connection: Connection, parts: list[PartDue]) -> int:
    """Put the reminders (of `due`) in the outbox, each part once; how many."""
    now, stored = clock.now(), 0
    for part in parts:
        raised = connection.execute(
            update(Prescription)
            .where(
                Prescription.id == part.prescription_id,
                Prescription.reminded_parts == part.part - 1,
            )
            .values(reminded_parts=part.part)
        )
        if raised.rowcount != 1:
            continue  # another run reminded of it
        new = {
            "prescription_id": part.prescription_id,
            "part": part.part,
            "date": part.on.isoformat(),
        }
        connection.execute(
            OutboxEvent.__table__.insert(),
            {
                "kind": "repeat_due",
                "person_id": part.person_id,
                "old": None,
                "new": new,
                "created_at": now,
                "status": "pending",
            },
        )
        stored += 1
    return stored
