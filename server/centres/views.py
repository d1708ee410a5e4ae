"""The web for centres at /centre/: sign-in, eligibility with today's inquiries, a patient's
recent history for doctors, members and tokens for admins, and doctors' registration.

Server-rendered pages with Flask-WTF forms (CSRF); POST → redirect → GET where a page changes
something. Operations raise refusals; the view shows their message by the field
(`refusals.show_beside`) or flashes it, and the request is rolled back like any refused request
(`server/web/unit_of_work.py`), though the re-shown page answers 200 (the eligibility
form's answers a refused inquiry as the API does: 400, or 429 past the limit).
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from sqlalchemy import and_, not_, select
from sqlalchemy.orm import aliased
from wtforms.fields.choices import SelectChoice

from .. import clock, inquiries, messages
from ..auth import rate_limits, sms_codes
from ..auth.rate_limits import Limit
from ..domain.jalali import jalali_text
from ..domain.refusal import Conflict, Refused
from ..extensions import db
from ..models import CentreMember, Inquiry, MemberPasskey, Person, Provider
from ..records import access, reading, rules
from ..web.refusals import flash_refused, show_beside
from ..web.shell import no_store
from . import accounts, sessions, tokens
from .forms import (
    CodeForm,
    ConfirmForm,
    EligibilityForm,
    MemberForm,
    NewbornForm,
    SignInForm,
    TokenForm,
)
from .sessions import admin_required, member_required, passkey_required
from .texts import (
    ROLE_LABELS,
    SCOPE_LABELS,
    grouped,
    local_time,
    locale_digits,
    registration_number,
)

bp = Blueprint(
    "centres",
    __name__,
    url_prefix="/centre",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

CHANNEL = "web"
HISTORY = timedelta(days=365)


bp.after_request(no_store)


@bp.app_context_processor
def _page_context() -> dict:
    """What every page's layout shows: the signed-in member, if any."""
    if not (request.blueprint or "").startswith(("centres", "centre_")):
        return {}
    return {"member": sessions.current(), "role_labels": ROLE_LABELS}


