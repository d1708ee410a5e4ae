"""How a cancellation shows in a record: the prescription's status, each item's, and who
cancelled it, when and why. A cancelled prescription or item is never shown as still to be
received: nothing remains of it and no last day to receive it is given."""

from datetime import date, datetime

from flask_babel import gettext

from .. import clock
from ..i18n import number
from ..models import Prescription, PrescriptionItem
from . import rules, texts


def status_of(prescription: Prescription, items: list[PrescriptionItem], expired: bool) -> str:
    """`cancelled` when the whole was, or when every item is delivered or cancelled and one was;
    otherwise as `rules.prescription_status` says."""
    if prescription.cancelled_at is not None:
        return "cancelled"
    left = [item for item in items if not _cancelled(item)]
    if len(left) < len(items) and all(item.dispensed >= item.quantity for item in left):
        return "cancelled"
    return rules.prescription_status([(i.quantity, i.dispensed) for i in left], expired)


def mark(described: dict, prescription: Prescription, items: list[PrescriptionItem], by: str):
    """The described record (`reading.describe`) with its cancellations: the record's own, and
    each cancelled item's status, sentence and what remains (nothing)."""
    described["cancelled"] = None
    if prescription.cancelled_at is not None:
        described["cancelled"] = _cancellation(
            prescription.cancelled_at, by, prescription.cancel_reason
        )
    for item, entry in zip(items, described["items"], strict=True):
        entry["cancelled"] = None
        if _cancelled(item):
            entry.update(
                status="cancelled",
                remaining=0,
                status_text=sentence(item.quantity, item.dispensed),
                cancelled=_cancellation(item.cancelled_at, by, item.cancel_reason),
            )
    return described


def _cancelled(item: PrescriptionItem) -> bool:
    """The item was cancelled with something of it left."""
    return rules.is_cancelled(item.cancelled_at, item.quantity, item.dispensed)


def _cancellation(at: datetime, by: str, reason: str | None) -> dict:
    """Who cancelled, when and why."""
    return {
        "at": clock.as_tehran(at).isoformat(),
        "at_jalali": texts.moment(at),
        "by": by,
        "reason": reason or "",
    }


def sentence(quantity: int, dispensed: int) -> str:
    """A cancelled item's sentence: what had been received, and that the rest cannot be."""
    if dispensed:
        return gettext(
            "%(dispensed)s of %(quantity)s received; the doctor cancelled the rest, so it "
            "cannot be received.",
            dispensed=number(dispensed),
            quantity=number(quantity),
        )
    return gettext("Cancelled by the doctor: it cannot be received.")


def cancelled_on(prescription: Prescription) -> date:
    """The day (Tehran) the prescription was cancelled."""
    return clock.as_tehran(prescription.cancelled_at).date()
