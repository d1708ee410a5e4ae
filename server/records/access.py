"""Who may read whose record, and the log of every read.

A person reads their own record; a parent reads the record of a child under 18 on their family
(the main insured with the child's link, or that insured's spouse); nobody reads another adult's.
A provider's read is also written to the outbox, so that the person is told at once (misuse of a
national code shows up there); so is an SSO staff member's, who opened the person's objection in
the console (`log_staff_read`: the log names their role, not them). The request commits, so a
read and its log go in together.
"""

from datetime import date, timedelta
from functools import partial

from flask_babel import gettext
from sqlalchemy import Connection, Row, exists, insert, or_, select
from sqlalchemy.orm import aliased

from .. import clock
from ..auth.providers import AuthenticatedProvider
from ..database import keep_if_failed
from ..domain.refusal import Forbidden, NotFound
from ..extensions import db
from ..models import (
    CentreMember,
    DependantLink,
    Inquiry,
    OutboxEvent,
    Person,
    Provider,
    RecordAccess,
    Staff,
    in_force,
)
from . import reading, rules, texts
from .requests import encode_cursor

VISIT_HOURS = 24  # how long after an eligibility inquiry a doctor may read the patient's record
STAFF_TOLD_HOURS = 24  # a person is told of a staff member's reads once in this long


def patient_for_citizen(me: int, national_code: str | None, today: date) -> tuple[int, str]:
    """The person whose record the citizen `me` asks for (a normalised national code), and as
    whom: `self` or `parent`. Without `national_code`, their own; with it, a minor on their
    family — else 403 `not_your_minor`.
    """
    if not national_code:
        return me, "self"
    person = db.session.execute(
        select(Person.id, Person.birth_date).where(Person.national_code == national_code)
    ).first()
    if person is not None and person.id == me:
        return me, "self"
    if person is None or not is_my_minor(me, person.id, person.birth_date, today):
        raise Forbidden("not_your_minor")
    return person.id, "parent"


def patient_for_provider(
    national_code: str,
    provider: AuthenticatedProvider,
    hours: int = VISIT_HOURS,
    action: str = "read",
) -> int:
    """The person a provider may read (or `write` for): one it made an eligibility inquiry about
    (a visit) within `hours` (DARMAN_RECORDS_VISIT_HOURS), in any of its channels; else 403
    `no_visit` (whose message names the `action`).

    An unknown national code gets the very same 403, so the answer never tells whether a code
    is in the registry.
    """
    visited = db.session.scalar(
        select(Inquiry.id)
        .where(
            Inquiry.provider_id == provider.id,
            Inquiry.national_code == national_code,
            Inquiry.asked_at >= clock.now() - timedelta(hours=hours),
        )
        .limit(1)
    )
    person_id = None
    if visited is not None:
        person_id = db.session.scalar(
            select(Person.id).where(Person.national_code == national_code)
        )
    if person_id is None:
        raise Forbidden("no_visit", words={"hours": hours, "action": action})
    return person_id


def record_for_provider(code: str, provider: AuthenticatedProvider) -> Row:
    """The prescription with this code (as `reading.record_by_code` gives it), for its doctor or
    a centre that may deliver it; 404 `unknown_prescription`, 403 `wrong_center_kind`."""
    row = reading.record_by_code(code)
    if row is None:
        raise NotFound("unknown_prescription")
    prescription = row.Prescription
    wrote_it = prescription.provider_id == provider.id
    if not (wrote_it or rules.may_deliver(provider.kind, prescription.type)):
        raise Forbidden("wrong_center_kind", type=prescription.type)
    return row


def citizen_reader_of(me: int, person_id: int, today: date) -> str | None:
    """`self` or `parent` when the citizen `me` may read this person's record, else None."""
    if person_id == me:
        return "self"
    birth_date = db.session.scalar(select(Person.birth_date).where(Person.id == person_id))
    return "parent" if is_my_minor(me, person_id, birth_date, today) else None


def _in_force(today: date):
    """A dependant link that has started and not ended."""
    return in_force(DependantLink.start_date, DependantLink.end_date, today, open_first=True)


def is_my_minor(me: int, child_id: int, birth_date: date | None, today: date) -> bool:
    """True for a child under 18 on my family: linked to me, or to the insured I am spouse of."""
    if not rules.is_minor(birth_date, today):
        return False
    my_insured = select(DependantLink.insured_id).where(
        DependantLink.dependant_id == me, DependantLink.relation == "spouse", _in_force(today)
    )
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    DependantLink.dependant_id == child_id,
                    DependantLink.relation == "child",
                    _in_force(today),
                    or_(DependantLink.insured_id == me, DependantLink.insured_id.in_(my_insured)),
                )
            )
        )
    )


def log_citizen_read(
    me: int, person_id: int, reader: str, prescription_id: int | None = None
) -> None:
    """Log a read by the citizen `me`: the person (`self`) or a parent (`parent`)."""
    db.session.add(
        RecordAccess(
            person_id=person_id,
            reader=reader,
            reader_person_id=me,
            prescription_id=prescription_id,
            at=clock.now(),
        )
    )


