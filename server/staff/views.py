"""The staff console's pages at /staff/: sign-in, home, and each role's screens.

POST → redirect → GET with a flashed message; every page checks the role; every action is
audited, in the request's unit of work (`server/web/unit_of_work.py`): the action and its audit
row are committed together when the page succeeds, and neither when it fails. A refusal is
shown on the page beside its field (`refusals.show_beside`), which rolls the request back; the
re-shown form answers 400 (a form not accepted), a clash 409. National codes travel only in POST
bodies, never in URLs.
"""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from .. import clock, inquiries, messages
from ..auth import sms_codes, webauthn
from ..auth.sms import backend_from_config
from ..auth.sms_codes import SmsCodes
from ..centres.documents import DOCUMENT_LABELS, MEDIA_TYPES
from ..centres.texts import registration_number
from ..clinical import allergies
from ..domain.jalali import jalali_text
from ..domain.refusal import Invalid, Refused, Unauthorized
from ..extensions import db
from ..models import (
    DocumentSubmission,
    Objection,
    Person,
    Prescription,
    Provider,
    RecordAccess,
    Staff,
    StaffPasskey,
    StaffSession,
)
from ..records import access
from ..web.refusals import flash_refused, show_beside, status_of
from ..web.shell import no_store
from . import (
    audit,
    branch,
    claims_views,
    documents,
    imports,
    lost_passkey,
    objections,
    registry_history,
    sessions,
    sign_in,
)
from . import medical as medical_staff
from . import special_patients as special
from .forms import (
    AnswerForm,
    ApproveForm,
    BranchDocumentForm,
    CentreSearchForm,
    CodeForm,
    ContractForm,
    ContractRefusalForm,
    DocumentAcceptForm,
    DocumentRefusalForm,
    EmptyForm,
    FindByNameForm,
    FindPersonForm,
    MobileForm,
    PasskeyResetForm,
    ReasonForm,
    SignInForm,
    SpecialPatientForm,
)

