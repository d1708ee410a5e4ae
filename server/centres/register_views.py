"""Doctors' registration at /centre/register (as on ep.tamin.ir): the mobile confirmed by SMS,
the name taken from the registry, the office and the four documents (the good ones held across
a retry); then «در حال بررسی» with a tracking number, the expected time and whom to call."""

import time
from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from .. import clock
from ..database import after_commit
from ..domain.refusal import Conflict, Refused
from ..extensions import db
from ..models import DOCUMENT_KINDS, CentreMember, Person
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
    not_on_record = Conflict("registrant_not_on_record")  # a doctor's words, not a citizen's
    if form.validate_on_submit() and send_code(form, "register", not_on_record):
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
    """The office and the four documents. A good document is held for the registrant across a
    retry, a bad one is told beside its field; the office is made once everything is right."""
    person_id = _registrant()
    if person_id is None:
        return redirect(url_for("centre_register.start"))
    form = RegistrationForm()
    if request.method == "POST":  # CSRF is checked before any view
        valid = form.validate()
        checked = _hold_documents(form)
        if valid and len(checked) == len(DOCUMENT_KINDS):
            application = registration.Application(
                person_id=person_id,
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
    return render_template(
        "centres/register_details.html",
        form=form,
        person=db.session.get(Person, person_id),
        held=_held(),
        labels=documents.DOCUMENT_LABELS,
        member=None,
    )


def _held() -> dict:
    """The registrant's held uploads: kind → the held file's name."""
    return (session.get("centre_registrant") or {}).get("held", {})


def _hold_documents(form: RegistrationForm) -> list[documents.CheckedDocument]:
    """Check each document sent now and hold the good ones (replacing an earlier one of the
    kind); take the earlier held one of a kind not sent again; tell the missing and the bad
    beside their fields. The documents there are, one per kind at most."""
    held, target = dict(_held()), documents.holding_folder()
    max_bytes = current_app.config["DARMAN_CENTRE_DOCUMENT_MAX_BYTES"]
    # files' times are the machine's, so the sweep reads the machine's clock
    documents.sweep(target, time.time() - CONFIRMED_FOR.total_seconds())
    checked = []
    for kind in DOCUMENT_KINDS:
        upload = form[kind].data
        sent = upload is not None and bool(upload.filename)
        try:
            if sent or kind not in held:
                document = documents.check(kind, upload.stream if sent else None, max_bytes)
                documents.discard([held.pop(kind)] if kind in held else [], target)
                held[kind] = documents.store(document, target)
            else:
                document = documents.held(kind, held[kind], target, max_bytes)
        except Refused as error:
            documents.discard([held.pop(kind)] if kind in held else [], target)
            form[kind].errors = [said(error).message]
            continue
        checked.append(document)
    session["centre_registrant"] = {**session["centre_registrant"], "held": held}
    return checked


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
    held = list(_held().values())
    after_commit(db.session, lambda: session.pop("centre_registrant", None))
    after_commit(db.session, lambda: documents.discard(held, documents.holding_folder()))
    return sessions.set_cookie(redirect(url_for("centres.waiting")), session_id)
