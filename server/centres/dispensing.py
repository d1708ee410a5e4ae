"""Delivering in the web for centres: a pharmacy, lab, imaging or physiotherapy centre (or a
hospital) finds the patient's open prescriptions by national code, or one prescription by the
code the patient received by SMS, delivers all or part of their items, and prints a receipt.

Delivery is the API's operation (`records.writing.dispense`): all or nothing, over-delivery and
expired prescriptions refused with the amounts and dates; what remains stays for any other centre.
Each look-up is logged as the centre's read of the record (the patient is told).
"""

import secrets
from datetime import timedelta

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext
from pydantic import ValidationError
from sqlalchemy import func, select, true

from .. import clock
from ..auth import lookup_misses
from ..catalogue.checks import acknowledgements_of
from ..clinical import allergies
from ..domain.digits import to_latin_digits
from ..domain.refusal import Refused
from ..domain.tracking import TRACKING_CODE_LENGTH, is_valid_tracking_code
from ..extensions import db
from ..models import CatalogueItem, Dispensing, Person, Prescription, PrescriptionItem, Provider
from ..money import claims
from ..records import access, idempotency, reading, rules, writing
from ..records.requests import bad_request
from ..records.schemas import DispenseRequest
from ..web.refusals import refused_here
from ..web.shell import no_store
from . import sessions
from .prescription_forms import PatientForm
from .sessions import member_required, passkey_required
from .texts import grouped

CHANNEL = "web"  # the inquiry a delivery in the web makes is logged on this channel

bp = Blueprint("centre_dispensing", __name__, url_prefix="/centre")

ROLES = ("pharmacist", "technician")
RECENTLY_EXPIRED = timedelta(days=30)  # shown, greyed, so the refusal is not a surprise


bp.after_request(no_store)


def _deliverer_only() -> None:
    """Pharmacists and technicians of a centre that delivers; 403 for everyone else."""
    member = sessions.current()
    if member.role not in ROLES or g.provider.kind not in rules.CENTRE_KINDS:
        abort(403)


def _open_prescriptions(person_id: int, code: str | None = None) -> list[dict]:
    """The patient's prescriptions this kind of centre may deliver that still have something to
    deliver, newest first; those expired in the last 30 days too, marked expired. Only the one
    of `code` when the centre looked it up by its code."""
    today = clock.today()
    types = rules.DELIVERS[g.provider.kind]
    one = Prescription.code == code if code is not None else true()
    rows = db.session.execute(
        reading._with_provider()
        .where(
            Prescription.person_id == person_id,
            Prescription.type.in_(types),
            Prescription.expires_on >= today - RECENTLY_EXPIRED,
            one,
        )
        .order_by(Prescription.written_on.desc(), Prescription.id.desc())
        .limit(50)
    ).all()
    items = reading.items_of([row.Prescription.id for row in rows])
    listed = []
    for row in rows:
        mine = items.get(row.Prescription.id, [])
        if all(item.dispensed >= item.quantity for item in mine):
            continue
        described = reading.describe(row, mine, today)
        described["code_grouped"] = grouped(row.Prescription.code)
        described["expired"] = rules.is_expired(row.Prescription.expires_on, today)
        described["acknowledged"] = acknowledgements_of(row.Prescription.id)
        described["acknowledged_allergies"] = allergies.acknowledgements_of(row.Prescription.id)
        listed.append(described)
    return _named(listed)


def _named(listed: list[dict]) -> list[dict]:
    """Each acknowledged pair with its two items' catalogue names (`a_name`, `b_name`)."""
    codes = {
        code
        for record in listed
        for finding in record["acknowledged"]
        for code in (finding["a"], finding["b"])
    }
    names = {}
    if codes:
        rows = db.session.execute(
            select(CatalogueItem.code, CatalogueItem.name).where(CatalogueItem.code.in_(codes))
        )
        names = dict(rows.tuples().all())
    for record in listed:
        for finding in record["acknowledged"]:
            finding["a_name"] = names.get(finding["a"], finding["a"])
            finding["b_name"] = names.get(finding["b"], finding["b"])
    return listed


def _page(person: Person | None, form: PatientForm, code: str | None = None, **extra):
    """The delivery page: the look-up form, and the patient's open prescriptions (or the one
    of `code`)."""
    return render_template(
        "centres/deliver.html",
        form=form,
        person=person,
        prescriptions=_open_prescriptions(person.id, code) if person else [],
        key=secrets.token_urlsafe(16),
        **extra,
    )


@bp.get("/deliver")
@member_required
def find():
    """The look-up form (the session is confirmed with a passkey first: delivering writes)."""
    _deliverer_only()
    if not sessions.current().has_passkey_session:
        return redirect(url_for("centres.passkey", next=url_for("centre_dispensing.find")))
    return _page(None, PatientForm(formdata=None))


@bp.post("/deliver")
@member_required
@passkey_required
def look_up():
    """A national code → the patient's open prescriptions; a prescription code (from the
    patient's SMS) → that prescription. Either is logged as a read of the record."""
    _deliverer_only()
    form = PatientForm()
    if not form.validate_on_submit():
        return _page(None, form), 400
    if len(form.code.data) == TRACKING_CODE_LENGTH:  # a prescription code: guesses are limited
        lookup_misses.refuse_when_missed_too_often(g.provider, "prescription")
    prescription = _deliverable(form.code.data)
    if prescription is not None:
        person = db.session.get(Person, prescription.person_id)
    else:
        person = db.session.scalar(select(Person).where(Person.national_code == form.code.data))
    if person is None:
        return _not_found(form)
    access.log_provider_read(person.id, g.provider, what="open_prescriptions")
    return _page(person, form, prescription.code if prescription is not None else None)


