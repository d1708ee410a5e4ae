"""The clinical pages of the web for centres: ICD-10 diagnoses found as a doctor types, a drug
allergy recorded during a visit (from the visit's eligibility inquiry, never by a national code
in the address), and the printable A5 prescription for a patient without a phone."""

import segno
from flask import Blueprint, flash, g, jsonify, redirect, render_template, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import select

from .. import clock
from ..catalogue.requests import search_text_argument
from ..centres.prescribing import _confirm_first, _doctor_only, _mine, _visit_inquiry
from ..centres.sessions import member_required, passkey_required
from ..centres.texts import grouped
from ..domain.digits import to_latin_digits
from ..domain.refusal import Refused
from ..extensions import db
from ..models import CatalogueItem, Person, Provider
from ..records import access, reading
from ..records.texts import TYPE_LABELS
from ..web.refusals import show_beside
from ..web.shell import no_store
from . import allergies, diagnoses
from .forms import SEVERITY_LABELS, AllergyForm

bp = Blueprint("centre_clinical", __name__, url_prefix="/centre", template_folder="templates")

RESULTS = 20

bp.after_request(no_store)


@bp.get("/diagnoses")
@member_required
def find_diagnoses():
    """ICD-10 entries matching `q` as JSON, for the search as the doctor types (a search term,
    not a person's data, is all the address carries)."""
    query = search_text_argument()
    return jsonify({"diagnoses": diagnoses.search(query, RESULTS)})


def _allergens() -> list[str]:
    """The classes and the catalogue's drug ingredients, for the field's suggestions."""
    rows = db.session.scalars(
        select(CatalogueItem.ingredients).where(CatalogueItem.kind == "drug").distinct()
    )
    ingredients = {name for row in rows for name in row.split("+")}
    return sorted(allergies.classes()) + sorted(ingredients)


def _allergy_page(form: AllergyForm, inquiry, **extra):
    """The allergy page: the patient's recorded allergies (a read, logged) and the form."""
    recorded = allergies.of_person(inquiry.person_id)
    access.log_provider_read(inquiry.person_id, g.provider, kept=True)
    return render_template(
        "clinical/allergy.html",
        form=form,
        inquiry=inquiry,
        person=db.session.get(Person, inquiry.person_id),
        recorded=recorded,
        severities=SEVERITY_LABELS,
        allergens=_allergens(),
        **extra,
    )


@bp.get("/patients/<int:inquiry_id>/allergies")
@member_required
def allergy_form(inquiry_id: int):
    """The patient's allergies and the form to record one (a doctor, in a visit)."""
    _doctor_only()
    inquiry = _visit_inquiry(inquiry_id)
    confirm = _confirm_first()
    if confirm is not None:
        return confirm
    return _allergy_page(AllergyForm(formdata=None), inquiry)


@bp.post("/patients/<int:inquiry_id>/allergies")
@member_required
@passkey_required
def record_allergy(inquiry_id: int):
    """Record the allergy; the page again with it listed, or with the error by its field."""
    _doctor_only()
    inquiry = _visit_inquiry(inquiry_id)
    form = AllergyForm()
    if not form.validate_on_submit():
        return _allergy_page(form, inquiry), 400
    try:
        allergies.record(
            inquiry.person_id,
            g.provider,
            form.ingredient.data,
            form.reaction.data.strip(),
            form.severity.data,
        )
    except Refused as error:
        answer = show_beside(form, error, "ingredient")
        return _allergy_page(form, inquiry), answer.status
    flash(gettext("The allergy was recorded. It is checked on every prescription from now on."))
    return redirect(url_for("centre_clinical.allergy_form", inquiry_id=inquiry.id))


def qr_svg(code: str) -> Markup:
    """The prescription code as a QR code (a full one: scanners and BarcodeDetector read no
    Micro QR), an inline SVG made here (no script, no CDN) that the stylesheet sizes."""
    return Markup(segno.make_qr(code, error="m").svg_inline(scale=4, omitsize=True))


@bp.get("/prescriptions/<code>/print")
@member_required
def print_prescription(code: str):
    """The prescription on an A5 page for a patient without a phone: its code in digits and as
    a QR code a delivery screen reads. Health data: never cached (`no_store`), and the address
    names the prescription's own code, never the patient's national code."""
    _doctor_only()
    prescription = _mine(to_latin_digits(code))
    row = reading.record(prescription.id)
    record = reading.detail(row, clock.today())
    person = db.session.get(Person, prescription.person_id)
    return render_template(
        "clinical/print.html",
        record=record,
        person=person,
        centre=db.session.get(Provider, prescription.provider_id),
        code_grouped=grouped(prescription.code),
        qr=qr_svg(prescription.code),
        type_label=str(TYPE_LABELS[prescription.type]),
        acknowledged=allergies.acknowledgements_of(prescription.id),
    )
