"""A prescription and its items locked and read afresh, before a delivery or a cancel decides
anything: each waits for the other (PostgreSQL locks the rows; SQLite takes its write lock), and
objects a view read earlier would be stale (a lost update)."""

from sqlalchemy import select

from ..extensions import db
from ..models import Prescription, PrescriptionItem


def prescription(code: str) -> Prescription | None:
    """The prescription of `code`, locked and read afresh; None when no prescription has it."""
    return db.session.scalars(
        select(Prescription)
        .where(Prescription.code == code)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def items(prescription_id: int) -> list[PrescriptionItem]:
    """Its items in the order written, locked and read afresh."""
    return list(
        db.session.scalars(
            select(PrescriptionItem)
            .where(PrescriptionItem.prescription_id == prescription_id)
            .order_by(PrescriptionItem.position)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
