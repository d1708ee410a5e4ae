"""A doctor registers an office (as on ep.tamin.ir): the registry's person, confirmed by SMS,
with the four documents of seed 002; the office waits, pending, until staff approve it."""

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from .. import clock
from ..database import after_rollback
from ..domain.refusal import Conflict, Invalid
from ..extensions import db
from ..models import DOCUMENT_KINDS, CentreDocument, CentreMember
from . import accounts, documents
from .documents import CheckedDocument


@dataclass(frozen=True)
class Application:
    """What the doctor typed (the person, and so the name, is the registry's, confirmed by SMS)."""

    person_id: int
    medical_council_number: str
    specialty: str
    office_name: str
    city: str
    address: str
    contract_requested: bool


def check_application(application: Application) -> None:
    """The council number not already registered."""
    taken = db.session.scalar(
        select(CentreMember.id).where(
            CentreMember.medical_council_number == application.medical_council_number,
            CentreMember.removed_at.is_(None),
        )
    )
    if taken is not None:
        raise Conflict("council_number_taken", field="medical_council_number")


def register(application: Application, checked: list[CheckedDocument], folder: Path) -> int:
    """Make the pending office, the doctor as its admin, and its documents (stored in `folder`);
    the centre's id.

    Each document's file is written as its row is added, and removed again by the request's
    rollback (`after_rollback`) if anything fails, here or at the final commit: nothing is kept.
    """
    check_application(application)
    if sorted(document.kind for document in checked) != sorted(DOCUMENT_KINDS):
        raise Invalid("document_missing")
    centre = accounts.create_centre(
        application.office_name,
        "doctor",
        city=application.city,
        address=application.address,
        contract_requested=application.contract_requested,
        status="pending",
    )
    accounts.add_member(
        centre.id,
        application.person_id,
        "doctor",
        is_admin=True,
        medical_council_number=application.medical_council_number,
        specialty=application.specialty,
    )
    for document in checked:
        name = documents.store(document, folder)
        after_rollback(db.session, functools.partial(documents.discard, [name], folder))
        db.session.add(
            CentreDocument(
                provider_id=centre.id,
                kind=document.kind,
                media_type=document.media_type,
                size=len(document.content),
                sha256=document.sha256,
                stored_as=name,
                uploaded_at=clock.now(),
            )
        )
    db.session.flush()
    return centre.id
