"""Cancelling a prescription: only the doctor or centre who wrote it, whole while nothing of it
is delivered (409 `dispensed` after), or item by item what remains of some items (a repeat's
remaining parts with them). Who, when and why are kept; the patient is told (a notice, and an
SMS: the code they were texted no longer serves). A cancelled prescription or item is refused
at every counter (`refuse_if_cancelled`, `refuse_cancelled_items`).

Cancelling and delivering never both win: each locks the prescription's row before reading it,
and each changes an item only by a guarded statement (a cancel only where nothing is delivered,
a delivery only where the item is not cancelled)."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from .. import clock
from ..auth.providers import AuthenticatedProvider
from ..catalogue.notices import send_cancellation_sms
from ..database import after_commit
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Prescription, PrescriptionItem
from . import cancelled, events, locking, reading
from .schemas import CancelRequest


def cancel(provider: AuthenticatedProvider, code: str, body: CancelRequest) -> dict:
    """Cancel the prescription of `code` (or, with `body.items`, those items); its record after.
    Someone else's prescription is as one that does not exist (404)."""
    prescription = locking.prescription(code)
    if prescription is None or prescription.provider_id != provider.id:
        raise NotFound("unknown_prescription")
    refuse_if_cancelled(prescription)
    items = locking.items(prescription.id)
    now = clock.now()
    if body.items is None:
        _cancel_whole(prescription, items, body.reason, now)
        prescription.cancelled_at, prescription.cancel_reason = now, body.reason
        prescription.cancelled_by_member_id = provider.member_id
    else:
        _cancel_items(items, body.items, body.reason, now)
    _tell_patient(prescription, provider.name, now)
    row = reading.record(prescription.id)
    described = reading.describe(row, list(items), clock.today())
    return {key: described[key] for key in ("code", "status", "cancelled", "items")}


def _cancel_whole(
    prescription: Prescription, items: list[PrescriptionItem], reason: str, now: datetime
) -> None:
    """Every item not yet cancelled, only while nothing of any is delivered (409 `dispensed`
    naming what can still be cancelled item by item)."""
    left = [item for item in items if item.cancelled_at is None]
    if any(item.dispensed for item in items):
        undelivered = [item.code for item in left if item.dispensed < item.quantity]
        raise Conflict("dispensed", items=undelivered)
    _guarded(prescription.id, [item.id for item in left], reason, now, nothing_delivered=True)
    for item in left:
        _set(item, reason, now)


def _cancel_items(
    items: list[PrescriptionItem], codes: list[str], reason: str, now: datetime
) -> None:
    """What remains of these items: each on the prescription (400), not cancelled already and
    not wholly delivered (409 naming it)."""
    by_code = {item.code: item for item in items}
    for index, code in enumerate(codes):
        if code not in by_code:
            raise Invalid("unknown_item", field=f"items.{index}", words={"code": code})
    chosen = [by_code[code] for code in dict.fromkeys(codes)]
    for item in chosen:
        if item.cancelled_at is not None:
            raise Conflict("cancelled", item=item.code, words={"name": item.name})
        if item.dispensed >= item.quantity:
            raise Conflict("dispensed", item=item.code, words={"name": item.name})
    _guarded(items[0].prescription_id, [item.id for item in chosen], reason, now)
    for item in chosen:
        _set(item, reason, now)


def _guarded(
    prescription_id: int,
    item_ids: list[int],
    reason: str,
    now: datetime,
    nothing_delivered: bool = False,
) -> None:
    """Mark the items cancelled in one statement that changes only those still open (and, with
    `nothing_delivered`, untouched): a delivery that got in first makes it refuse (409)."""
    guard = (
        PrescriptionItem.dispensed == 0
        if nothing_delivered
        else (PrescriptionItem.dispensed < PrescriptionItem.quantity)
    )
    changed = db.session.execute(
        update(PrescriptionItem)
        .where(
            PrescriptionItem.prescription_id == prescription_id,
            PrescriptionItem.id.in_(item_ids),
            PrescriptionItem.cancelled_at.is_(None),
            guard,
        )
        .values(cancelled_at=now, cancel_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != len(item_ids):
        raise Conflict("dispensed", items=[])


def _set(item: PrescriptionItem, reason: str, now: datetime) -> None:
    """What the guarded statement wrote, on the loaded item (not written again)."""
    set_committed_value(item, "cancelled_at", now)
    set_committed_value(item, "cancel_reason", reason)


def _tell_patient(prescription: Prescription, center: str, now: datetime) -> None:
    """The notice (through the outbox, as a new prescription's) and, once committed, the SMS."""
    events.tell("prescription_cancelled", prescription.id, prescription.person_id, center, now)
    person_id = prescription.person_id
    after_commit(db.session, lambda: send_cancellation_sms(person_id, prescription, center))


def refuse_if_cancelled(prescription: Prescription) -> None:
    """409 `cancelled` (with the day) for a prescription cancelled whole."""
    if prescription.cancelled_at is not None:
        day = cancelled.cancelled_on(prescription)
        raise Conflict("cancelled", cancelled_on=day.isoformat(), words={"date": day})


def refuse_cancelled_items(items: dict[str, PrescriptionItem], wanted: list) -> None:
    """409 `cancelled` naming the first item asked for that was cancelled."""
    for entry in wanted:
        item = items.get(entry.code)
        if item is not None and item.cancelled_at is not None:
            raise Conflict("cancelled", item=item.code, words={"name": item.name})
