"""Documents that extend a dependant's cover, without a trip to a branch: sent from the app and
reviewed by insurance staff, or shown in person at a branch and recorded there.

An accepted or recorded document becomes a registry `document` row exactly as an import writes
it (the same key, the same upsert), and the person's cover is recomputed in the same
transaction (`registry.recompute`, as `daily` does), so the family's card turns covered at
once; the recompute's own outbox rows tell the family of the change, and a `document_status`
row tells the sender of the decision. A decision is taken once: two staff deciding the same
document at once, one wins and the other is refused (`document_decided`).
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..centres import documents as stored_files
from ..database import after_rollback
from ..domain.jalali import age_on
from ..domain.refusal import Conflict, Forbidden, Invalid, NotFound
from ..domain.tracking import new_tracking_code
from ..extensions import db
from ..models import DependantLink, Document, DocumentSubmission, OutboxEvent, Person
from ..registry import recompute
from . import audit
from .objections import Attachment, QueuePage, count_filing, page_within

ADULT_AGE = 18  # a dependant of this age may send their own document
QUEUE_PAGE = 50
PER_DAY = 10  # documents an account may send in any 24 hours (DARMAN_DOCUMENTS_PER_DAY)
DOCUMENT_KIND_LABELS = {  # the registry's document kinds (documents.csv), as staff read them
    "unmarried_verified": _l("A daughter's original birth certificate (unmarried)"),
    "student_certificate": _l("University enrolment certificate"),
    "disability": _l("Disability decision"),
}
STATUS_LABELS = {
    "pending": _l("Waiting for review"),
    "accepted": _l("Accepted"),
    "refused": _l("Not accepted"),
}


@dataclass(frozen=True)
class Sent:
    """What the app sent with the file: whom it is about (`member_id` of GET /api/family, None
    for oneself), its kind, and the sender's own words."""

    member_id: str | None
    kind: str
    valid_until: date | None
    note: str | None
    university: str | None


def folder(instance_path: str | Path) -> Path:
    """Where sent documents are kept: in the instance folder, outside anything served."""
    return Path(instance_path) / "citizen-documents"


def decided_files(decided_before: datetime, batch: int) -> list[tuple[int, str]]:
    """(id, file name) of up to `batch` documents decided before `decided_before` that still
    keep their file, oldest first (`darman prune` deletes those files: `server/retention.py`)."""
    rows = db.session.execute(
        select(DocumentSubmission.id, DocumentSubmission.file_name)
        .where(DocumentSubmission.decided_at < decided_before, DocumentSubmission.file_name != "")
        .order_by(DocumentSubmission.id)
        .limit(batch)
    )
    return [(row_id, name) for row_id, name in rows]


def forget_files(rows: list[tuple[int, str]]) -> None:
    """Empty the file name of each (id, name) still naming that file (a guarded UPDATE): what
    was decided, by whom and when stays; the page then says the file is gone."""
    for row_id, name in rows:
        db.session.execute(
            update(DocumentSubmission)
            .where(DocumentSubmission.id == row_id, DocumentSubmission.file_name == name)
            .values(file_name="")
        )


def delete_files(instance_path: str | Path, names: list[str]) -> None:
    """Delete kept files by name (once no row names them: `forget_files`, committed)."""
    for name in names:
        (folder(instance_path) / Path(name).name).unlink(missing_ok=True)


def _whom(sender_id: int, member_id: str | None, today: date) -> int:
    """The person the document is about: a dependant of the sender, or the sender if adult.
    Anyone else (another family's member, a newborn) is not found, as on GET /api/family."""
    if member_id is None or member_id == f"p{sender_id}":
        sender = db.session.get(Person, sender_id)
        if sender.birth_date is not None and age_on(sender.birth_date, today) < ADULT_AGE:
            raise Forbidden("document_not_adult")
        return sender_id
    person_id = int(member_id[1:]) if member_id[:1] == "p" and member_id[1:].isdigit() else None
    linked = person_id is not None and db.session.scalar(
        select(DependantLink.id).where(
            DependantLink.insured_id == sender_id, DependantLink.dependant_id == person_id
        )
    )
    if not linked:
        raise NotFound("member_not_found", field="member_id")
    return person_id


