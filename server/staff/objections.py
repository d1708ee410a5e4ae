"""Objections (1420): filed from the app, queued by age and subject, answered by staff.

Each change of status writes an `objection_status` outbox row in the same transaction, which
the notice worker turns into an inbox notice and a push. Refusals (`server/domain/refusal.py`,
with the form's `field`) are raised before anything is written.
"""

import functools
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import filetype
from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..auth import rate_limits
from ..auth.rate_limits import Limit
from ..database import after_rollback
from ..domain.refusal import Invalid, NotFound, TooLarge, TooMany
from ..domain.tracking import new_tracking_code
from ..extensions import db
from ..models import (
    DependantLink,
    Objection,
    OutboxEvent,
    Person,
    ProviderReview,
    RecordAccess,
)
from . import audit

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
QUEUE_PAGE = 50  # objections on one page of the queue
PER_DAY = 5  # filings an account may make in any 24 hours (DARMAN_OBJECTIONS_PER_DAY)
ATTACHMENT_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
DISPUTES = ("unknown_record", "misuse")  # «این من نبودم»: the disputed entry is shown to staff
SUBJECT_LABELS = {  # as staff read them (the app asks in the person's own words)
    "cover": lazy_gettext("The person's own cover"),
    "dependant_cover": lazy_gettext("A dependant's cover"),
    "unknown_record": lazy_gettext("A record the person does not recognise"),
    "misuse": lazy_gettext("Misuse of the national code"),
    "allergy": lazy_gettext("A recorded drug allergy the person disputes"),
}
STATUS_LABELS = {
    "received": lazy_gettext("Received"),
    "in_review": lazy_gettext("In review"),
    "answered": lazy_gettext("Answered"),
}


@dataclass(frozen=True)
class Attachment:
    """An uploaded photo or PDF whose type was read from its bytes."""

    content: bytes
    mime: str


def check_attachment(content: bytes, field: str = "attachment") -> Attachment:
    """A JPEG, PNG or PDF of at most 5 MB, judged by its content, never by its name (a
    refusal names the form's `field`)."""
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise TooLarge("attachment_too_large", field=field)
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise Invalid("attachment_type", field=field)
    return Attachment(content, kind.mime)


def attachments_folder(instance_path: str | Path) -> Path:
    """Where attachments are kept: in the instance folder, outside anything served."""
    folder = Path(instance_path) / "objection-attachments"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _about(person_id: int, national_code: str | None) -> int:
    """Whose cover the objection is about: me, or a dependant of mine named by national code."""
    if not national_code:
        return person_id
    dependant = db.session.scalar(
        select(Person.id)
        .join(DependantLink, DependantLink.dependant_id == Person.id)
        .where(Person.national_code == national_code, DependantLink.insured_id == person_id)
    )
    if dependant is None and national_code:
        own = db.session.scalar(select(Person.national_code).where(Person.id == person_id))
        if own == national_code:
            return person_id
        raise NotFound("not_in_family", field="national_code")
    return dependant


def _access_of(record_access_id: int | None, people: set[int]) -> int | None:
    """The access-log entry, when it is about one of `people`."""
    if record_access_id is None:
        return None
    found = db.session.scalar(
        select(RecordAccess.id).where(
            RecordAccess.id == record_access_id, RecordAccess.person_id.in_(people)
        )
    )
    if found is None:
        raise NotFound("record_access_not_found", field="record_access_id")
    return found


def count_filing(account_id: int, per_day: int, what: str = "objections") -> None:
    """Count this account's filing of `what` (objections, documents); 429 `rate_limited` once it
    has filed `per_day` in the last 24 hours. The count is the request's: a refused filing counts
    nowhere."""
    now = clock.now()
    limit = Limit(f"{what}:account:{account_id}", per_day, timedelta(days=1))
    if rate_limits.exceeded([limit], now):
        seconds = rate_limits.retry_after(limit, now)
        raise TooMany("rate_limited", retry_after=seconds, words={"limit": what})
    rate_limits.record([limit.key], now)