def log_provider_read(
    person_id: int,
    provider: AuthenticatedProvider,
    prescription_id: int | None = None,
    *,
    what: str = "history",
    kept: bool = False,
) -> None:
    """Log a provider's read and put the misuse alert in the outbox, in the same transaction;
    `kept`, even should the request then be refused (an answer or a page that refuses what was
    asked, yet shows something of the record). What the read showed, for the notice to say it
    plainly: one prescription (`prescription_id`), else `what` — `history`, the record as a
    doctor sees it at a visit or an admission, or `open_prescriptions`, a centre's counter. Said
    by the caller, not guessed from the centre's kind: a hospital does both."""
    now = clock.now()
    new = {
        "center": provider.name,
        "kind": provider.kind,
        "at": clock.as_tehran(now).isoformat(),
        "what": "prescription" if prescription_id is not None else what,
    }
    if provider.member_id is not None:
        new["member"] = member_name(provider.member_id)
    read = {
        "person_id": person_id,
        "reader": "provider",
        "provider_id": provider.id,
        "member_id": provider.member_id,
        "prescription_id": prescription_id,
        "at": now,
    }
    alert = {"kind": "record_read", "person_id": person_id, "new": new, "created_at": now}
    write = partial(_insert_read, read, alert)
    write(db.session.connection())
    if kept:
        keep_if_failed(db.session, write)


def _insert_read(read: dict, alert: dict, connection: Connection) -> None:
    """Insert a read's log row and its outbox event on `connection`."""
    connection.execute(insert(RecordAccess), read)
    connection.execute(insert(OutboxEvent), alert)


def log_staff_read(person_ids: set[int], staff: Staff, opened: str) -> None:
    """Log an SSO staff member's read in the console (`opened`: an objection, its attachment,
    or a document sent for review) on each person's access log. Each person is told of a new
    reader, as of a provider's read: once a day per staff member (an objection is opened again
    as it is answered). The citizen sees the staff member's role, not their name."""
    now = clock.now()
    who = texts.label(texts.STAFF_ROLE_LABELS, staff.role)
    told = set(
        db.session.scalars(
            select(RecordAccess.person_id).where(
                RecordAccess.staff_id == staff.id,
                RecordAccess.person_id.in_(person_ids),
                RecordAccess.at > now - timedelta(hours=STAFF_TOLD_HOURS),
            )
        )
    )
    for person_id in sorted(person_ids):
        db.session.add(
            RecordAccess(
                person_id=person_id, reader="staff", staff_id=staff.id, opened=opened, at=now
            )
        )
        if person_id in told:
            continue
        new = {
            "center": who,
            "staff": staff.role,
            "what": opened,
            "at": clock.as_tehran(now).isoformat(),
        }
        db.session.add(
            OutboxEvent(kind="record_read", person_id=person_id, old=None, new=new, created_at=now)
        )


def member_name(member_id: int) -> str:
    """«دکتر مریم احمدی — مطب …»: the member who read, with their centre."""
    row = db.session.execute(
        select(CentreMember.role, Person.first_name, Person.last_name, Provider.name)
        .join(Person, Person.id == CentreMember.person_id)
        .join(Provider, Provider.id == CentreMember.provider_id)
        .where(CentreMember.id == member_id)
    ).one()
    return texts.member_at_centre(row.role, f"{row.first_name} {row.last_name}", row.name)


def access_log(person_id: int, before: int | None, limit: int) -> dict:
    """Every read of this person's record, newest first, a page at a time (the entries before
    the id `before`, if given)."""
    reader = aliased(Person)
    statement = (
        select(
            RecordAccess,
            Person.first_name,
            Person.last_name,
            Provider.name,
            Provider.kind,
            CentreMember.role.label("member_role"),
            reader.first_name.label("member_first_name"),
            reader.last_name.label("member_last_name"),
            Staff.role.label("staff_role"),
        )
        .outerjoin(Person, Person.id == RecordAccess.reader_person_id)
        .outerjoin(Provider, Provider.id == RecordAccess.provider_id)
        .outerjoin(CentreMember, CentreMember.id == RecordAccess.member_id)
        .outerjoin(reader, reader.id == CentreMember.person_id)
        .outerjoin(Staff, Staff.id == RecordAccess.staff_id)
        .where(RecordAccess.person_id == person_id)
        .order_by(RecordAccess.id.desc())
        .limit(limit + 1)
    )
    if before is not None:
        statement = statement.where(RecordAccess.id < before)
    rows = db.session.execute(statement).all()
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1].RecordAccess.id) if len(rows) > limit else None
    return {"entries": [_entry(row) for row in page], "next_cursor": next_cursor}


def _entry(row: Row) -> dict:
    """One read as the access log shows it: who, as what, when."""
    access = row.RecordAccess
    if access.reader == "provider" and access.member_id is not None:
        who = texts.member_at_centre(
            row.member_role, f"{row.member_first_name} {row.member_last_name}", row.name
        )
        kind_label = texts.label(texts.PROVIDER_KIND_LABELS, row.kind)
    elif access.reader == "provider":
        who, kind_label = row.name, texts.label(texts.PROVIDER_KIND_LABELS, row.kind)
    elif access.reader == "staff":
        who, kind_label = texts.label(texts.STAFF_ROLE_LABELS, row.staff_role), gettext("SSO")
    elif access.reader == "parent":
        who, kind_label = f"{row.first_name} {row.last_name}", gettext("Parent")
    else:
        who, kind_label = gettext("You"), gettext("Yourself")
    return {
        "id": access.id,  # an objection («this wasn't me») names the entry by it
        "who": who,
        "kind": access.reader,
        "kind_label": kind_label,
        "provider_kind": row.kind if access.reader == "provider" else None,
        "record_id": access.prescription_id,
        "opened": access.opened,
        "at": clock.as_tehran(access.at).isoformat(),
        "at_jalali": texts.moment(access.at),
    }
