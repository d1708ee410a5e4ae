"""Prescribing in the web for centres: a doctor writes a prescription for the patient of a covered
eligibility answer, keeps favourites, and sees the prescriptions of the day.

The page is a server-rendered form (it works without scripts; the item field then takes a code or
a name that finds one item); `prescribe.js` searches the catalogue as the doctor types through
`/centre/catalogue`, which uses the API's search. Saving calls the same write operation as the
API (`records.writing`): the catalogue, quantity and interaction checks, the SMS and the push
notice are its. A major interaction or duplicate comes back with its pairs, each with a reason
field; saving again with the reasons writes the prescription through them.
"""

import secrets
from datetime import datetime, time, timedelta

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from pydantic import ValidationError
from sqlalchemy import select

from .. import clock
from ..catalogue import checks, favourites, presets, search
from ..catalogue.requests import kind_argument, search_text_argument
from ..catalogue.schemas import FavouriteChange, FavouriteIn
from ..clinical import prescribing_form
from ..domain.digits import to_latin_digits
from ..domain.refusal import Refused
from ..extensions import db
from ..i18n import number
from ..models import CATALOGUE_KINDS, CatalogueItem, Inquiry, Person, Prescription
from ..records import access, cancelling, idempotency, reading, rules, writing
from ..records.requests import bad_request
from ..records.schemas import MAX_ITEMS, CancelRequest, PrescriptionRequest
from ..records.texts import TYPE_LABELS
from ..web.refusals import InvalidInput, Said, flash_refused, refused_here, said
from ..web.shell import no_store
from ..web.toolkit import id_argument
from . import sessions
from .forms import ConfirmForm
from .prescription_forms import ROWS, CancelForm, PrescriptionForm, RenameForm
from .sessions import member_required, passkey_required
from .texts import grouped, local_time
from .views import confirmed

bp = Blueprint("centre_prescribing", __name__, url_prefix="/centre")

CHANNEL = "web"
SEARCH_RESULTS = 12


bp.after_request(no_store)


def _doctor_only() -> None:
    """The doctors of a centre that writes prescriptions (the API's rule); 403 for the rest."""
    if not rules.may_write(g.provider.kind, sessions.current().role):
        abort(403)


def _confirm_first():
    """A redirect to confirm the session with a passkey and come back here, or None."""
    if sessions.current().has_passkey_session:
        return None
    return redirect(url_for("centres.passkey", next=request.full_path.rstrip("?")))


def _visit_inquiry(inquiry_id: int) -> Inquiry:
    """This centre's recent inquiry about a covered patient (a prescription is written from it);
    404 for any other."""
    from flask import current_app

    found = db.session.get(Inquiry, inquiry_id)
    window = timedelta(hours=int(current_app.config.get("DARMAN_RECORDS_VISIT_HOURS", 24)))
    if (
        found is None
        or found.provider_id != g.provider.id
        or found.person_id is None
        or not found.covered
        or clock.as_utc(found.asked_at) < clock.now() - window
    ):
        abort(404)
    return found


def _type_choices() -> list[tuple[str, str]]:
    """The prescription types, named."""
    return [(kind, str(TYPE_LABELS[kind])) for kind in CATALOGUE_KINDS]


def _catalogue(codes: list[str]) -> dict[str, CatalogueItem]:
    """The catalogue items of these codes."""
    if not codes:
        return {}
    rows = db.session.scalars(select(CatalogueItem).where(CatalogueItem.code.in_(codes)))
    return {row.code: row for row in rows}


@bp.get("/catalogue")
@member_required
def catalogue_search():
    """The catalogue items matching `q` (and `kind`) as JSON, for the search as you type."""
    query, kind = search_text_argument(), kind_argument()
    found = search.search(query, kind, SEARCH_RESULTS) if query.strip() else []
    return jsonify({"items": [search.entry(item) for item in found]})


def _new_form(favourite=None) -> PrescriptionForm:
    """An empty form, or one filled from a favourite, with a fresh idempotency key."""
    form = PrescriptionForm(formdata=None)
    form.type.choices = _type_choices()
    form.key.data = secrets.token_urlsafe(16)
    rows = favourite.items if favourite is not None else []
    if favourite is not None:
        form.type.data = favourite.type
    while len(form.items.entries):
        form.items.pop_entry()
    for item in rows:
        form.items.append_entry(
            {
                "code": item["code"],
                "quantity": str(item["quantity"]),
                "instructions": item.get("instructions") or "",
            }
        )
    for _ in range(max(ROWS - len(rows), 1)):
        form.items.append_entry()
    return form