def file(
    account_id: int,
    person_id: int,
    subject: str,
    text: str,
    national_code: str | None = None,
    record_access_id: int | None = None,
    attachment: Attachment | None = None,
    folder: Path | None = None,
    per_day: int = PER_DAY,
) -> Objection:
    """File an objection; flushed, with its tracking number. An attachment is written to
    `folder` (`attachments_folder()`). At most `per_day` an account in any 24 hours
    (DARMAN_OBJECTIONS_PER_DAY): 429 past it. Refusals change nothing."""
    if subject == "dependant_cover" and not national_code:
        raise Invalid("missing_field", field="national_code")
    about = _about(person_id, national_code)
    access = _access_of(record_access_id, {person_id, about})
    count_filing(account_id, per_day)
    name = None
    if attachment is not None:
        name = secrets.token_hex(16) + ATTACHMENT_TYPES[attachment.mime]
    now = clock.now()
    for _ in range(5):
        objection = Objection(
            tracking_number=new_tracking_code(),
            account_id=account_id,
            person_id=person_id,
            about_person_id=about,
            subject=subject,
            record_access_id=access,
            text=text,
            attachment_name=name,
            attachment_type=attachment.mime if attachment else None,
            status="received",
            created_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(objection)
            break
        except IntegrityError:  # a tracking number drawn twice: draw again
            continue
    if attachment is not None:
        path = folder / name
        path.write_bytes(attachment.content)
        after_rollback(db.session, functools.partial(path.unlink, missing_ok=True))
    return objection


def _tell(objection: Objection) -> None:
    """An outbox row for the person: their objection's status, as it now is."""
    db.session.add(
        OutboxEvent(
            kind="objection_status",
            person_id=objection.person_id,
            old=None,
            new={
                "objection_id": objection.id,
                "tracking_number": objection.tracking_number,
                "status": objection.status,
            },
            created_at=clock.now(),
        )
    )


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue (objections, documents), and how many the whole queue holds."""

    rows: list
    total: int
    page: int
    pages: int


def page_within(total: int, page: int, per_page: int) -> tuple[int, int]:
    """The page asked for, kept between the first and the last, and how many pages there are."""
    pages = max(1, -(-total // per_page))
    return min(max(1, page), pages), pages


def queue(subject: str | None = None, page: int = 1, per_page: int = QUEUE_PAGE) -> QueuePage:
    """Open objections, the oldest first, `per_page` at a time (page 1 is the oldest)."""
    where = [Objection.status != "answered"]
    if subject:
        where.append(Objection.subject == subject)
    total = db.session.scalar(select(func.count()).select_from(Objection).where(*where))
    page, pages = page_within(total, page, per_page)
    statement = (
        select(Objection)
        .where(*where)
        .order_by(Objection.created_at, Objection.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return QueuePage(list(db.session.scalars(statement)), total, page, pages)


def respond(objection: Objection, status: str, answer: str, flag_provider: bool) -> None:
    """Staff set the status (and the answer); a misuse flag puts the provider under review."""
    answer = answer.strip()
    if status == "answered" and not answer:
        raise Invalid("answer_required", field="answer")
    if status == objection.status and not flag_provider and answer == (objection.answer or ""):
        raise Invalid("unchanged", field="status")
    if flag_provider and objection.subject not in DISPUTES:
        raise Invalid("not_a_dispute", field="flag_provider")
    changed = status != objection.status
    objection.status = status
    if answer:
        objection.answer = answer
    if status == "answered":
        objection.answered_at = clock.now()
        objection.answered_by = audit.current_staff_id()
    if flag_provider:
        _flag(objection)
    audit.record(
        "objection_answered" if status == "answered" else "objection_status",
        person_id=objection.person_id,
        subject=f"objection:{objection.id}",
        status=status,
        provider_flagged=flag_provider,
    )
    if changed:
        _tell(objection)
    db.session.flush()


def _flag(objection: Objection) -> None:
    """Put the disputed entry's provider under review (once per objection)."""
    exists = db.session.scalar(
        select(ProviderReview.id).where(ProviderReview.objection_id == objection.id)
    )
    if exists:
        return
    access = (
        db.session.get(RecordAccess, objection.record_access_id)
        if objection.record_access_id
        else None
    )
    db.session.add(
        ProviderReview(
            objection_id=objection.id,
            provider_id=access.provider_id if access else None,
            record_access_id=access.id if access else None,
            flagged_by=audit.current_staff_id(),
            flagged_at=clock.now(),
        )
    )
