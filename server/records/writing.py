"""Writing to the record: a doctor's prescription (with its eligibility inquiry and misuse alert)
and a centre's delivery of part of one. Everything is checked before anything is written."""

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from .. import clock, inquiries
from ..auth.providers import AuthenticatedProvider
from ..catalogue import checks
from ..catalogue.notices import send_prescription_sms
from ..clinical import allergies, diagnoses
from ..database import after_commit, commit_now
from ..domain.jalali import jalali_text
from ..domain.refusal import Conflict, Forbidden, Invalid, NotFound
from ..domain.tracking import new_tracking_code
from ..extensions import db
from ..hospitals import outside
from ..models import (
    PRESCRIBER_KINDS,
    Dispensing,
    Person,
    Prescription,
    PrescriptionItem,
)
from ..money import claims
from . import access, cancelling, events, idempotency, locking, repeats, rules
from .schemas import DispenseRequest, PrescriptionRequest

CHANNEL = "provider"


VALID_DAYS = 60  # how many days after writing a prescription may still be delivered


def write_prescription(
    provider: AuthenticatedProvider,
    body: PrescriptionRequest,
    key: str | None,
    fingerprint: str,
    channel: str = CHANNEL,
    valid_days: int = VALID_DAYS,
    text_patient: bool = True,
) -> dict:
    """Check the items against the catalogue and the patient's medicines and eligibility (logged,
    with its tracking code), then write the prescription, its items, its acknowledged
    interactions, the outbox event and the idempotency key (the request commits them as one);
    once committed, tell the patient by SMS (unless not `text_patient`: the demo's history
    texts nobody). A finding that names a current medicine is a read of the record: logged,
    and kept even when the write is refused. The inquiry is logged on `channel` with the member
    who wrote, if any. The answer (the caller has made sure the doctor has a visit with the
    patient: the API by the visit rule, the web by the inquiry its form is written from)."""
    today = clock.today()
    _check_dates(body, today, valid_days)
    outside.check_written(provider.kind, body.items)
    catalogue = checks.resolve_items(body.type, body.items)
    coded = diagnoses.checked(body.diagnoses)
    answer, national_code = _eligibility(body, today)
    repeats.check_parts(answer.person_id, body.parts, today)
    _lock_patient(answer.person_id)  # the check and its write are one decision
    found, names = checks.findings(catalogue, answer.person_id, body.birth_date, today)
    allergic = [] if body.birth_date else allergies.findings(catalogue, answer.person_id)
    if allergic or any(finding.current for finding in found):  # they name the patient's record
        access.log_provider_read(answer.person_id, provider, kept=True)  # the 409's too
    warnings, passed = checks.judge(found, names, body.acknowledged_interactions)
    allergies_passed = allergies.judge(allergic, body.acknowledged_allergies)
    tracking_code = inquiries.log(
        answer,
        channel=channel,
        national_code=national_code,
        provider_id=provider.id,
        newborn_birth_date=body.birth_date,
        member_id=provider.member_id,
    )
    prescription = _add(provider, body, answer, tracking_code, catalogue, valid_days)
    checks.store_acknowledgements(prescription.id, passed)
    diagnoses.store(prescription.id, coded)
    allergies.store_acknowledgements(prescription.id, allergies_passed)
    if provider.kind in PRESCRIBER_KINDS:  # a doctor's visit; a hospital's stay is not one
        claims.claim_visit(
            provider.id,
            provider.member_id,
            answer.person_id,
            answer.covered,
            tracking_code,
            prescription.id,
        )
    written = {
        "id": prescription.id,
        "code": prescription.code,
        "tracking_code": tracking_code,
        "covered": answer.covered,
        "label": answer.label,
        "written_on": prescription.written_on.isoformat(),
        "expires_on": prescription.expires_on.isoformat(),
        "expires_on_jalali": jalali_text(prescription.expires_on),
        "warnings": warnings,
        "acknowledged_interactions": passed,
        "parts": prescription.parts,
        "part_dates": [day.isoformat() for day in repeats.part_dates(body.written_on, body.parts)],
        "diagnoses": diagnoses.described(coded),
        "acknowledged_allergies": [_without_finding(entry) for entry in allergies_passed],
    }
    idempotency.remember(provider.id, key, fingerprint, 201, written)
    if text_patient:
        after_commit(
            db.session,
            lambda: send_prescription_sms(answer.person_id, prescription, provider.name),
        )
    return written


def _without_finding(passed: dict) -> dict:
    """An allergy written through as the answer names it (what matched is the 409's)."""
    keys = ("id", "code", "name", "ingredient", "reaction", "reason")
    return {key: passed[key] for key in keys}