def _page(form: PrescriptionForm, inquiry: Inquiry, *, asked: bool = False, **extra):
    """The new-prescription page. After a submit, the interactions and duplicates are those of
    the items now on the form, each blocking one with its reason field (`asked`: saving was
    stopped for want of a reason, so the page says so and lists the lesser ones too)."""
    person = db.session.get(Person, inquiry.person_id)
    chosen = _chosen(form)
    found = []  # a new form: the page's script checks the items as they are chosen
    if request.method == "POST":
        found = _findings_of([code for code in chosen if code], form.type.data, inquiry)
    blocking = _ask_reasons(form, found)
    return render_template(
        "centres/prescription_new.html",
        form=form,
        inquiry=inquiry,
        person=person,
        chosen=chosen,
        names=_catalogue([code for code in chosen if code]),
        presets=presets.presets(),
        favourites=favourites.list_favourites(g.provider.id, g.provider.member_id)["favourites"],
        findings=blocking,
        warnings=[finding for finding in found if not finding["blocking"]] if asked else [],
        asked=asked,
        allergies=prescribing_form.ask_reasons(form, extra.pop("allergic", [])),
        **extra,
    )


def _chosen(form: PrescriptionForm) -> list[str | None]:
    """Each row's catalogue code (its text as a code, or a name finding one item), or None."""
    texts = [to_latin_digits((row.code.data or "").strip()) for row in form.items]
    return [_code_for(text, form.type.data) if text else None for text in texts]


@bp.get("/prescriptions/new/<int:inquiry_id>")
@member_required
def new_prescription(inquiry_id: int):
    """The form for the inquiry's patient; `?favourite=` fills it from a favourite in one step."""
    _doctor_only()
    inquiry = _visit_inquiry(inquiry_id)
    confirm = _confirm_first()
    if confirm is not None:
        return confirm
    favourite = None
    favourite_id = id_argument("favourite")
    if favourite_id is not None:
        try:
            favourite = favourites.find(g.provider.id, favourite_id, g.provider.member_id)
        except Refused:
            abort(404)
    return _page(_new_form(favourite), inquiry)


@bp.post("/prescriptions/new/<int:inquiry_id>/check")
@member_required
@passkey_required
def check_items(inquiry_id: int):
    """The interactions and duplicates of the items chosen so far, against each other and the
    patient's current medicines, as JSON: the page shows them as they arise. Writes nothing but
    the log of a read when a finding names a current medicine (the patient is told); the codes
    come in the body, never the URL (they are health data)."""
    _doctor_only()
    inquiry = _visit_inquiry(inquiry_id)
    body = request.get_json(silent=True)
    codes = body.get("codes") if isinstance(body, dict) else None
    kind = body.get("type") if isinstance(body, dict) else None
    if (
        kind not in CATALOGUE_KINDS
        or not isinstance(codes, list)
        or len(codes) > MAX_ITEMS
        or not all(isinstance(code, str) and len(code) <= 40 for code in codes)
    ):
        message = gettext("Send the type and a list of at most %(n)s codes.", n=number(MAX_ITEMS))
        raise InvalidInput("invalid_request", message)
    return jsonify({"findings": _findings_of(codes, kind, inquiry)})


def _findings_of(codes: list[str], kind: str, inquiry: Inquiry) -> list[dict]:
    """The interactions and duplicates of these items (those of this kind), against each other
    and the inquiry's patient's current medicines, as the write operation would find them: each
    described, `blocking` or not, with its two items' names."""
    entries = {code: entry for code, entry in _catalogue(codes).items() if entry.kind == kind}
    found, names = checks.findings(
        entries, inquiry.person_id, inquiry.newborn_birth_date, clock.today()
    )
    if any(finding.current for finding in found):
        access.log_provider_read(inquiry.person_id, g.provider)
    described = []
    for finding in found:
        entry = checks.describe(finding, names)
        entry["blocking"] = finding.blocking
        entry["a_name"] = names[finding.a].name if finding.a in names else finding.a
        entry["b_name"] = names[finding.b].name if finding.b in names else finding.b
        described.append(entry)
    return described