bp = Blueprint(
    "staff",
    __name__,
    url_prefix="/staff",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

BRANCH_SCREENS = (
    ("staff.branch_find", _l("Register a mobile")),
    ("staff.queue", _l("Objections")),
)
SCREENS = {  # the screens of each role, as the home page and the navigation list them
    "branch": BRANCH_SCREENS,
    # Insurance staff work at a branch too: the branch's screens, and the documents' queue.
    "insurance": (*BRANCH_SCREENS, ("staff.documents_queue", _l("Documents to review"))),
    "medical": (
        ("staff.medical", _l("Doctors and centres")),
        ("staff.special_patients", _l("Special patients")),
        ("staff_overlaps.overlaps_page", _l("Insurers' overlaps")),
    ),
    "claims": (
        ("staff.claims.queue", _l("Months to review")),
        ("staff.claims.days", _l("Nightly settlements")),
    ),
    "admin": (("staff.audit_log", _l("Audit")), ("staff.import_history", _l("Registry imports"))),
}

bp.register_blueprint(claims_views.bp)  # /staff/claims/: the console's session and navigation


BRANCH = ("branch", "insurance")  # the roles that work at a branch's counter


@bp.before_request
def _load_session() -> None:
    """Every console request knows its staff session (if any)."""
    sessions.load()


bp.after_request(no_store)


@bp.app_template_global()
def jalali(value) -> str:
    """A date (or datetime, in Tehran) as a Jalali date in Persian."""
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        local = clock.as_tehran(value)
        return f"{jalali_text(local.date())}، {_digits(local.strftime('%H:%M'))}"
    return jalali_text(value)


@bp.app_template_global()
def fa_number(value) -> str:
    """A number in Persian digits."""
    return _digits(value)


def _digits(value) -> str:
    """Persian digits."""
    from ..domain.digits import to_persian_digits

    return to_persian_digits(value)


@bp.context_processor
def _navigation() -> dict:
    """The signed-in staff member and their screens, for the layout."""
    staff = g.get("staff") if sessions.signed_in() else None
    screens = SCREENS.get(staff.role, ()) if staff else ()
    return {"staff": staff, "screens": screens}


@bp.errorhandler(403)
def _forbidden(error):
    """Another role's screen."""
    return render_template(
        "staff/error.html", message=gettext("This screen is not for your role.")
    ), 403


@bp.errorhandler(404)
def _missing(error):
    """Nothing here."""
    return render_template(
        "staff/error.html", message=gettext("Nothing was found at this address.")
    ), 404


@bp.errorhandler(CSRFError)
def _stale_form(error):
    """A form sent without (or with an old) token: nothing is done, and the page says so."""
    if request.is_json:
        return jsonify(
            error="csrf_failed",
            message=gettext("Your session has expired. Please reload the page and try again."),
        ), 400
    message = gettext("Your session has expired. Please reload the page and try again.")
    return render_template("staff/error.html", message=message), 400


# Sign-in: SMS code, then passkey


def _codes() -> SmsCodes:
    """The SMS-code service of the staff's realm."""
    return sms_codes.for_realm("staff", current_app.config)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in_page():
    """Step one: national code and mobile; a code goes by SMS to the mobile on file."""
    form = SignInForm()
    if form.validate_on_submit():
        try:
            token, request_id = sign_in.start(
                form.national_code.data, form.mobile.data, audit.client_address(), _codes()
            )
        except Refused as refused:
            show_beside(form, refused, "mobile")
        else:
            session["staff_sms"] = request_id
            flash(gettext("A code was sent by SMS to your mobile."), "info")
            return sessions.set_cookie(redirect(url_for("staff.sign_in_code"), 303), token)
    return render_template("staff/sign_in.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code():
    """Step two: the SMS code."""
    row = g.staff_session
    if row is None:
        return redirect(url_for("staff.sign_in_page"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            request_id = session.get("staff_sms", "")
            sign_in.verify_code(row, request_id, form.code.data, audit.client_address(), _codes())
        except Refused as refused:
            show_beside(form, refused, "code")
        else:
            session.pop("staff_sms", None)
            return redirect(url_for("staff.sign_in_passkey"), 303)
    return render_template("staff/code.html", form=form), 400 if form.errors else 200


@bp.get("/sign-in/passkey")
def sign_in_passkey():
    """Step three: the passkey (made now on a first sign-in)."""
    row = g.staff_session
    if row is None or row.sms_at is None:
        return redirect(url_for("staff.sign_in_page"))
    first = not _holder(g.staff, row).credentials
    return render_template("staff/passkey.html", first=first)


def _holder(staff: Staff, row: StaffSession) -> webauthn.Holder:
    """The staff member as the WebAuthn kit knows a passkey's holder."""
    return webauthn.holder(
        StaffPasskey.staff_id,
        staff.id,
        staff.user_handle,
        f"staff-{staff.id}",
        confirmed=row.passkey_at is not None,
    )


@bp.post("/sign-in/passkey/options")
def passkey_options():
    """The WebAuthn options for this session's staff member: a first passkey, else theirs."""
    row = g.staff_session
    if row is None or row.sms_at is None:
        raise Unauthorized("sign_in_required")
    holder = _holder(g.staff, row)
    if holder.credentials:
        return webauthn.authentication_options(webauthn.STAFF, holder.credentials, session=row.id)
    return webauthn.registration_options(webauthn.STAFF, holder, session=row.id)


@bp.post("/sign-in/passkey/verify")
def passkey_verify():
    """Check the passkey; the session is signed in, and the sign-in audited. A credential that
    does not verify is refused (400) by the app's handler."""
    row = g.staff_session
    payload = request.get_json(silent=True)
    if row is None or row.sms_at is None:
        raise Unauthorized("sign_in_required")
    if not isinstance(payload, dict) or not isinstance(payload.get("credential"), dict):
        raise Invalid("invalid_json")
    claims = webauthn.spend(webauthn.STAFF, payload.get("state"))
    if claims.get("session") != row.id:
        raise Invalid("passkey_refused")
    if claims["mode"] == "register":
        _register(g.staff, row, payload["credential"], claims)
    else:
        webauthn.verify_authentication(claims, payload["credential"], _own(g.staff.id))
    row.passkey_at = clock.now()
    audit.record("signed_in", subject=f"staff:{g.staff.id}")
    flash(gettext("You are signed in."), "info")
    return jsonify(redirect=url_for("staff.home"))


def _register(staff: Staff, row: StaffSession, credential: dict, claims: dict) -> None:
    """Keep the staff member's new passkey, audited; their mobile is told by SMS."""
    columns = webauthn.verify_registration(claims, credential, _holder(staff, row))
    webauthn.store(StaffPasskey(staff_id=staff.id, **columns))
    webauthn.tell_new_passkey(webauthn.STAFF, staff.mobile, row.user_agent)
    audit.record("passkey_registered", subject=f"staff:{staff.id}")


def _own(staff_id: int):
    """Finds one of this staff member's passkeys by credential id."""

    def find(credential_id: bytes, user_handle: bytes | None) -> StaffPasskey | None:
        """The staff member's passkey with this id, if there is one."""
        return db.session.scalar(
            select(StaffPasskey).where(
                StaffPasskey.credential_id == credential_id, StaffPasskey.staff_id == staff_id
            )
        )

    return find


@bp.post("/sign-out")
def sign_out():
    """End this browser's staff session."""
    form = EmptyForm()
    if form.validate_on_submit() and g.staff_session is not None:
        if sessions.signed_in():
            audit.record("signed_out", subject=f"staff:{g.staff.id}")
        sessions.end_current()
    flash(gettext("You have signed out."), "info")
    return sessions.clear_cookie(redirect(url_for("staff.sign_in_page"), 303))


@bp.get("/")
@sessions.role_required()
def home():
    """The screens of my role."""
    return render_template("staff/home.html")


# Branch: a person's mobile


@bp.route("/branch", methods=["GET", "POST"])
@sessions.role_required(*BRANCH)
def branch_find():
    """Find a person by national code (sent in the body, never in the URL); their page is
    reached by a signed link made for this staff member."""
    form = FindPersonForm()
    if form.validate_on_submit():
        person = branch.find(form.national_code.data)
        if person is None:
            form.national_code.errors.append(
                gettext("No one with this national code is in the registry.")
            )
        else:
            return redirect(url_for("staff.branch_person", link=_link_to(person)), 303)
    return _find_page(form, FindByNameForm(formdata=None))


@bp.post("/branch/by-name")
@sessions.role_required(*BRANCH)
def branch_find_by_name():
    """Find people by first name and surname: each one listed is audited, as a look-up is."""
    form, found = FindByNameForm(), None
    if form.validate_on_submit():
        found = branch.find_by_name(form.first_name.data, form.last_name.data)
        for person in found[: branch.NAME_RESULTS]:
            audit.record("person_listed", person_id=person.id, subject=f"person:{person.id}")
    return _find_page(FindPersonForm(formdata=None), form, found)


def _find_page(by_code: FindPersonForm, by_name: FindByNameForm, found: list | None = None):
    """The branch's finding page: by national code, by name, and a name search's people."""
    people = [
        {
            "card": branch.card(person),
            "national_code": person.national_code,
            "masked_code": medical_staff.mask_national_code(person.national_code),
        }
        for person in (found or [])[: branch.NAME_RESULTS]
    ]
    page = render_template(
        "staff/branch_find.html",
        form=by_code,
        name_form=by_name,
        people=people,
        searched=found is not None,
        more=found is not None and len(found) > branch.NAME_RESULTS,
    )
    return page, 400 if by_code.errors or by_name.errors else 200


def _link_to(person: Person) -> str:
    """The signed link to a person's pages, for the signed-in staff member."""
    return branch.link_to(person, g.staff.id, current_app.config["SECRET_KEY"])


def _linked_person(link: str) -> Person:
    """The person a signed link names; 404 (the console's page) for a bare id, a changed,
    an old or another staff member's link."""
    person = branch.person_of(link, g.staff.id, current_app.config["SECRET_KEY"])
    if person is None:
        abort(404)
    return person


@bp.route("/branch/people/<link>", methods=["GET", "POST"])
@sessions.role_required(*BRANCH)
def branch_person(link: str):
    """Name, birth date, the masked mobile; the form to register a new mobile."""
    person = _linked_person(link)
    form = MobileForm()
    done = gettext("The new mobile is registered. The person can now sign in with it.")
    return _branch_action(person, link, form, "mobile", branch.change_mobile, done) or (
        _person_page("mobile", person, link, form)
    )


PERSON_PAGES = {
    "mobile": "staff/branch_person.html",
    "passkeys": "staff/branch_passkeys.html",
    "document": "staff/branch_document.html",
}


def _person_page(screen: str, person: Person, link: str, form, **extra):
    """A branch page about one person with its form (400 with the form's errors); each view
    of it is audited (a refused form's request is rolled back, its action audited if done)."""
    if request.method == "GET":
        audit.record(
            "person_viewed", person_id=person.id, subject=f"person:{person.id}", page=screen
        )
    page = render_template(
        PERSON_PAGES[screen], person=branch.card(person), link=link, form=form, **extra
    )
    return page, 400 if form.errors else 200


def _branch_action(person: Person, link: str, form, field: str, action, done: str):
    """Run `action(person, the form's `field`, document kind, document number, sms)` from a
    branch form, then back to the person; a refusal shows beside its field (None: show the
    page again)."""
    if not form.validate_on_submit():
        return None
    try:
        action(
            person,
            getattr(form, field).data,
            form.document_kind.data,
            form.document_number.data,
            backend_from_config(current_app.config),
        )
    except Refused as refused:
        show_beside(form, refused, field)
        return None
    flash(done, "info")
    return redirect(url_for("staff.branch_person", link=link), 303)


@bp.route("/branch/people/<link>/passkeys", methods=["GET", "POST"])
@sessions.role_required(*BRANCH)
def branch_passkeys(link: str):
    """A lost device: remove the person's passkeys of one realm, so that they make a new one."""
    person = _linked_person(link)
    form = PasskeyResetForm()
    done = gettext(
        "The passkeys are removed and the person was told by SMS. They can make a new one "
        "after signing in with an SMS code."
    )
    return _branch_action(
        person, link, form, "realm", lost_passkey.let_person_enrol_again, done
    ) or _person_page("passkeys", person, link, form)


@bp.route("/branch/people/<link>/document", methods=["GET", "POST"])
@sessions.role_required(*BRANCH)
def branch_document(link: str):
    """A document shown in person (a daughter's original birth certificate, a student
    certificate, a disability decision), recorded after an identity document was seen: the
    cover is recomputed at once, and the page says what it now is."""
    person = _linked_person(link)
    form = BranchDocumentForm()
    if form.validate_on_submit():
        try:
            documents.record_at_branch(
                person,
                form.kind.data,
                form.valid_from.data,
                form.valid_until.data,
                form.document_kind.data,
                form.document_number.data,
            )
        except Refused as refused:
            show_beside(form, refused, "kind")
        else:
            flash(_cover_now(person.id), "info")
            return redirect(url_for("staff.branch_document", link=link), 303)
    return _person_page("document", person, link, form, eligibility=_eligibility(person.id))


def _cover_now(person_id: int) -> str:
    """What the branch tells the person before they leave: the document is recorded, and
    their cover as it now is."""
    now = _eligibility(person_id)
    if now["covered"] and now["valid_until"]:
        return gettext(
            "The document is recorded. The person is covered for treatment until %(date)s.",
            date=now["valid_until"],
        )
    return gettext(
        "The document is recorded, but the person is still not covered: %(label)s",
        label=now["label"],
    )


# Objections


@bp.get("/objections")
@sessions.role_required(*BRANCH)
def queue():
    """Open objections by age, a page at a time, optionally of one subject."""
    subject = request.args.get("subject") or None
    if subject not in (None, *objections.SUBJECT_LABELS):
        subject = None
    found = objections.queue(subject=subject, page=request.args.get("page", 1, type=_page))
    now = clock.now()
    ages = {row.id: (now - clock.as_utc(row.created_at)).days for row in found.rows}
    return render_template(
        "staff/queue.html",
        found=found,
        ages=ages,
        subject=subject,
        subjects=objections.SUBJECT_LABELS,
        statuses=objections.STATUS_LABELS,
    )


def _page(text: str) -> int:
    """`?page=`: a small whole number (anything else is page 1)."""
    return int(text) if text.isdigit() and len(text) < 7 else 1


@bp.route("/objections/<int:objection_id>", methods=["GET", "POST"])
@sessions.role_required(*BRANCH)
def objection(objection_id: int):
    """One objection: the person's eligibility now and, for «it wasn't me», the one entry."""
    row = db.session.get(Objection, objection_id) or abort(404)
    form = AnswerForm(status=row.status if row.status != "received" else "in_review")
    if request.method == "GET":
        form.answer.data = row.answer or ""
    if form.validate_on_submit():
        try:
            objections.respond(
                row, form.status.data, form.answer.data or "", form.flag_provider.data
            )
        except Refused as refused:
            show_beside(form, refused, "answer")
        else:
            flash(gettext("The objection is updated; the person is told in the app."), "info")
            return redirect(url_for("staff.objection", objection_id=objection_id), 303)
    elif request.method == "GET":
        audit.record("objection_viewed", person_id=row.person_id, subject=f"objection:{row.id}")
        _logged_read(row, "objection")
    return render_template(
        "staff/objection.html",
        row=row,
        form=form,
        person=db.session.get(Person, row.person_id),
        about=db.session.get(Person, row.about_person_id),
        eligibility=_eligibility(row.about_person_id),
        histories=_histories(row.about_person_id),
        kinds=registry_history,
        entry=_disputed_entry(row),
        subjects=objections.SUBJECT_LABELS,
        statuses=objections.STATUS_LABELS,
        dispute=row.subject in objections.DISPUTES,
        allergy=allergies.disputed_by(row.id) if row.subject == "allergy" else None,
    ), 400 if form.errors else 200


def _eligibility(person_id: int) -> dict:
    """The person's eligibility answer and its reasons as of now (not their records)."""
    person = db.session.get(Person, person_id)
    answer = inquiries.find(person.national_code, clock.today())
    until = answer.eligibility.valid_until
    return {
        "label": answer.label,
        "covered": answer.covered,
        "valid_until": jalali_text(until) if until else None,
        "reasons": [messages.reason(code) for code in answer.eligibility.reasons],
    }


def _histories(person_id: int) -> list[dict]:
    """The registry history of the person an objection is about and, for a dependant, of each
    main insured (whose contributions the cover rests on)."""
    person = db.session.get(Person, person_id)
    histories = [{"person": person, "link": None, "history": registry_history.history(person_id)}]
    for link, insured in registry_history.main_insured(person_id):
        history = registry_history.history(insured.id)
        histories.append({"person": insured, "link": link, "history": history})
    return histories


def _disputed_entry(row: Objection) -> dict | None:
    """The one access-log entry a «this wasn't me» objection is about."""
    if row.subject not in objections.DISPUTES or row.record_access_id is None:
        return None
    access = db.session.get(RecordAccess, row.record_access_id)
    provider = db.session.get(Provider, access.provider_id) if access.provider_id else None
    prescription = (
        db.session.get(Prescription, access.prescription_id) if access.prescription_id else None
    )
    return {"access": access, "provider": provider, "prescription": prescription}


@bp.get("/objections/<int:objection_id>/attachment")
@sessions.role_required(*BRANCH)
def attachment(objection_id: int):
    """The person's photo or PDF, from the instance folder, shown in the browser only."""
    row = db.session.get(Objection, objection_id) or abort(404)
    if not row.attachment_name:
        abort(404)
    folder = objections.attachments_folder(current_app.instance_path)
    path = folder / Path(row.attachment_name).name
    if not path.exists():
        abort(404)
    audit.record("attachment_viewed", person_id=row.person_id, subject=f"objection:{row.id}")
    _logged_read(row, "attachment")
    return _shown_inline(path, row.attachment_type)


def _logged_read(row: Objection, opened: str) -> None:
    """The objection's people see this read in their access log and are told of it: it shows
    their cover, their words and what they attached (the staff audit keeps who it was)."""
    access.log_staff_read({row.person_id, row.about_person_id}, g.staff, opened)


def _shown_inline(path: Path, mimetype: str):
    """A person's uploaded file (at most 5 MB, checked at upload), shown in the browser in a
    sandbox: it runs nothing and is never taken for another type."""
    response = make_response(path.read_bytes())
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
    )
    return response


# Insurance: documents sent from the app


@bp.get("/documents")
@sessions.role_required("insurance")
def documents_queue():
    """Documents waiting for review, the oldest first, a page at a time."""
    found = documents.queue(page=request.args.get("page", 1, type=_page))
    return render_template(
        "staff/documents.html",
        found=found,
        kinds=documents.DOCUMENT_KIND_LABELS,
    )


def _submission(submission_id: int) -> DocumentSubmission:
    """The document sent, or the console's 404."""
    return db.session.get(DocumentSubmission, submission_id) or abort(404)


def _document_page(row: DocumentSubmission, status: int = 200, **forms):
    """One document sent: whom about, what the family wrote, their cover now, and the two
    decisions (with a refused form's errors)."""
    forms = {"accept_form": DocumentAcceptForm(), "refuse_form": DocumentRefusalForm()} | forms
    return render_template(
        "staff/document.html",
        row=row,
        person=db.session.get(Person, row.person_id),
        sender=db.session.get(Person, row.sender_id),
        eligibility=_eligibility(row.person_id),
        kinds=documents.DOCUMENT_KIND_LABELS,
        statuses=documents.STATUS_LABELS,
        **forms,
    ), status


@bp.get("/documents/<int:submission_id>")
@sessions.role_required("insurance")
def document_submission(submission_id: int):
    """One document sent from the app, for a decision; the view is audited."""
    row = _submission(submission_id)
    audit.record(
        "submission_viewed", person_id=row.person_id, subject=f"document_submission:{row.id}"
    )
    return _document_page(row)


@bp.get("/documents/<int:submission_id>/file")
@sessions.role_required("insurance")
def document_file(submission_id: int):
    """The photo or PDF the family sent, shown in the browser only; a read the family sees in
    their access log, as an objection's attachment is."""
    row = _submission(submission_id)
    path = documents.folder(current_app.instance_path) / Path(row.file_name).name
    if not row.file_name or not path.is_file():
        abort(404)  # deleted DARMAN_RETAIN_DOCUMENT_FILE_DAYS after the decision
    audit.record(
        "submission_file_viewed", person_id=row.person_id, subject=f"document_submission:{row.id}"
    )
    access.log_staff_read({row.person_id, row.sender_id}, g.staff, "document")
    return _shown_inline(path, row.media_type)


def _decide_document(submission_id: int, form, decide, done: str, field: str):
    """Accept or refuse from the document's page; a refusal (another decided first, a wrong
    day) shows beside its field and changes nothing."""
    row = _submission(submission_id)
    name = "refuse_form" if field == "reason" else "accept_form"
    if form.validate_on_submit():
        try:
            decide(row, form)
        except Refused as refused:
            if refused.details.get("field") is None:  # decided by another: said on top
                flash_refused(refused)
                return _document_page(row, status_of(refused))
            said = show_beside(form, refused, field)
            return _document_page(row, said.status, **{name: form})
        flash(done, "info")
        return redirect(url_for("staff.documents_queue"), 303)
    return _document_page(row, 400, **{name: form})


@bp.post("/documents/<int:submission_id>/accept")
@sessions.role_required("insurance")
def document_accept(submission_id: int):
    """Accept: a registry document row, the cover recomputed now, the family told."""
    return _decide_document(
        submission_id,
        DocumentAcceptForm(),
        lambda row, form: documents.accept(row, form.valid_from.data, form.valid_until.data),
        gettext("The document is accepted and the cover is updated; the family is told."),
        "valid_from",
    )


@bp.post("/documents/<int:submission_id>/refuse")
@sessions.role_required("insurance")
def document_refuse(submission_id: int):
    """Refuse with a reason the family sees in the app."""
    return _decide_document(
        submission_id,
        DocumentRefusalForm(),
        lambda row, form: documents.refuse(row, form.reason.data),
        gettext("The document is not accepted; the family sees the reason in the app."),
        "reason",
    )


# Medical: doctors' registrations and centres


@bp.get("/medical")
@sessions.role_required("medical")
def medical():
    """Pending registrations, the oldest first, and the active centres (to suspend one)."""
    now = clock.now()
    rows = [
        (centre, doctor, medical_staff.age_in_days(centre.created_at, now))
        for centre, doctor in medical_staff.pending()
    ]
    search = CentreSearchForm(request.args)
    name = (search.name.data or "")[:200]
    active = medical_staff.active(name)
    return render_template(
        "staff/medical.html",
        rows=rows,
        active=active[: medical_staff.ACTIVE_SHOWN],
        more=len(active) > medical_staff.ACTIVE_SHOWN,
        name=name,
        search=search,
    )


@bp.get("/medical/centres/<int:centre_id>")
@sessions.role_required("medical")
def medical_centre(centre_id: int):
    """One registration or centre: the doctor, the office, the documents, the decisions."""
    found = medical_staff.registration(centre_id) or abort(404)
    doctor = found.doctor.person_id if found.doctor else None
    audit.record("centre_viewed", person_id=doctor, subject=f"centre:{centre_id}")
    return _centre_page(found, ApproveForm(), ReasonForm())


def _centre_page(found, approve_form, reason_form, status: int = 200, **contract_forms):
    """The page of one centre, with its forms (and their errors); `contract_forms` the contract's
    (`contract_form`, `refusal_form`) when one was sent."""
    forms = {
        "contract_form": ContractForm(),
        "refusal_form": ContractRefusalForm(prefix="contract"),
    }
    return render_template(
        "staff/medical_centre.html",
        found=found,
        centre=found.centre,
        doctor=found.doctor,
        contracts=medical_staff.centre_contracts(found.centre.id),
        approve_form=approve_form,
        reason_form=reason_form,
        **(forms | contract_forms),
        document_labels=DOCUMENT_LABELS,
        extensions=MEDIA_TYPES,
        registration_number=registration_number,
    ), status


def _decide(centre_id: int, decide, done: str, with_reason: bool):
    """Run one decision from the centre's page; a refusal shows on the page and changes nothing."""
    found = medical_staff.registration(centre_id) or abort(404)
    approve_form, reason_form = ApproveForm(), ReasonForm()
    form = reason_form if with_reason else approve_form
    if form.validate_on_submit():
        try:
            decide(centre_id, *([form.reason.data] if with_reason else []))
        except Refused as refused:
            if with_reason and refused.details.get("field") == "reason":
                show_beside(reason_form, refused, "reason")
            else:
                flash_refused(refused)
                return _centre_page(found, ApproveForm(), ReasonForm(), 409)
        else:
            flash(done, "info")
            return redirect(url_for("staff.medical"), 303)
    return _centre_page(found, approve_form, reason_form, 400)


@bp.post("/medical/centres/<int:centre_id>/approve")
@sessions.role_required("medical")
def medical_approve(centre_id: int):
    """Approve: the centre is active and the doctor is told by SMS."""
    done = gettext("The centre is approved; the doctor was told by SMS.")
    return _decide(centre_id, medical_staff.approve, done, with_reason=False)


@bp.post("/medical/centres/<int:centre_id>/reject")
@sessions.role_required("medical")
def medical_reject(centre_id: int):
    """Reject with a reason, which the doctor receives by SMS."""
    done = gettext("The registration is rejected; the doctor was told the reason by SMS.")
    return _decide(centre_id, medical_staff.reject, done, with_reason=True)


@bp.post("/medical/centres/<int:centre_id>/suspend")
@sessions.role_required("medical")
def medical_suspend(centre_id: int):
    """Suspend an active centre: its tokens and sessions end at once."""
    done = gettext("The centre is suspended; its tokens and sessions have ended.")
    return _decide(centre_id, medical_staff.suspend, done, with_reason=True)


def _contract_decision(centre_id: int, form, decide, done: str, field: str):
    """Make a contract or refuse its request from the centre's page; a refusal shows beside
    `field` (or the field it names) and changes nothing."""
    found = medical_staff.registration(centre_id) or abort(404)
    name = "refusal_form" if field == "reason" else "contract_form"
    if form.validate_on_submit():
        try:
            decide(form)
        except Refused as refused:
            said = show_beside(form, refused, field)
            return _centre_page(found, ApproveForm(), ReasonForm(), said.status, **{name: form})
        flash(done, "info")
        return redirect(url_for("staff.medical"), 303)
    return _centre_page(found, ApproveForm(), ReasonForm(), 400, **{name: form})


@bp.post("/medical/centres/<int:centre_id>/contract")
@sessions.role_required("medical")
def medical_contract(centre_id: int):
    """Make the centre's contract from a day (to a day); its admins are told by SMS."""
    return _contract_decision(
        centre_id,
        ContractForm(),
        lambda form: medical_staff.make_contract(
            centre_id, form.valid_from.data, form.valid_until.data
        ),
        gettext("The contract is made; the centre was told by SMS."),
        "valid_from",
    )


@bp.post("/medical/centres/<int:centre_id>/contract/refuse")
@sessions.role_required("medical")
def medical_contract_refuse(centre_id: int):
    """Refuse the centre's contract request with a reason, which its admins receive by SMS."""
    return _contract_decision(
        centre_id,
        ContractRefusalForm(prefix="contract"),
        lambda form: medical_staff.refuse_contract(centre_id, form.reason.data),
        gettext("The contract request is refused; the centre was told the reason by SMS."),
        "reason",
    )


@bp.get("/medical/centres/<int:centre_id>/documents/<int:document_id>")
@bp.get("/medical/centres/<int:centre_id>/documents/<int:document_id>/<name>")
@sessions.role_required("medical")
def medical_document(centre_id: int, document_id: int, name: str | None = None):
    """A doctor's document from the instance folder, shown in the browser, never cached (the
    links end in the document's name, «کارت ملی.png», which the browser's tab shows)."""
    found = medical_staff.document(centre_id, document_id) or abort(404)
    row, path = found
    audit.record(
        "document_viewed",
        person_id=medical_staff.doctor_person_id(centre_id),
        subject=f"centre:{centre_id}",
        kind=row.kind,
    )
    return _shown_inline(path, row.media_type)


# Medical: the special-patients list


@bp.route("/medical/special-patients", methods=["GET", "POST"])
@sessions.role_required("medical")
def special_patients():
    """Find a person by national code (in the body, never the URL); their entries are reached
    by a signed link made for this staff member."""
    form = FindPersonForm()
    if form.validate_on_submit():
        try:
            person = special.person_of(form.national_code.data)
        except Refused as refused:
            show_beside(form, refused, "national_code")
            return render_template("staff/special_patients.html", form=form, person=None), 404
        return redirect(url_for("staff.special_patient", link=_link_to(person)), 303)
    status = 400 if form.errors else 200
    return render_template("staff/special_patients.html", form=form, person=None), status


@bp.route("/medical/special-patients/<link>", methods=["GET", "POST"])
@sessions.role_required("medical")
def special_patient(link: str):
    """A person's entries (a logged look-up) and the form that adds one."""
    person = _linked_person(link)
    form = SpecialPatientForm()
    if not form.validate_on_submit():
        return _special_page(form, person, link, 400 if form.errors else 200)
    try:
        special.add(person, form.condition.data, form.valid_from.data, form.valid_until.data)
    except Refused as refused:
        status = show_beside(form, refused, "condition").status
        return _special_page(form, person, link, status)
    flash(gettext("Added to the special-patients list."), "info")
    return redirect(url_for("staff.special_patient", link=link), 303)


def _special_page(form: SpecialPatientForm, person: Person, link: str, status: int = 200):
    """The page of one person's entries, with the form to add one."""
    return render_template(
        "staff/special_patients.html",
        form=FindPersonForm(formdata=None),
        add_form=form,
        person=person,
        link=link,
        entries=special.entries(person),
        end_form=EmptyForm(),
    ), status


@bp.post("/medical/special-patients/<link>/<int:entry_id>/end")
@sessions.role_required("medical")
def special_patient_end(link: str, entry_id: int):
    """End an entry today; back to the person's entries."""
    person = _linked_person(link)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        special.end(person, entry_id)
    except Refused as refused:
        flash_refused(refused)
    else:
        flash(gettext("The entry is ended: from today the person is off the list for it."), "info")
    return redirect(url_for("staff.special_patient", link=link), 303)


# Admin: the audit and the import history


@bp.get("/audit")
@sessions.role_required("admin")
def audit_log():
    """The latest staff actions; nobody can change them."""
    action = request.args.get("action") or None
    rows = audit.recent(action=action)
    people = {row.person_id for row in rows if row.person_id}
    names = {
        person.id: f"{person.first_name} {person.last_name}"
        for person in db.session.scalars(select(Person).where(Person.id.in_(people)))
    }
    return render_template(
        "staff/audit.html", rows=rows, action=action, labels=audit.ACTION_LABELS, names=names
    )


@bp.get("/imports")
@sessions.role_required("admin")
def import_history():
    """Who imported what, when, with what result."""
    return render_template("staff/imports.html", runs=imports.history())