def _deliverable(code: str) -> Prescription | None:
    """The prescription of this code, if this kind of centre may deliver it; None otherwise,
    as for a code no prescription has."""
    if not is_valid_tracking_code(code):
        return None
    found = db.session.scalar(select(Prescription).where(Prescription.code == code))
    if found is None or not rules.may_deliver(g.provider.kind, found.type):
        return None
    return found


def _not_found(form: PatientForm):
    """The field says nothing was found. The one answer to a 12-digit code that finds nothing
    (a guessed prescription code: the place to count it as a miss), whether no prescription has
    it or one this centre may not deliver does."""
    if len(form.code.data) == TRACKING_CODE_LENGTH:
        lookup_misses.count_miss(g.provider, "prescription")  # codes cannot be swept
        form.code.errors = [gettext("No prescription has this code. Please check it.")]
    else:
        form.code.errors = [gettext("This national code is not in the registry.")]
    return _page(None, form), 404


def _quantities(items: list[PrescriptionItem]) -> tuple[list[dict], dict[str, str]]:
    """The quantities typed per item (any digits; empty or 0 is none) and any per-item errors."""
    wanted, errors = [], {}
    for item in items:
        text = to_latin_digits((request.form.get(f"qty-{item.code}") or "").strip())
        if not text or text == "0":
            continue
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            errors[item.code] = gettext("Please type a whole number.")
            continue
        wanted.append({"code": item.code, "quantity": int(text)})
    return wanted, errors


@bp.post("/deliver/<code>")
@member_required
@passkey_required
def deliver(code: str):
    """Deliver the quantities typed; the receipt, or the page again with the refusal."""
    _deliverer_only()
    lookup_misses.refuse_when_missed_too_often(g.provider, "prescription")
    prescription = db.session.scalar(
        select(Prescription).where(Prescription.code == to_latin_digits(code))
    )
    if prescription is None or not rules.may_deliver(g.provider.kind, prescription.type):
        lookup_misses.count_miss(g.provider, "prescription")  # codes cannot be swept
        abort(404)
    person = db.session.get(Person, prescription.person_id)
    form = PatientForm(formdata=None, code=person.national_code)
    items = reading.items_of([prescription.id]).get(prescription.id, [])
    wanted, errors = _quantities(items)
    if errors or not wanted:
        message = gettext("Please type how many of each item you deliver.")
        return _refused(person, form, message, code, errors), 400
    key = (request.form.get("key") or "")[:100] or None
    try:
        body = DispenseRequest(items=wanted)
        fingerprint = idempotency.fingerprint(f"dispense {prescription.code}", body)
        if idempotency.replay(g.provider.id, key, fingerprint) is None:
            writing.dispense(g.provider, prescription.code, body, key, fingerprint, CHANNEL)
            db.session.flush()
    except (ValidationError, Refused) as error:  # the page is read again, without the write
        answer = refused_here(bad_request(error) if isinstance(error, ValidationError) else error)
        item_errors = {answer.details["item"]: answer.message} if "item" in answer.details else {}
        return _refused(person, form, answer.message, code, item_errors), answer.status
    return redirect(url_for("centre_dispensing.receipt", code=prescription.code))


def _refused(person: Person, form: PatientForm, message: str, code: str, item_errors: dict):
    """The delivery page again, with why the delivery was refused: it shows the patient's open
    prescriptions, as the look-up does, so it is logged as the look-up's read is (and kept,
    although the request is refused)."""
    access.log_provider_read(person.id, g.provider, what="open_prescriptions", kept=True)
    return _page(person, form, refused=message, refused_code=code, item_errors=item_errors)


@bp.get("/deliver/<code>/receipt")
@member_required
def receipt(code: str):
    """This centre's latest delivery on the prescription, printable."""
    _deliverer_only()
    found = reading.record_by_code(to_latin_digits(code))
    if found is None:
        abort(404)
    prescription = found.Prescription
    items = reading.items_of([prescription.id]).get(prescription.id, [])
    ids = [item.id for item in items]
    latest = db.session.scalar(
        select(func.max(Dispensing.at)).where(
            Dispensing.item_id.in_(ids), Dispensing.provider_id == g.provider.id
        )
    )
    if latest is None:
        abort(404)
    given = db.session.scalars(
        select(Dispensing).where(
            Dispensing.item_id.in_(ids),
            Dispensing.provider_id == g.provider.id,
            Dispensing.at == latest,
        )
    ).all()
    now_given = {row.item_id: row.quantity for row in given}
    lines = claims.lines_of([row.id for row in given])
    money = {row.item_id: lines[row.id] for row in given if row.id in lines}
    centre = db.session.get(Provider, g.provider.id)
    return render_template(
        "centres/receipt.html",
        record=reading.describe(found, items, clock.today()),
        person=db.session.get(Person, prescription.person_id),
        code_grouped=grouped(prescription.code),
        rows=[(item, now_given.get(item.id, 0), money.get(item.id)) for item in items],
        totals=claims.totals(list(money.values())),
        tracking_code=next(iter(money.values())).tracking_code if money else None,
        at=latest,
        centre=centre,
        doctor=found.name,
    )