def _resolve(form: PrescriptionForm) -> list[tuple[int, str, int, str | None]] | None:
    """The filled rows as (row, code, quantity, instructions), each item found in the catalogue
    by its code or by a name that finds exactly one; None with errors beside the rows."""
    rows, ok = [], True
    for index, row in enumerate(form.items):
        text = to_latin_digits((row.code.data or "").strip())
        if not text and not row.quantity.data:
            continue
        if not text:
            row.code.errors = [gettext("Please choose a drug or service.")]
            ok = False
            continue
        if not row.quantity.data:
            row.quantity.errors = [gettext("Please type the quantity.")]
            ok = False
            continue
        code = _code_for(text, form.type.data)
        if code is None:
            row.code.errors = [gettext("Please choose the item from the list as you type.")]
            ok = False
            continue
        row.code.data = code
        rows.append((index, code, int(row.quantity.data), (row.instructions.data or "").strip()))
    if ok and not rows:
        form.items[0].code.errors = [gettext("Add at least one item.")]
        ok = False
    return rows if ok else None


def _code_for(text: str, kind: str) -> str | None:
    """A catalogue code itself, the item of this kind of this name (as picked from the list),
    or the one item of this kind a typed part of a name finds."""
    exact = db.session.scalar(select(CatalogueItem.code).where(CatalogueItem.code == text.upper()))
    if exact is not None:
        return exact
    named = search.named(text, kind)
    if named is not None:
        return named.code
    found = search.search(text, kind, 2)
    return found[0].code if len(found) == 1 else None


def _place(form: PrescriptionForm, error: Said, rows: list) -> None:
    """Show a refused write's message by its field: `items.N.quantity` by that row's field."""
    parts = str(error.details.get("field") or "").split(".")
    if parts[0] == "items" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
        row = form.items[rows[int(parts[1])][0]]
        target = getattr(row, parts[2], None) or row.code
    else:
        fields = ("type", "diagnosis", "diagnoses", "parts")
        target = getattr(form, parts[0], None) if parts[0] in fields else None
        target = target or form.items[rows[0][0] if rows else 0].code
    target.errors = [*target.errors, error.message]


def _reasons(form: PrescriptionForm) -> list[dict]:
    """The reasons typed, each by the id of its finding (its two codes and cause)."""
    return [
        {"id": entry.finding.data, "reason": (entry.reason.data or "").strip()}
        for entry in form.acknowledgements
        if entry.finding.data and (entry.reason.data or "").strip()
    ]


def _ask_reasons(form: PrescriptionForm, found: list[dict]) -> list[dict]:
    """The blocking findings, each given a reason field that keeps what was typed for the same
    finding (by its id, never by its place: a finding that went away takes its reason along)."""
    typed = {entry.finding.data: entry.reason.data or "" for entry in form.acknowledgements}
    blocking = [finding for finding in found if finding["blocking"]]
    form.acknowledgements.process(
        None,
        [
            {"finding": finding["id"], "reason": typed.get(finding["id"], "")}
            for finding in blocking
        ],
    )
    return blocking


def outside_of(row) -> dict:
    """A row's mark to be got outside and its reason (a hospital's), as the request takes them."""
    reason = (row.outside_reason.data or "").strip() or None
    return {"obtain_outside": bool(row.obtain_outside.data), "outside_reason": reason}


def _request(form: PrescriptionForm, inquiry: Inquiry, rows: list) -> PrescriptionRequest:
    """The write operation's request; a pydantic error is the same 400 as the API's."""
    patient = (
        {"national_code": inquiry.national_code}
        if inquiry.newborn_birth_date is None
        else {
            "mother_national_code": inquiry.national_code,
            "birth_date": inquiry.newborn_birth_date,
        }
    )
    try:
        return PrescriptionRequest(
            **patient,
            written_on=clock.today(),
            type=form.type.data,
            diagnosis=(form.diagnosis.data or "").strip() or None,
            diagnoses=prescribing_form.codes(form),
            items=[
                {"code": code, "quantity": quantity, "instructions": instructions or None}
                | outside_of(form.items[index])
                for index, code, quantity, instructions in rows
            ],
            acknowledged_interactions=_reasons(form),
            parts=int(form.parts.data or 1),
            acknowledged_allergies=prescribing_form.reasons(form),
        )
    except ValidationError as error:
        raise bad_request(error) from None


