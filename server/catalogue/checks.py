"""The catalogue's checks on a new prescription: every item a catalogue code of the right kind
within its largest quantity, and interactions and duplicates among the items and against the
patient's current medicines. Nothing here writes but `store_acknowledgements`."""

from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import exists, or_, select

from .. import clock
from ..domain import interactions
from ..domain.interactions import DUPLICATE, Drug, Finding, Rule
from ..domain.refusal import Conflict, Invalid
from ..extensions import db
from ..models import (
    CatalogueItem,
    Dispensing,
    Interaction,
    InteractionAcknowledgement,
    Prescription,
    PrescriptionItem,
)

OPEN_DAYS = 60  # an open prescription of the last 60 days is a current medicine
DISPENSED_DAYS = 90  # and so is a drug delivered in the last 90


def _item_error(index: int, field: str, code: str, words: dict, **details) -> Invalid:
    """A 400 naming the item (its position from 1, as the doctor counts, for the message) and
    its field."""
    words = {"position": index + 1, **words}
    return Invalid(code, field=f"items.{index}.{field}", words=words, **details)


def resolve_items(type_: str, items: list) -> dict[str, CatalogueItem]:
    """The catalogue item of each `{code, quantity}`; 400 for an unknown code, an item of another
    kind, or a quantity above the item's largest (with the number allowed)."""
    codes = [item.code for item in items]
    found = {
        row.code: row
        for row in db.session.scalars(select(CatalogueItem).where(CatalogueItem.code.in_(codes)))
    }
    for index, item in enumerate(items):
        entry = found.get(item.code)
        if entry is None:
            raise _item_error(index, "code", "unknown_catalogue_code", {"code": item.code})
        if entry.kind != type_:
            words = {"name": entry.name, "type": type_}
            raise _item_error(index, "code", "wrong_item_kind", words, kind=entry.kind)
        if item.quantity > entry.max_quantity:
            words = {"name": entry.name, "unit": entry.unit}
            raise _item_error(
                index, "quantity", "quantity_above_max", words, max_quantity=entry.max_quantity
            )
    return {item.code: found[item.code] for item in items}  # in the order written


def _drug(entry: CatalogueItem, *, current: bool = False) -> Drug:
    """A catalogue drug as the interaction rules see it."""
    return Drug(entry.code, tuple(entry.ingredients.split("+")), current)


def current_medicine_codes(person_id: int, newborn_birth_date: date | None, today: date) -> set:
    """Codes of the patient's current medicines: items of drug prescriptions written in the last
    60 days that are still open, and items delivered in the last 90 days. A newborn's are only
    those written for that newborn (under the mother's code)."""
    since = clock.now() - timedelta(days=DISPENSED_DAYS)
    delivered = exists().where(Dispensing.item_id == PrescriptionItem.id, Dispensing.at >= since)
    still_open = (
        (Prescription.written_on >= today - timedelta(days=OPEN_DAYS))
        & (Prescription.expires_on >= today)
        & (PrescriptionItem.dispensed < PrescriptionItem.quantity)
        & PrescriptionItem.cancelled_at.is_(None)  # a cancelled item is no longer taken
    )
    newborn = (
        Prescription.newborn_birth_date.is_(None)
        if newborn_birth_date is None
        else Prescription.newborn_birth_date == newborn_birth_date
    )
    statement = (
        select(PrescriptionItem.code)
        .join(Prescription, Prescription.id == PrescriptionItem.prescription_id)
        .where(
            Prescription.person_id == person_id,
            Prescription.type == "drug",
            newborn,
            Prescription.written_on >= today - timedelta(days=DISPENSED_DAYS + OPEN_DAYS),
            or_(still_open, delivered),
        )
        .distinct()
    )
    return set(db.session.scalars(statement))


