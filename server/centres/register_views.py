"""Doctors' registration at /centre/register (as on ep.tamin.ir): the mobile confirmed by SMS,
the name checked against the registry, the office and the four documents; then «در حال بررسی»."""

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, session, url_for

from .. import clock
from ..database import after_commit
from ..domain.refusal import Refused
from ..extensions import db
from ..models import DOCUMENT_KINDS, CentreMember
from ..web.refusals import said, show_beside
from ..web.shell import no_store
from ..web.uploads import allow_uploads
from . import documents, registration, sessions
from .forms import CodeForm, RegistrationForm, SignInForm
from .views import _verified_person, send_code

bp = Blueprint("centre_register", __name__, url_prefix="/centre/register")

# The registrant's confirmed mobile is good for this long to fill in the form.
CONFIRMED_FOR = timedelta(minutes=30)
# Four documents of at most 5 MB each, plus the form's other fields.
UPLOAD_LIMIT = 4 * 5 * 1024 * 1024 + 256 * 1024


allow_uploads(bp, UPLOAD_LIMIT, endpoints={"centre_register.details"})

bp.after_request(no_store)


@bp.route("", methods=["GET", "POST"])
def start():
    """National code and mobile → an SMS code."""
    form = SignInForm()
    if form.validate_on_submit() and send_code(form, "register"):
        return redirect(url_for("centre_register.code"))
    return render_template("centres/register.html", form=form, member=None)


@bp.route("/code", methods=["GET", "POST"])
def code():
    """The SMS code confirms the registrant."""
    if "centre_sms" not in session:
        return redirect(url_for("centre_register.start"))
    form = CodeForm()
    person_id = _verified_person(form, "register")
    if person_id is not None:
        session["centre_registrant"] = {"person_id": person_id, "at": clock.now().isoformat()}
        return redirect(url_for("centre_register.details"))
    action = url_for("centre_register.code")
    return render_template("centres/code.html", form=form, action=action, member=None)


def _registrant() -> int | None:
    """The person confirmed by SMS for this registration, while the confirmation holds."""
    from datetime import datetime

    confirmed = session.get("centre_registrant") or {}
    if not confirmed:
        return None
    at = datetime.fromisoformat(confirmed["at"])
    if at < clock.now() - CONFIRMED_FOR:
        session.pop("centre_registrant", None)
        return None
    return confirmed["person_id"]


@bp.route("/details", methods=["GET", "POST"])
def details():
    """The office and the four documents; nothing is kept unless everything is right."""
    person_id = _registrant()
    if person_id is None:
        return redirect(url_for("centre_register.start"))
    form = RegistrationForm()
    if form.validate_on_submit():
        checked, failed = [], False
        max_bytes = current_app.config["DARMAN_CENTRE_DOCUMENT_MAX_BYTES"]
        for kind in DOCUMENT_KINDS:
            upload = form[kind].data
            try:
                checked.append(documents.check(kind, getattr(upload, "stream", None), max_bytes))
            except Refused as error:
                form[kind].errors = [said(error).message]
                failed = True
        if not failed:
            application = registration.Application(
                person_id=person_id,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                medical_council_number=form.medical_council_number.data,
                specialty=form.specialty.data,
                office_name=form.office_name.data,
                city=form.city.data,
                address=form.address.data,
                contract_requested=form.contract_requested.data,
            )
            try:
                centre_id = registration.register(application, checked, documents.folder())
            except Refused as error:
                show_beside(form, error, "medical_council_number")  # its files removed too
            else:
                return _signed_in_waiting(person_id, centre_id)
    return render_template("centres/register_details.html", form=form, member=None)


def _signed_in_waiting(person_id: int, centre_id: int):
    """Sign the doctor in, to see «در حال بررسی» (the request commits the registration)."""
    member_id = db.session.scalar(
        db.select(CentreMember.id).where(
            CentreMember.provider_id == centre_id, CentreMember.person_id == person_id
        )
    )
    session_id = sessions.start(person_id, member_id)
    # forgotten only once the registration is kept: after a busy database's 503 the doctor
    # sends the form again without a new SMS code
    after_commit(db.session, lambda: session.pop("centre_registrant", None))
    return sessions.set_cookie(redirect(url_for("centres.waiting")), session_id)