@bp.post("/prescriptions/new/<int:inquiry_id>")
@member_required
@passkey_required
def save_prescription(inquiry_id: int):
    """Save (or add a row, or keep as a favourite); the written prescription's page."""
    _doctor_only()
    inquiry = _visit_inquiry(inquiry_id)
    form = PrescriptionForm()
    form.type.choices = _type_choices()
    action = request.form.get("action", "save")
    if action == "add" and len(form.items.entries) < form.items.max_entries:
        form.items.append_entry()
        return _page(form, inquiry)
    if action.startswith("remove-"):
        _remove_row(form, action.removeprefix("remove-"))
        return _page(form, inquiry)
    if not form.validate():
        return _page(form, inquiry), 400
    rows = _resolve(form)
    if rows is None:
        return _page(form, inquiry), 400
    if action == "favourite":
        return _keep_favourite(form, inquiry, rows)
    try:
        body = _request(form, inquiry, rows)
        written = _write(body, form.key.data or None)
    except Refused as error:
        answer = refused_here(error)  # the page is read again: without what the write began
        if answer.code == "interaction":  # the page finds them again, with the reasons kept
            return _page(form, inquiry, asked=True), 409
        if answer.code == "allergy":  # each allergy met, with a reason field; or remove the item
            return _page(form, inquiry, allergic=answer.details["allergies"]), 409
        _place(form, answer, rows)
        return _page(form, inquiry), answer.status
    session["written_warnings"] = {"code": written["code"], "warnings": written["warnings"]}
    return redirect(url_for("centre_prescribing.written", code=written["code"]))


def _remove_row(form: PrescriptionForm, which: str) -> None:
    """Take a row off the form (its number from 0); the others keep what was typed."""
    rows = [row.data for row in form.items]
    if which.isdigit() and int(which) < len(rows):
        del rows[int(which)]
    form.items.process(None, rows)


def _write(body: PrescriptionRequest, key: str | None) -> dict:
    """The write operation's answer; a repeated submit of the same form gives the first one."""
    fingerprint = idempotency.fingerprint("prescription", body)
    replayed = idempotency.replay(g.provider.id, key, fingerprint)
    if replayed is not None:
        return replayed[0]
    return writing.write_prescription(g.provider, body, key, fingerprint, channel=CHANNEL)


def _keep_favourite(form: PrescriptionForm, inquiry: Inquiry, rows: list):
    """Save the form's items as a named favourite of this doctor; the form again."""
    name = (form.favourite_name.data or "").strip()
    if not name:
        form.favourite_name.errors = [gettext("Please give the favourite a name.")]
        return _page(form, inquiry), 400
    try:
        body = FavouriteIn(
            name=name,
            type=form.type.data,
            items=[
                {"code": code, "quantity": quantity, "instructions": instructions or None}
                | outside_of(form.items[index])
                for index, code, quantity, instructions in rows
            ],
        )
        favourites.create(g.provider.id, body, member_id=g.provider.member_id)
    except ValidationError as error:
        _place(form, said(bad_request(error)), rows)
        return _page(form, inquiry), 400
    except Refused as error:
        answer = refused_here(error)
        if answer.details.get("field") == "name":
            form.favourite_name.errors = [answer.message]
        else:
            _place(form, answer, rows)
        return _page(form, inquiry), answer.status
    return _page(form, inquiry, saved=gettext("Saved as the favourite «%(name)s».", name=name))


def _mine(code: str) -> Prescription:
    """A prescription this centre wrote, by its code; 404 otherwise."""
    found = db.session.scalar(select(Prescription).where(Prescription.code == code))
    if found is None or found.provider_id != g.provider.id:
        abort(404)
    return found


@bp.get("/prescriptions/<code>")
@member_required
def written(code: str):
    """A written prescription: its code in groups of four, the tracking code, items, reasons."""
    _doctor_only()
    prescription = _mine(to_latin_digits(code))
    held = session.get("written_warnings") or {}
    warnings = held.get("warnings", []) if held.get("code") == prescription.code else []
    return _written_page(prescription, warnings, CancelForm(formdata=None))


def _written_page(prescription: Prescription, warnings: list, cancel_form: CancelForm, **extra):
    """A written prescription's page: its codes, its items and where each stands, and the form
    that cancels it (or what is left of it)."""
    person = db.session.get(Person, prescription.person_id)
    items = reading.items_of([prescription.id]).get(prescription.id, [])
    acknowledged = checks.acknowledgements_of(prescription.id)
    codes = [code for finding in warnings + acknowledged for code in (finding["a"], finding["b"])]
    return render_template(
        "centres/prescription_written.html",
        names=_catalogue(codes),
        prescription=prescription,
        person=person,
        items=items,
        code_grouped=grouped(prescription.code),
        tracking_grouped=grouped(prescription.tracking_code),
        warnings=warnings,
        acknowledged=acknowledged,
        type_label=str(TYPE_LABELS[prescription.type]),
        record=reading.describe(reading.record(prescription.id), items, clock.today()),
        cancel_form=cancel_form,
        **extra,
        **prescribing_form.written_extra(prescription.id),
    )