def _check_dates(body: PrescriptionRequest, today: date, valid_days: int) -> None:
    """No date after today; nothing written further back than a prescription lives (a newborn's
    birth date is the inquiry's to check: `inquiries.find_newborn`)."""
    if body.written_on > today:
        raise Invalid("future_date", field="written_on")
    if body.written_on < today - timedelta(days=valid_days):
        raise Invalid("written_on_too_old", field="written_on", words={"days": valid_days})


def _eligibility(body: PrescriptionRequest, today: date) -> tuple[inquiries.Answer, str]:
    """The patient's (or newborn's) eligibility today and the national code asked for; 404 when
    that code is not in the registry."""
    return inquiries.find_patient(body, today)


def _lock_patient(person_id: int) -> None:
    """Hold the patient until the request commits, before their current medicines are read: a
    second doctor writing for them at the same moment waits, then is checked against this
    prescription (PostgreSQL locks the person's row; SQLite takes its write lock here)."""
    db.session.execute(select(Person.id).where(Person.id == person_id).with_for_update())


def _new_code() -> str:
    """A prescription code no prescription has: 12 random digits, the last a check digit."""
    while True:
        code = new_tracking_code()
        if db.session.scalar(select(Prescription.id).where(Prescription.code == code)) is None:
            return code


def _add(
    provider: AuthenticatedProvider,
    body: PrescriptionRequest,
    answer: inquiries.Answer,
    tracking_code: str,
    catalogue: dict,
    valid_days: int,
) -> Prescription:
    """Add the prescription, its items (named as the catalogue names them) and the misuse alert
    to the session."""
    now = clock.now()
    prescription = Prescription(
        code=_new_code(),
        provider_id=provider.id,
        person_id=answer.person_id,
        newborn_birth_date=body.birth_date,
        written_on=body.written_on,
        expires_on=repeats.last_day(body.written_on, body.parts, valid_days),
        parts=body.parts,
        type=body.type,
        diagnosis=body.diagnosis,
        tracking_code=tracking_code,
        covered=answer.covered,
        created_at=now,
    )
    db.session.add(prescription)
    db.session.flush()
    for position, item in enumerate(body.items, start=1):
        db.session.add(
            PrescriptionItem(
                prescription_id=prescription.id,
                position=position,
                code=item.code,
                name=catalogue[item.code].name,
                instructions=item.instructions,
                quantity=item.quantity * body.parts,  # a repeat: the parts' sum
                dispensed=0,
                obtain_outside=item.obtain_outside,
                outside_reason=item.outside_reason if item.obtain_outside else None,
            )
        )
    events.tell("prescription_written", prescription.id, answer.person_id, provider.name, now)
    return prescription


def dispense(
    provider: AuthenticatedProvider,
    code: str,
    body: DispenseRequest,
    key: str | None,
    fingerprint: str,
    channel: str = CHANNEL,
) -> dict:
    """Record what this centre delivered, all or nothing, with its claim lines; the items after
    it, priced. The prescription and its items are locked and read afresh before anything is
    decided (objects the caller read earlier would be stale: a lost update), and each item's
    count is raised only where what remains allows it, so two centres delivering at once never
    deliver a unit twice. The patient's eligibility today is asked and logged first (seed 000
    item 3: every centre asks): not covered → 409 `not_covered`, nothing delivered."""
    prescription = locking.prescription(code)
    if prescription is None:
        raise NotFound("unknown_prescription")
    if not rules.may_deliver(provider.kind, prescription.type):
        raise Forbidden("wrong_center_kind", type=prescription.type)
    cancelling.refuse_if_cancelled(prescription)
    if rules.is_expired(prescription.expires_on, clock.today()):
        raise _expired(prescription.expires_on)
    items = {item.code: item for item in locking.items(prescription.id)}
    cancelling.refuse_cancelled_items(items, body.items)
    _check_delivery(body, items)
    repeats.check_due(prescription, items, body.items, clock.today())
    outside.check_served(provider.id, prescription, [items[w.code] for w in body.items])
    # Held for the whole delivery: the claim lines then find the patient in the session (its
    # identity map keeps an object only while something refers to it) instead of asking again.
    patient = db.session.get(Person, prescription.person_id)
    tracking_code = _eligible_at_the_counter(provider, prescription, patient.national_code, channel)
    now = clock.now()
    given = []
    for wanted in body.items:
        item = items[wanted.code]
        _count_delivered(item, wanted.quantity)
        given.append(
            Dispensing(item_id=item.id, provider_id=provider.id, quantity=wanted.quantity, at=now)
        )
    _read_delivered(list(items.values()))
    db.session.add_all(given)
    db.session.flush()  # the rows' ids, which their claim lines name
    served = [
        claims.Served(wanted.code, row.quantity, row.id)
        for wanted, row in zip(body.items, given, strict=True)
    ]
    person = prescription.person_id
    lines = claims.claim(provider.id, person, True, served, tracking_code, prescription.id)
    answer = _after_delivery(prescription, list(items.values()))
    claims.price_items(answer["items"], lines)
    answer |= {"totals": claims.totals(lines), "tracking_code": tracking_code}
    idempotency.remember(provider.id, key, fingerprint, 200, answer)
    return answer


