"""Repeat prescriptions: a chronic drug written once in monthly parts (2 to 6; up to 12 for a
person on the special-patients list on the day), each part a month's quantity, servable from
its day (part k from the day written + k−1 Jalali months). The items keep the parts' sum as
their quantity, so the database's guard (never more delivered than prescribed) holds the whole;
what may be delivered by a day is the parts due by then."""

from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from ..domain.jalali import jalali_text
from ..domain.refusal import Conflict, Invalid
from ..extensions import db
from ..i18n import number
from ..models import Prescription, PrescriptionItem, SpecialPatient, in_force
from . import rules


def check_parts(person_id: int, parts: int, today: date) -> None:
    """More than 6 parts only for a person on the special-patients list today (400
    `too_many_parts` otherwise, naming the limit that applies)."""
    if parts <= rules.MAX_PARTS:
        return
    if parts > rules.MAX_SPECIAL_PARTS or not is_special_patient(person_id, today):
        limit = rules.MAX_SPECIAL_PARTS if parts > rules.MAX_SPECIAL_PARTS else rules.MAX_PARTS
        raise Invalid("too_many_parts", field="parts", max=limit)


def is_special_patient(person_id: int, today: date) -> bool:
    """True when the person is on the special-patients list on `today`."""
    found = db.session.scalar(
        select(SpecialPatient.id)
        .where(
            SpecialPatient.person_id == person_id,
            in_force(SpecialPatient.valid_from, SpecialPatient.valid_until, today),
        )
        .limit(1)
    )
    return found is not None


def last_day(written_on: date, parts: int, valid_days: int) -> date:
    """The last day anything of it may be delivered: `valid_days` after its last part's day."""
    return rules.expires_on(rules.part_due_on(written_on, parts), valid_days)


def part_dates(written_on: date, parts: int) -> list[date]:
    """The first day of each part."""
    return [rules.part_due_on(written_on, part) for part in range(1, parts + 1)]


def check_due(
    prescription: Prescription, items: dict[str, PrescriptionItem], wanted: list, today: date
) -> None:
    """Nothing of a part before its day: 409 `not_due` with the day the part asked for begins
    (ISO in `due_on`), naming the item."""
    if prescription.parts <= 1:
        return
    for entry in wanted:
        item = items[entry.code]
        part = rules.part_of(item.quantity, prescription.parts, item.dispensed + entry.quantity)
        due_on = rules.part_due_on(prescription.written_on, part)
        if due_on > today:
            raise Conflict(
                "not_due",
                item=item.code,
                part=part,
                due_on=due_on.isoformat(),
                words={"date": due_on, "name": item.name},
            )


def item_sentences(described: dict, prescription: Prescription) -> dict:
    """A repeat's open items say what a month brings and from when the next part may be had,
    not «the rest by the last day» (which reads as if it could all be had now)."""
    upcoming = described["next_part_on"]
    if prescription.parts <= 1 or upcoming is None:
        return described
    for entry in described["items"]:
        if entry["status"] not in ("open", "partial"):
            continue
        per_part = entry["quantity"] // prescription.parts
        now = per_part * described["parts_due"] - entry["dispensed"]
        values = {
            "dispensed": number(entry["dispensed"]),
            "quantity": number(entry["quantity"]),
            "per_part": number(per_part),
            "now": number(now),
            "date": described["next_part_on_jalali"],
        }
        entry["status_text"] = (
            gettext(
                "%(dispensed)s of %(quantity)s received, %(per_part)s a month: %(now)s can be "
                "received now at any pharmacy, the next part from %(date)s.",
                **values,
            )
            if now > 0
            else gettext(
                "%(dispensed)s of %(quantity)s received, %(per_part)s a month; the next part "
                "can be received from %(date)s at any pharmacy.",
                **values,
            )
        )
    return described


def describe(prescription: Prescription, status: str, today: date) -> dict:
    """A record's parts: how many, how many may be received by today, and the next one's day
    (none once nothing more can be received)."""
    parts = prescription.parts
    due = rules.parts_due(prescription.written_on, parts, today)
    upcoming = None
    if due < parts and status in ("open", "partial"):
        upcoming = rules.part_due_on(prescription.written_on, due + 1)
    return {
        "parts": parts,
        "parts_due": due,
        "next_part_on": upcoming.isoformat() if upcoming else None,
        "next_part_on_jalali": jalali_text(upcoming) if upcoming else None,
    }