def send(
    account_id: int,
    sender_id: int,
    sent: Sent,
    upload: Attachment,
    target: Path,
    per_day: int = PER_DAY,
) -> DocumentSubmission:
    """Keep a document sent from the app, pending review; flushed, with its tracking number.
    The file is written to `target` and removed again if the request rolls back. At most
    `per_day` an account in any 24 hours (DARMAN_DOCUMENTS_PER_DAY): 429 past it."""
    today = clock.today()
    person_id = _whom(sender_id, sent.member_id, today)
    if sent.valid_until is not None and sent.valid_until < today:
        raise Invalid("document_expired", field="valid_until")
    count_filing(account_id, per_day, "documents")
    name = stored_files.store(
        stored_files.CheckedDocument("file", upload.content, upload.mime), target
    )
    after_rollback(db.session, functools.partial(stored_files.discard, [name], target))
    for _ in range(5):
        submission = DocumentSubmission(
            tracking_number=new_tracking_code(),
            account_id=account_id,
            sender_id=sender_id,
            person_id=person_id,
            kind=sent.kind,
            university=(sent.university or "").strip() or None,
            valid_until=sent.valid_until,
            note=(sent.note or "").strip() or None,
            file_name=name,
            media_type=upload.mime,
            size=len(upload.content),
            status="pending",
            created_at=clock.now(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(submission)
            return submission
        except IntegrityError:  # a tracking number drawn twice: draw again
            continue
    raise Conflict("document_not_saved")


def sent_by(account_id: int) -> list[tuple[DocumentSubmission, Person]]:
    """Every document this account sent, with whom it is about, the newest first."""
    return list(
        db.session.execute(
            select(DocumentSubmission, Person)
            .join(Person, Person.id == DocumentSubmission.person_id)
            .where(DocumentSubmission.account_id == account_id)
            .order_by(DocumentSubmission.id.desc())
        ).all()
    )


def queue(page: int = 1, per_page: int = QUEUE_PAGE) -> QueuePage:
    """Pending documents, the oldest first, `per_page` at a time."""
    pending = DocumentSubmission.status == "pending"
    total = db.session.scalar(select(func.count()).select_from(DocumentSubmission).where(pending))
    page, pages = page_within(total, page, per_page)
    rows = db.session.execute(
        select(DocumentSubmission, Person)
        .join(Person, Person.id == DocumentSubmission.person_id)
        .where(pending)
        .order_by(DocumentSubmission.created_at, DocumentSubmission.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return QueuePage(list(rows), total, page, pages)


def _check_period(valid_from: date | None, valid_until: date | None) -> None:
    """A document's period: a first day, and a last day not before it nor already past."""
    if valid_from is None:
        raise Invalid("document_valid_from", field="valid_from")
    if valid_until is not None and (valid_until < valid_from or valid_until < clock.today()):
        raise Invalid("document_period", field="valid_until")


def _decide(submission: DocumentSubmission, **values) -> None:
    """Take the decision once: only a pending row changes; a row already decided (by another
    staff member a moment ago) is a 409. The row lock (PostgreSQL) or the write lock (SQLite)
    makes the second decider wait and then find it decided."""
    decided = db.session.execute(
        update(DocumentSubmission)
        .where(DocumentSubmission.id == submission.id, DocumentSubmission.status == "pending")
        .values(decided_by=audit.current_staff_id(), decided_at=clock.now(), **values)
        .execution_options(synchronize_session=False)
    )
    if decided.rowcount != 1:
        raise Conflict("document_decided")
    db.session.refresh(submission)


def accept(submission: DocumentSubmission, valid_from: date | None, valid_until: date | None):
    """Accept the document with its validity: a registry `document` row, the person's cover
    recomputed now, the sender told; audited. What the cover now is: (covered, valid_until)."""
    _check_period(valid_from, valid_until)
    _decide(submission, status="accepted")
    document_id = write_document(submission.person_id, submission.kind, valid_from, valid_until)
    submission.document_id = document_id
    audit.record(
        "document_accepted",
        person_id=submission.person_id,
        subject=f"document_submission:{submission.id}",
        kind=submission.kind,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else None,
    )
    _tell(submission)
    db.session.flush()
    recompute_now(submission.person_id)


def refuse(submission: DocumentSubmission, reason: str) -> None:
    """Refuse the document with a reason the family sees; the sender told; audited."""
    reason = reason.strip()
    if not reason:
        raise Invalid("reason_required", field="reason")
    _decide(submission, status="refused", reason=reason)
    audit.record(
        "document_refused",
        person_id=submission.person_id,
        subject=f"document_submission:{submission.id}",
        kind=submission.kind,
    )
    _tell(submission)
    db.session.flush()


def _tell(submission: DocumentSubmission) -> None:
    """An outbox row for the sender: their document's decision (the notice worker makes the
    notice, its push and, where push fails, the SMS fallback)."""
    db.session.add(
        OutboxEvent(
            kind="document_status",
            person_id=submission.sender_id,
            old=None,
            new={
                "submission_id": submission.id,
                "tracking_number": submission.tracking_number,
                "status": submission.status,
            },
            created_at=clock.now(),
        )
    )


def write_document(person_id: int, kind: str, valid_from: date, valid_until: date | None) -> int:
    """The registry's `document` row, as `darman import` writes one from documents.csv: keyed by
    (person, kind, first day), the last day updated when that key is there already."""
    connection = db.session.connection()
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    values = {
        "person_id": person_id,
        "kind": kind,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    statement = insert(Document.__table__).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["person_id", "kind", "valid_from"],
        set_={"valid_until": statement.excluded.valid_until},
    )
    return connection.execute(statement.returning(Document.__table__.c.id)).scalar_one()


def recompute_now(person_id: int) -> None:
    """The person's cover (and their dependants') brought up to date in this transaction, as the
    daily job would, so that the family sees it in this very request."""
    db.session.flush()
    recompute.recompute(db.session.connection(), [person_id], clock.today())


def record_at_branch(
    person: Person,
    kind: str,
    valid_from: date | None,
    valid_until: date | None,
    identity_kind: str,
    identity_number: str,
) -> None:
    """A document shown in person at the branch, after an identity document was seen: written
    as an import would, the cover recomputed before the person leaves the counter; audited."""
    if kind not in DOCUMENT_KIND_LABELS:
        raise Invalid("document_kind", field="kind")
    if not identity_number.strip():
        raise Invalid("document_required", field="document_number")
    _check_period(valid_from, valid_until)
    write_document(person.id, kind, valid_from, valid_until)
    audit.record(
        "document_recorded",
        person_id=person.id,
        subject=f"person:{person.id}",
        kind=kind,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else None,
        document_kind=identity_kind,
        document_number=identity_number.strip()[:40],
    )
    recompute_now(person.id)