def _eligible_at_the_counter(
    provider: AuthenticatedProvider, prescription: Prescription, national_code: str, channel: str
) -> str:
    """Ask the patient's eligibility today (a newborn's under the mother's code) and log it as
    this centre's inquiry; its tracking code. Not covered → the inquiry is kept (its code stays
    verifiable) and 409 `not_covered` names it and the reason."""
    today = clock.today()
    born = prescription.newborn_birth_date
    if born is None:
        answer = inquiries.find(national_code, today)
    else:
        answer = inquiries.find_newborn(national_code, born, today)
    tracking_code = inquiries.log(
        answer,
        channel=channel,
        national_code=national_code,
        provider_id=provider.id,
        newborn_birth_date=born,
        member_id=provider.member_id,
    )
    if answer.covered:
        return tracking_code
    commit_now(db.session)  # the inquiry stays although nothing is delivered
    reasons = answer.eligibility.reasons
    raise Conflict("not_covered", tracking_code=tracking_code, reasons=list(reasons))


def _count_delivered(item: PrescriptionItem, quantity: int) -> None:
    """Add `quantity` to the item's delivered count in one guarded statement: refused (409
    `over_dispensed`) should it go beyond the prescribed, whatever was read before."""
    raised = db.session.execute(
        update(PrescriptionItem)
        .where(
            PrescriptionItem.id == item.id,
            PrescriptionItem.dispensed + quantity <= PrescriptionItem.quantity,
            PrescriptionItem.cancelled_at.is_(None),  # a cancel that got in first wins
        )
        .values(dispensed=PrescriptionItem.dispensed + quantity)
        .execution_options(synchronize_session=False)
    )
    if raised.rowcount != 1:
        db.session.refresh(item, ["dispensed", "cancelled_at"])
        cancelling.refuse_cancelled_items({item.code: item}, [item])
        raise _over_dispensed(item)


def _read_delivered(items: list[PrescriptionItem]) -> None:
    """The items' delivered counts as the database now has them, in one query (for the answer)."""
    counts = dict(
        db.session.execute(
            select(PrescriptionItem.id, PrescriptionItem.dispensed).where(
                PrescriptionItem.id.in_([item.id for item in items])
            )
        ).all()
    )
    for item in items:
        set_committed_value(item, "dispensed", counts[item.id])


def _over_dispensed(item: PrescriptionItem) -> Conflict:
    """The refusal of a delivery beyond what remains of the item (with what remains)."""
    remaining = item.quantity - item.dispensed
    return Conflict(
        "over_dispensed", item=item.code, remaining=remaining, words={"name": item.name}
    )


def _expired(last_day: date) -> Conflict:
    """The refusal of a delivery after the last day."""
    return Conflict("expired", expires_on=last_day.isoformat(), words={"date": last_day})


def _check_delivery(body: DispenseRequest, items: dict[str, PrescriptionItem]) -> None:
    """Every item is on the prescription (400) and none is delivered beyond what remains (409)."""
    for index, wanted in enumerate(body.items):
        if wanted.code not in items:
            raise Invalid("unknown_item", field=f"items.{index}.code", words={"code": wanted.code})
    for wanted in body.items:
        item = items[wanted.code]
        if wanted.quantity > item.quantity - item.dispensed:
            raise _over_dispensed(item)


def _after_delivery(prescription: Prescription, items: list[PrescriptionItem]) -> dict:
    """The dispense answer: every item's prescribed, delivered and remaining quantity."""
    return {
        "code": prescription.code,
        "expires_on": prescription.expires_on.isoformat(),
        "complete": all(item.dispensed >= item.quantity for item in items),
        "items": [
            {
                "code": item.code,
                "name": item.name,
                "quantity": item.quantity,
                "dispensed": item.dispensed,
                "remaining": item.quantity - item.dispensed,
            }
            for item in items
        ],
    }
