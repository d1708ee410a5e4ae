"""The hospitals' pages: admitting and discharging in the web for centres (`/centre/admissions`,
any member of a hospital), and the overlaps of insurers to resolve in the staff console
(`/staff/overlaps`, medical staff)."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext

from .. import clock
from ..centres.sessions import member_required
from ..domain.refusal import Refused
from ..staff import sessions as staff_sessions
from ..staff.views import SCREENS
from ..web.refusals import flash_refused, show_beside
from ..web.shell import no_store
from . import admissions, overlaps, texts
from .forms import AdmissionForm, ResolveForm

bp = Blueprint("centre_hospitals", __name__, url_prefix="/centre", template_folder="templates")
bp.after_request(no_store)
staff_bp = Blueprint("staff_overlaps", __name__, url_prefix="/staff")
staff_bp.after_request(no_store)
staff_bp.before_request(staff_sessions.load)
WEB = "web"


@staff_bp.context_processor
def _staff_navigation() -> dict:
    """The staff layout's member and screens (as the console's own pages have them)."""
    staff = g.get("staff") if staff_sessions.signed_in() else None
    return {"staff": staff, "screens": SCREENS.get(staff.role, ()) if staff else ()}


def _hospital_only() -> None:
    """Hospitals admit; 404 for other centres (the page is not theirs)."""
    if g.provider.kind != "hospital":
        abort(404)


def _new_form() -> AdmissionForm:
    """An empty admission form, admitted today."""
    form = AdmissionForm(formdata=None)
    form.admitted_on.data = clock.today()  # shown in Jalali
    return form


def _page(form: AdmissionForm, result: dict | None = None, status: int = 200):
    """The admissions page: the form (with its errors), the answer, the hospital's patients."""
    return render_template(
        "hospitals/admissions.html",
        form=form,
        result=result,
        rows=admissions.of_hospital(g.provider.id),
    ), status


@bp.get("/admissions")
@member_required
def admissions_page():
    """The form and the hospital's patients now admitted (and discharged this week)."""
    _hospital_only()
    return _page(_new_form())


@bp.post("/admissions")
@member_required
def admit():
    """Admit the patient; the answer (with any overlap and its next step) above the list."""
    _hospital_only()
    form = AdmissionForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    patient = admissions.Patient(
        form.national_code.data or None,
        form.mother_national_code.data or None,
        form.birth_date.data,
    )
    try:
        admission = admissions.admit(
            g.provider, patient, form.admitted_on.data, form.ward.data.strip(), channel=WEB
        )
    except Refused as error:
        fallback = "birth_date" if patient.birth_date else "national_code"
        return _page(form, status=show_beside(form, error, fallback).status)
    return _page(_new_form(), texts.answered(admission), 201)


@bp.post("/admissions/<int:admission_id>/discharge")
@member_required
def discharge(admission_id: int):
    """Discharge today; back to the list with what was done."""
    _hospital_only()
    try:
        admissions.discharge(g.provider.id, admission_id)
    except Refused as error:
        flash_refused(error)
    else:
        flash(gettext("The patient is discharged."), "info")
    return redirect(url_for("centre_hospitals.admissions_page"), 303)


def _resolve_form(admission_id: int, **kwargs) -> ResolveForm:
    """The resolution form of one overlap (its own prefix: one form a row, ids unique)."""
    return ResolveForm(prefix=f"overlap-{admission_id}", **kwargs)


@staff_bp.get("/overlaps")
@staff_sessions.role_required("medical")
def overlaps_page():
    """The admissions whose patient another base insurer also covered, not yet resolved."""
    return _overlaps()


def _overlaps(sent: ResolveForm | None = None, admission_id: int | None = None):
    """The list, each row with its resolution form (the one `sent` with its errors)."""
    rows = overlaps.to_resolve()
    forms = {admission.id: _resolve_form(admission.id, formdata=None) for admission, *_ in rows}
    if sent is not None:
        forms[admission_id] = sent
    status = 200 if sent is None else 400
    return render_template("hospitals/overlaps.html", rows=rows, forms=forms), status


@staff_bp.post("/overlaps/<int:admission_id>")
@staff_sessions.role_required("medical")
def resolve(admission_id: int):
    """Mark one handled with the note (audited); back to the list."""
    form = _resolve_form(admission_id)
    if not form.validate_on_submit():
        return _overlaps(form, admission_id)
    try:
        overlaps.resolve(admission_id, form.note.data.strip(), g.staff.id)
    except Refused as error:
        flash_refused(error)
    else:
        flash(gettext("The overlap is marked resolved."), "info")
    return redirect(url_for("staff_overlaps.overlaps_page"), 303)