def _table(ingredients: set[str]) -> dict[tuple[str, str], Rule]:
    """The rows of the interaction table among these ingredients."""
    rows = db.session.scalars(
        select(Interaction).where(
            Interaction.ingredient_a.in_(ingredients), Interaction.ingredient_b.in_(ingredients)
        )
    )
    return {(row.ingredient_a, row.ingredient_b): Rule(row.severity, row.advice) for row in rows}


def findings(
    items: dict[str, CatalogueItem], person_id: int, newborn_birth_date: date | None, today: date
) -> tuple[list[Finding], dict[str, CatalogueItem]]:
    """The interactions and duplicates of a prescription's drugs, and every drug they name."""
    new = [_drug(entry) for entry in items.values() if entry.kind == "drug"]
    if not new:
        return [], items
    codes = current_medicine_codes(person_id, newborn_birth_date, today)
    current_entries = {
        row.code: row
        for row in db.session.scalars(
            select(CatalogueItem).where(CatalogueItem.code.in_(codes), CatalogueItem.kind == "drug")
        )
    }
    current = [_drug(entry, current=True) for entry in current_entries.values()]
    ingredients = {name for drug in new + current for name in drug.ingredients}
    found = interactions.findings(new, current, _table(ingredients))
    return found, {**current_entries, **items}


def describe(finding: Finding, names: dict[str, CatalogueItem]) -> dict:
    """A finding as the API gives it, with the advice in words (a duplicate's is made here)."""
    advice = finding.advice
    if finding.severity == DUPLICATE:
        a, b = names[finding.a].name, names[finding.b].name
        if finding.a == finding.b:
            advice = gettext(
                "The patient already has %(a)s on an open prescription or received it recently; "
                "check before writing it again.",
                a=a,
            )
        else:
            advice = gettext(
                "%(a)s and %(b)s have the same active ingredient; taking both doubles the dose.",
                a=a,
                b=b,
            )
    return {
        "id": finding.id,
        "a": finding.a,
        "b": finding.b,
        "severity": finding.severity,
        "advice": advice,
        "ingredients": list(finding.ingredients),
        "current": finding.current,
    }


def judge(
    found: list[Finding], names: dict[str, CatalogueItem], acknowledged: list
) -> tuple[list[dict], list[dict]]:
    """The warnings (moderate, minor) and the acknowledged blocking findings with their reasons;
    409 `interaction` when a major interaction or a duplicate has no reason given."""
    reasons = {ack.id: ack.reason for ack in acknowledged}
    missing = interactions.unacknowledged(found, reasons)
    warnings = [describe(finding, names) for finding in found if not finding.blocking]
    if missing:
        raise Conflict(
            "interaction",
            interactions=[describe(finding, names) for finding in missing],
            warnings=warnings,
        )
    passed = [
        {**describe(finding, names), "reason": reasons[finding.id]}
        for finding in found
        if finding.blocking
    ]
    return warnings, passed


def store_acknowledgements(prescription_id: int, passed: list[dict]) -> None:
    """Keep each blocking finding written through, with its reason, with the prescription."""
    for finding in passed:
        db.session.add(
            InteractionAcknowledgement(
                prescription_id=prescription_id,
                finding_id=finding["id"],
                item_a=finding["a"],
                item_b=finding["b"],
                severity=finding["severity"],
                ingredients="+".join(finding["ingredients"]),
                current=finding["current"],
                advice=finding["advice"],
                reason=finding["reason"],
            )
        )


def acknowledgements_of(prescription_id: int) -> list[dict]:
    """The interactions a prescription was written through, with the doctor's reasons."""
    rows = db.session.scalars(
        select(InteractionAcknowledgement)
        .where(InteractionAcknowledgement.prescription_id == prescription_id)
        .order_by(InteractionAcknowledgement.id)
    )
    return [
        {
            "id": row.finding_id,
            "a": row.item_a,
            "b": row.item_b,
            "severity": row.severity,
            "advice": row.advice,
            "ingredients": row.ingredients.split("+"),
            "current": row.current,
            "reason": row.reason,
        }
        for row in rows
    ]
