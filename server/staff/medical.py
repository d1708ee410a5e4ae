"""Medical staff and the centres: the queue of pending registrations, one registration with
its documents, and the decisions (approve, reject, suspend; a contract made or its request
refused), each audited.

The decisions are the centres' own operations (`server/centres/accounts.py`); this module adds
who decided and the audit row, and flushes; the request commits them as one. Its refusals
(`Conflict`, or `Invalid` for a missing reason) are raised before anything is written.
"""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from .. import clock
from ..centres import accounts, documents, notices
from ..database import after_commit
from ..domain.refusal import Conflict, Invalid
from ..extensions import db
from ..models import CentreDocument, CentreMember, Contract, Person, Provider
from ..money import contracts
from . import audit


@dataclass(frozen=True)
class Doctor:
    """The registering doctor as medical staff see them: the national code masked."""

    person_id: int
    name: str
    masked_national_code: str
    medical_council_number: str
    specialty: str


@dataclass(frozen=True)
class Registration:
    """A centre with its registering doctor and documents."""

    centre: Provider
    doctor: Doctor | None
    documents: list[CentreDocument]


def mask_national_code(national_code: str) -> str:
    """001***890: enough to recognise, not enough to copy.

    Asterisks, not dots: in Persian digits a dot reads as a zero (۰).
    """
    return f"{national_code[:3]}***{national_code[-3:]}"


def _doctor(centre_id: int) -> Doctor | None:
    """The centre's first administrator, who registered it."""
    row = db.session.execute(
        select(CentreMember, Person)
        .join(Person, Person.id == CentreMember.person_id)
        .where(CentreMember.provider_id == centre_id, CentreMember.is_admin.is_(True))
        .order_by(CentreMember.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    member, person = row
    return Doctor(
        person.id,
        f"{person.first_name} {person.last_name}",
        mask_national_code(person.national_code),
        member.medical_council_number or "",
        member.specialty or "",
    )


def pending() -> list[tuple[Provider, Doctor | None]]:
    """Registrations waiting for a decision, the oldest first."""
    centres = db.session.scalars(
        select(Provider)
        .where(Provider.status == "pending")
        .order_by(Provider.created_at, Provider.id)
        .limit(500)
    ).all()
    return [(centre, _doctor(centre.id)) for centre in centres]


ACTIVE_SHOWN = 200  # a national list is long: a name narrows it


def active(name: str = "") -> list[Provider]:
    """Active centres by name (those whose name holds `name`), to pick one to suspend or to
    contract with; those that asked for a contract first."""
    statement = select(Provider).where(Provider.status == "active")
    name = " ".join(name.split())[:100]
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(Provider.name.like(f"%{escaped}%", escape="\\"))
    return list(
        db.session.scalars(
            statement.order_by(Provider.contract_requested.desc(), Provider.name).limit(
                ACTIVE_SHOWN + 1
            )
        )
    )


def registration(centre_id: int) -> Registration | None:
    """One centre with its doctor and documents; None when there is no such centre."""
    centre = db.session.get(Provider, centre_id)
    if centre is None:
        return None
    found = db.session.scalars(
        select(CentreDocument)
        .where(CentreDocument.provider_id == centre_id)
        .order_by(CentreDocument.id)
    ).all()
    return Registration(centre, _doctor(centre_id), list(found))


def document(centre_id: int, document_id: int) -> tuple[CentreDocument, Path] | None:
    """A document of this centre and where its file is; None when either is missing."""
    row = db.session.get(CentreDocument, document_id)
    if row is None or row.provider_id != centre_id:
        return None
    path = documents.folder() / Path(row.stored_as).name  # a stored name, never a path
    return (row, path) if path.is_file() else None


def _subject(centre: Provider) -> str:
    """How the audit names a centre."""
    return f"centre:{centre.id}"


def doctor_person_id(centre_id: int) -> int | None:
    """The registering doctor's person id, for the audit's «whom»."""
    doctor = _doctor(centre_id)
    return doctor.person_id if doctor else None


def _audit_decision(event: str, centre: Provider, **details: str) -> None:
    """Audit a decision on a centre, its registering doctor as «whom»."""
    audit.record(event, person_id=doctor_person_id(centre.id), subject=_subject(centre), **details)


def approve(centre_id: int) -> Provider:
    """Approve a waiting registration: the centre is active, the doctor texted; audited."""
    centre = _waiting(centre_id)
    accounts.approve_centre(centre.id, by=audit.current_staff_id())
    _audit_decision("centre_approved", centre)
    return centre


def reject(centre_id: int, reason: str) -> Provider:
    """Refuse a waiting registration with a reason, texted to the doctor; audited."""
    reason = _reason(reason)
    centre = _waiting(centre_id)
    accounts.reject_centre(centre.id, reason)
    _audit_decision("centre_rejected", centre, reason=reason)
    return centre


def suspend(centre_id: int, reason: str) -> Provider:
    """Stop an active centre at once (tokens revoked, sessions ended), with a reason; audited."""
    reason = _reason(reason)
    centre = db.session.get(Provider, centre_id)
    if centre is None or centre.status != "active":
        raise Conflict("centre_not_active", field="centre_id")
    accounts.suspend_centre(centre.id, reason)
    _audit_decision("centre_suspended", centre, reason=reason)
    return centre


def centre_contracts(centre_id: int) -> list[Contract]:
    """The centre's contracts, the earliest first (staff see them before making another)."""
    return list(
        db.session.scalars(
            select(Contract).where(Contract.provider_id == centre_id).order_by(Contract.valid_from)
        )
    )


def make_contract(centre_id: int, valid_from: date, valid_until: date | None) -> Contract:
    """Contract with a centre that asked (or any active one) from `valid_from`; its request is
    answered, its admins texted; audited. Refused when the days overlap another contract."""
    centre = _contractable(centre_id, any_active=True)
    contract = contracts.make_contract(
        centre.id, valid_from, valid_until, by=audit.current_staff_id()
    )
    centre.contract_requested = False
    until = valid_until.isoformat() if valid_until else ""
    _audit_decision("contract_made", centre, valid_from=valid_from.isoformat(), until=until)
    after_commit(db.session, lambda: notices.contract_made(centre, valid_from, valid_until))
    return contract


def refuse_contract(centre_id: int, reason: str) -> Provider:
    """Refuse a centre's contract request with a reason, texted to its admins; audited."""
    reason = _reason(reason)
    centre = _contractable(centre_id, any_active=False)
    centre.contract_requested = False
    db.session.flush()
    _audit_decision("contract_refused", centre, reason=reason)
    after_commit(db.session, lambda: notices.contract_refused(centre, reason))
    return centre


def _contractable(centre_id: int, any_active: bool) -> Provider:
    """The centre, if it asked for a contract (or, with `any_active`, is active); else a
    Conflict. Locked, so that two staff members do not answer one request twice."""
    centre = db.session.get(Provider, centre_id, with_for_update=True)
    active_one = any_active and centre is not None and centre.status == "active"
    if centre is None or not (centre.contract_requested or active_one):
        raise Conflict("contract_not_requested")
    return centre


def _waiting(centre_id: int) -> Provider:
    """The centre, if its registration still waits for a decision; else a Conflict."""
    centre = db.session.get(Provider, centre_id)
    if centre is None or centre.status != "pending":
        raise Conflict("registration_decided")
    return centre


def _reason(reason: str) -> str:
    """The reason, trimmed; refused when there is none."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("reason_required", field="reason")
    return reason[:500]


def age_in_days(created_at: datetime, now: datetime) -> int:
    """Whole days a registration has waited."""
    return (now - clock.as_utc(created_at)).days
