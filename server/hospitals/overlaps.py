"""The overlaps staff resolve: admissions of people whom another base insurer also covered on
the day of admission (seed 000 item 3). Resolving marks one handled with a note, audited."""

from sqlalchemy import select

from .. import clock
from ..domain.refusal import Conflict, NotFound
from ..extensions import db
from ..models import Admission, Person, Provider
from ..staff import audit

SHOWN = 200  # the oldest first; the rest once these are handled


def to_resolve() -> list[tuple[Admission, Person, Provider]]:
    """The admissions with an overlap not yet handled, the oldest first."""
    rows = db.session.execute(
        select(Admission, Person, Provider)
        .join(Person, Person.id == Admission.person_id)
        .join(Provider, Provider.id == Admission.provider_id)
        .where(Admission.overlap != "", Admission.overlap_resolved_at.is_(None))
        .order_by(Admission.admitted_on, Admission.id)
        .limit(SHOWN)
    )
    return [(row.Admission, row.Person, row.Provider) for row in rows]


def resolve(admission_id: int, note: str, staff_id: int) -> Admission:
    """Mark the overlap handled with the note (audited); 404 for no overlap of that id, 409
    when it is already handled."""
    admission = db.session.scalars(
        select(Admission).where(Admission.id == admission_id).with_for_update()
    ).first()
    if admission is None or not admission.overlap:
        raise NotFound("unknown_overlap")
    if admission.overlap_resolved_at is not None:
        raise Conflict("overlap_resolved")
    admission.overlap_resolved_at = clock.now()
    admission.overlap_resolved_by = staff_id
    admission.overlap_note = note
    audit.record(
        "overlap_resolved",
        person_id=admission.person_id,
        subject=f"admission:{admission.id}",
        insurers=admission.overlap,
    )
    db.session.flush()
    return admission