@bp.get("/")
def home():
    """Signed in: eligibility; otherwise the sign-in page."""
    if sessions.current() is None:
        return redirect(url_for("centres.sign_in"))
    return redirect(url_for("centres.eligibility"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """National code and mobile → an SMS code."""
    form = SignInForm()
    if form.validate_on_submit() and send_code(form, "sign-in"):
        return redirect(url_for("centres.sign_in_code"))
    return render_template("centres/sign_in.html", form=form)


def _codes() -> sms_codes.SmsCodes:
    """The SMS-code service of the centres' realm (it makes no citizen account)."""
    return sms_codes.for_realm("centre", current_app.config)


def send_code(form: SignInForm, purpose: str, mismatch: Refused | None = None) -> bool:
    """Text a code to the form's mobile for `purpose` (sign-in, register); False with the
    refusal beside its field (`mismatch` when the code and mobile are not on record together:
    the citizen's «go to a branch» by default)."""
    national_code = form.national_code.data
    try:
        sent = _codes().start(
            national_code,
            form.mobile.data,
            request.remote_addr,
            sms_codes.person_holder(national_code),
            mismatch or Conflict("mobile_mismatch"),
        )
    except Refused as error:
        show_beside(form, error, "mobile")
        return False
    session["centre_sms"] = {"request_id": sent.request_id, "purpose": purpose}
    return True


def _verified_person(form: CodeForm, purpose: str) -> int | None:
    """The person a right SMS code confirms once the form is sent, or None (with the error
    beside the field, if any)."""
    if not form.validate_on_submit():
        return None
    pending = session.get("centre_sms") or {}
    if pending.get("purpose") != purpose:
        form.code.errors = [gettext("This code is no longer valid. Please ask for a new code.")]
        return None
    try:
        person_id = _codes().verify(pending["request_id"], form.code.data, request.remote_addr)
    except Refused as error:
        show_beside(form, error, "code")
        return None
    session.pop("centre_sms", None)
    return person_id


def _memberships(person_id: int, rejected: bool = False) -> list:
    """The person's present memberships, with each centre's name, kind and status.

    Centres refused at registration (suspended, never approved) are left out: nobody signs in
    to them. `rejected=True` lists only those instead.
    """
    refused = and_(Provider.status == "suspended", Provider.approved_at.is_(None))
    return db.session.execute(
        select(CentreMember, Provider.name, Provider.kind, Provider.status)
        .join(Provider, Provider.id == CentreMember.provider_id)
        .where(CentreMember.person_id == person_id, CentreMember.removed_at.is_(None))
        .where(refused if rejected else not_(refused))
        .order_by(Provider.name)
    ).all()


@bp.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code():
    """The SMS code → a session (for the one centre, or a choice of them)."""
    if "centre_sms" not in session:
        return redirect(url_for("centres.sign_in"))
    form = CodeForm()
    person_id = _verified_person(form, "sign-in")
    if person_id is not None:
        memberships = _memberships(person_id)
        if not memberships:  # the code is spent all the same: the page's 200 commits it
            form.code.errors = [
                gettext(
                    "Your registration was not approved; the reason was sent to you by SMS. "
                    "For more information, please contact the Social Security Organization."
                )
                if _memberships(person_id, rejected=True)
                else gettext("You are not a member of any centre.")
            ]
        else:
            member_id = memberships[0].CentreMember.id if len(memberships) == 1 else None
            session_id = sessions.start(person_id, member_id)
            target = "centres.eligibility" if member_id else "centres.choose_centre"
            return sessions.set_cookie(redirect(url_for(target)), session_id)
    return render_template("centres/code.html", form=form, action=url_for("centres.sign_in_code"))


@bp.route("/choose", methods=["GET", "POST"])
def choose_centre():
    """A person working at several centres picks one for this session."""
    member = sessions.current()
    if member is None:
        return redirect(url_for("centres.sign_in"))
    memberships = _memberships(member.person_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        chosen = request.form.get("member_id", type=int)
        if chosen in {row.CentreMember.id for row in memberships}:
            sessions.choose(member.session_id, chosen)
            return redirect(url_for("centres.eligibility"))
    return render_template("centres/choose.html", form=form, memberships=memberships)


@bp.get("/waiting")
def waiting():
    """«در حال بررسی»: the centre is not active (yet)."""
    member = sessions.current()
    if member is None:
        return redirect(url_for("centres.sign_in"))
    if member.centre_status == "active":
        return redirect(url_for("centres.eligibility"))
    return render_template(
        "centres/waiting.html",
        form=ConfirmForm(),
        tracking_number=locale_digits(registration_number(member.centre_id)),
        review_days=locale_digits(str(current_app.config["DARMAN_CENTRE_REVIEW_WORKING_DAYS"])),
    )


@bp.post("/sign-out")
def sign_out():
    """End this session and forget the cookie."""
    form = ConfirmForm()
    member = sessions.current()
    if form.validate_on_submit() and member is not None:
        sessions.end(member.session_id)
    return sessions.clear_cookie(redirect(url_for("centres.sign_in")))


def _inquiry_limit() -> Limit:
    """A member's inquiries per minute (the same number as a token's)."""
    per_minute = current_app.config["DARMAN_PROVIDER_INQUIRIES_PER_MINUTE"]
    return Limit(f"member:{g.provider.member_id}:inquiries", per_minute, timedelta(minutes=1))


def _limited(field) -> bool:
    """True (with the error beside `field`) when the member asked too often this minute;
    otherwise counts this inquiry."""
    now, limit = clock.now(), _inquiry_limit()
    if rate_limits.exceeded([limit], now):
        field.errors = [gettext("Too many inquiries. Please wait a minute.")]
        return True
    rate_limits.record([limit.key], now)
    return False


def _ask(form: EligibilityForm) -> tuple[dict | None, int]:
    """Check the patient the form names and log it (channel `web`); the result and the page's
    status, or None and 429 (the error said beside the field)."""
    if _limited(form.national_code):
        return None, 429
    asked_for = form.national_code.data
    return _answered(inquiries.find(asked_for, clock.today()), asked_for), 200


def _ask_newborn(form: NewbornForm) -> tuple[dict | None, int]:
    """Check a newborn under the mother's code and log it; the result and the page's status,
    or None and the refusal's status (a date no newborn of hers can have: said under the birth
    date, as the rules refuse it)."""
    birth_date = form.birth_date.data  # a day (the form read it)
    if _limited(form.mother_national_code):
        return None, 429
    asked_for = form.mother_national_code.data
    try:
        answer = inquiries.find_newborn(asked_for, birth_date, clock.today())
    except Refused as error:
        return None, show_beside(form, error, "birth_date").status
    return _answered(answer, asked_for, birth_date), 200


def _answered(answer: inquiries.Answer, asked_for: str, birth_date: date | None = None) -> dict:
    """Log an answer (channel `web`, the member) and say it: the label, the tracking code,
    why not and what to tell the patient, and for a newborn whose cover it is and until when."""
    tracking_code = inquiries.log(
        answer,
        channel=CHANNEL,
        national_code=asked_for,
        provider_id=g.provider.id,
        newborn_birth_date=birth_date,
        member_id=g.provider.member_id,
    )
    return {
        "covered": answer.covered,
        "label": answer.label,
        "tracking_code": tracking_code,
        "tracking_code_grouped": grouped(tracking_code),
        "inquiry_id": db.session.scalar(
            select(Inquiry.id).where(Inquiry.tracking_code == tracking_code)
        ),
        "national_code": asked_for,
        "newborn": None if birth_date is None else _newborn_line(answer, asked_for, birth_date),
        "reasons": [messages.for_centre(code) for code in answer.eligibility.reasons],
    }


def _newborn_line(answer: inquiries.Answer, mother: str, birth_date: date) -> str:
    """«نوزاد متولد … تحت کد ملی مادر … تا … حمایت درمانی دارد» (or «ندارد»)."""
    words = {"birth_date": jalali_text(birth_date), "national_code": locale_digits(mother)}
    if answer.covered:
        return gettext(
            "The newborn born on %(birth_date)s is covered under the mother's national code "
            "%(national_code)s until %(date)s.",
            date=jalali_text(answer.eligibility.valid_until),
            **words,
        )
    return gettext(
        "The newborn born on %(birth_date)s is not covered under the mother's national code "
        "%(national_code)s.",
        **words,
    )


def _todays_inquiries() -> list[dict]:
    """The centre's inquiries since midnight in Tehran, newest first, with who asked."""
    midnight = datetime.combine(clock.today(), time(0), tzinfo=clock.as_tehran(clock.now()).tzinfo)
    asker = aliased(Person)
    rows = db.session.execute(
        select(Inquiry, asker.first_name, asker.last_name)
        .outerjoin(CentreMember, CentreMember.id == Inquiry.member_id)
        .outerjoin(asker, asker.id == CentreMember.person_id)
        .where(Inquiry.provider_id == g.provider.id, Inquiry.asked_at >= midnight)
        .order_by(Inquiry.id.desc())
        .limit(200)
    ).all()
    return [
        {
            "id": row.Inquiry.id,
            "at": local_time(row.Inquiry.asked_at),
            "national_code": row.Inquiry.national_code,
            "newborn": row.Inquiry.newborn_birth_date is not None,
            "covered": row.Inquiry.covered,
            "tracking_code": grouped(row.Inquiry.tracking_code),
            "asked_by": f"{row.first_name} {row.last_name}" if row.first_name else None,
            "has_patient": row.Inquiry.person_id is not None,
        }
        for row in rows
    ]


@bp.route("/eligibility", methods=["GET", "POST"])
@member_required
def eligibility():
    """Check a patient; the answer large, with the tracking code; today's inquiries below."""
    form = EligibilityForm()
    result, status = None, 200
    if form.validate_on_submit():
        result, status = _ask(form)
    elif request.method == "GET":
        form = EligibilityForm(formdata=None)
    else:
        status = 400
    return _eligibility_page(form, NewbornForm(formdata=None), result, status)


@bp.post("/eligibility/newborn")
@member_required
def eligibility_newborn():
    """Check a newborn without a national code, by the mother's code and the birth date."""
    form = NewbornForm()
    result, status = _ask_newborn(form) if form.validate_on_submit() else (None, 400)
    return _eligibility_page(EligibilityForm(formdata=None), form, result, status)


def _eligibility_page(
    form: EligibilityForm, newborn: NewbornForm, result: dict | None, status: int
):
    """The eligibility page: both forms (the one sent with its errors), the answer, today's;
    a refused inquiry answers as the API would (400 or 429)."""
    return render_template(
        "centres/eligibility.html",
        form=form,
        newborn_form=newborn,
        result=result,
        today=_todays_inquiries(),
        may_read_history=_may_read_history(),
    ), status


def _may_read_history() -> bool:
    """Doctors of a doctor's office, a clinic or a hospital (those who write) read a visiting
    or admitted patient's history, as their centre's software does through the API."""
    member = sessions.current()
    return member.role == "doctor" and g.provider.kind in rules.WRITER_KINDS


def _visit_hours() -> int:
    """How long an inquiry opens the patient's history (DARMAN_RECORDS_VISIT_HOURS, 24)."""
    return int(current_app.config.get("DARMAN_RECORDS_VISIT_HOURS", 24))


@bp.get("/patients/<int:inquiry_id>")
@member_required
def patient(inquiry_id: int):
    """A visiting patient's records of the last 12 months (doctors; logged, the patient told)."""
    if not _may_read_history():
        abort(403)
    found = db.session.get(Inquiry, inquiry_id)
    window = timedelta(hours=_visit_hours())
    if (
        found is None
        or found.provider_id != g.provider.id
        or found.person_id is None
        or clock.as_utc(found.asked_at) < clock.now() - window
    ):
        abort(403)
    person = db.session.get(Person, found.person_id)
    today = clock.today()
    records = reading.patient_history(person.id, today - HISTORY, today)
    access.log_provider_read(person.id, g.provider)
    return render_template(
        "centres/patient.html",
        person=person,
        national_code=found.national_code,
        records=reading.in_centre_words(records),
    )


@bp.route("/members", methods=["GET", "POST"])
@member_required
@admin_required
def members():
    """The centre's members; an admin adds one by national code, mobile and role."""
    form = MemberForm()
    form.role.choices = [SelectChoice(role, str(label)) for role, label in ROLE_LABELS.items()]
    if request.method == "POST" and not sessions.current().has_passkey_session:
        return redirect(url_for("centres.passkey", next=url_for("centres.members")))
    if form.validate_on_submit():
        try:
            person = accounts.find_person(form.national_code.data, form.mobile.data)
            accounts.add_member(
                g.provider.id,
                person.id,
                form.role.data,
                medical_council_number=form.medical_council_number.data or None,
                specialty=form.specialty.data or None,
            )
        except Refused as error:
            show_beside(form, error, "national_code")
        else:
            flash(gettext("%(name)s was added.", name=f"{person.first_name} {person.last_name}"))
            return redirect(url_for("centres.members"))
    return render_template(
        "centres/members.html", form=form, rows=_member_rows(), confirm=ConfirmForm()
    )


def _member_rows() -> list:
    """The centre's present members with their names."""
    return db.session.execute(
        select(CentreMember, Person.first_name, Person.last_name)
        .join(Person, Person.id == CentreMember.person_id)
        .where(CentreMember.provider_id == g.provider.id, CentreMember.removed_at.is_(None))
        .order_by(CentreMember.id)
    ).all()


@bp.post("/members/<int:member_id>/remove")
@member_required
@admin_required
@passkey_required
def remove_member(member_id: int):
    """Remove a member; their sessions end at once."""
    return confirmed(
        lambda: accounts.remove_member(g.provider.id, member_id),
        gettext("The member was removed."),
        "centres.members",
    )


def confirmed(write: Callable[[], object], done: str, back: str):
    """A confirmed button's write (remove, revoke, delete): run it, flash `done` or the
    refusal, and go back to the page of endpoint `back`."""
    if ConfirmForm().validate_on_submit():
        try:
            write()
        except Refused as error:
            flash_refused(error)
        else:
            flash(done)
    return redirect(url_for(back))


@bp.route("/tokens", methods=["GET", "POST"])
@member_required
@admin_required
def api_tokens():
    """The centre's API tokens; an admin makes one (shown once) or revokes one."""
    form = TokenForm()
    allowed = tokens.scopes_for(g.provider.kind)
    form.scopes.choices = [SelectChoice(scope, str(SCOPE_LABELS[scope])) for scope in allowed]
    if request.method == "GET":
        form.scopes.data = allowed
    new_token = None
    if request.method == "POST" and not sessions.current().has_passkey_session:
        return redirect(url_for("centres.passkey", next=url_for("centres.api_tokens")))
    if form.validate_on_submit():
        try:
            _, new_token = tokens.create_token(
                g.provider.id,
                form.name.data,
                form.scopes.data,
                days=current_app.config["DARMAN_PROVIDER_TOKEN_DAYS"],
            )
        except Refused as error:
            show_beside(form, error, "scopes")
    return render_template(
        "centres/tokens.html",
        form=form,
        new_token=new_token,
        rows=tokens.tokens_of(g.provider.id),
        confirm=ConfirmForm(),
        scope_labels=SCOPE_LABELS,
        now=clock.now(),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@member_required
@admin_required
@passkey_required
def revoke_token(token_id: int):
    """Revoke a token: refused from the next request on, everywhere."""
    return confirmed(
        lambda: tokens.revoke_token(token_id, g.provider.id),
        gettext("The token was revoked."),
        "centres.api_tokens",
    )


@bp.get("/passkey")
def passkey():
    """Confirm the session with a passkey (made here the first time); then back to `next`."""
    if sessions.current() is None:
        return redirect(url_for("centres.sign_in"))
    target = request.args.get("next", "")
    if not target.startswith("/centre/") or "//" in target or "\\" in target:
        target = url_for("centres.eligibility")
    member = sessions.current()
    has_passkey = db.session.scalar(
        select(MemberPasskey.id).where(MemberPasskey.person_id == member.person_id)
    )
    return render_template(
        "centres/passkey.html",
        next=target,
        has_passkey=bool(has_passkey),
        confirmed=member.has_passkey_session,
    )


@bp.app_template_filter("locale_digits")
def _locale_digits(value) -> str:
    """A number (a national code) in Persian digits in the `fa` locale."""
    from .texts import locale_digits

    return locale_digits(str(value))


@bp.app_template_filter("jalali")
def _jalali(value) -> str:
    """A stored time as its Jalali date in Tehran."""
    from ..domain.jalali import jalali_text

    return jalali_text(clock.as_tehran(value).date())