@bp.post("/prescriptions/<code>/cancel")
@member_required
@passkey_required
def cancel(code: str):
    """Cancel the prescription (or, with items ticked, what remains of them), through the API's
    operation; the page again, with the refusal when it is refused."""
    _doctor_only()
    prescription = _mine(to_latin_digits(code))
    form = CancelForm()
    if not form.validate():
        return _written_page(prescription, [], form), 400
    chosen = request.form.getlist("item") or None
    try:
        body = CancelRequest(reason=form.reason.data, items=chosen)
        cancelling.cancel(g.provider, prescription.code, body)
    except (ValidationError, Refused) as error:
        answer = refused_here(bad_request(error) if isinstance(error, ValidationError) else error)
        return _written_page(prescription, [], form, refused=answer.message), answer.status
    flash(gettext("The prescription was cancelled. The patient is told."))
    return redirect(url_for("centre_prescribing.written", code=prescription.code))


@bp.get("/prescriptions")
@member_required
def todays():
    """The prescriptions this doctor wrote today (Tehran), newest first."""
    _doctor_only()
    midnight = datetime.combine(clock.today(), time(0), tzinfo=clock.as_tehran(clock.now()).tzinfo)
    rows = db.session.execute(
        select(Prescription, Person.first_name, Person.last_name)
        .join(Inquiry, Inquiry.tracking_code == Prescription.tracking_code)
        .join(Person, Person.id == Prescription.person_id)
        .where(
            Prescription.provider_id == g.provider.id,
            Inquiry.member_id == g.provider.member_id,
            Prescription.created_at >= midnight,
        )
        .order_by(Prescription.id.desc())
        .limit(200)
    ).all()
    items = reading.items_of([row.Prescription.id for row in rows])
    listed = [
        {
            "code": row.Prescription.code,
            "code_grouped": grouped(row.Prescription.code),
            "at": local_time(row.Prescription.created_at),
            "patient": f"{row.first_name} {row.last_name}",
            "type": str(TYPE_LABELS[row.Prescription.type]),
            "items": [item.name for item in items.get(row.Prescription.id, [])],
        }
        for row in rows
    ]
    return render_template("centres/prescriptions_today.html", rows=listed)


@bp.get("/favourites")
@member_required
def favourite_list():
    """This doctor's favourites: rename, delete."""
    _doctor_only()
    mine = favourites.list_favourites(g.provider.id, g.provider.member_id)["favourites"]
    return render_template(
        "centres/favourites.html",
        rows=mine,
        rename=RenameForm(formdata=None),
        confirm=ConfirmForm(),
    )


@bp.post("/favourites/<int:favourite_id>/rename")
@member_required
@passkey_required
def rename_favourite(favourite_id: int):
    """Give a favourite a new name."""
    _doctor_only()
    form = RenameForm()
    if form.validate_on_submit():
        try:
            favourites.change(
                g.provider.id,
                favourite_id,
                FavouriteChange(name=form.name.data),
                g.provider.member_id,
            )
        except (Refused, ValidationError) as error:
            flash_refused(bad_request(error) if isinstance(error, ValidationError) else error)
        else:
            flash(gettext("The favourite was renamed."))
    else:
        flash(gettext("Please type the new name."), "error")
    return redirect(url_for("centre_prescribing.favourite_list"))


@bp.post("/favourites/<int:favourite_id>/delete")
@member_required
@passkey_required
def delete_favourite(favourite_id: int):
    """Delete a favourite."""
    _doctor_only()
    return confirmed(
        lambda: favourites.delete(g.provider.id, favourite_id, g.provider.member_id),
        gettext("The favourite was deleted."),
        "centre_prescribing.favourite_list",
    )


@bp.app_template_filter("jalali_date")
def _jalali_date(value) -> str:
    """A date as its Jalali date, «۱ بهمن ۱۴۰۵»."""
    from ..domain.jalali import jalali_text

    return jalali_text(value)


@bp.app_template_filter("moment")
def _moment(value) -> str:
    """A stored time as Tehran's Jalali date and clock time."""
    from ..records.texts import moment

    return moment(value)
