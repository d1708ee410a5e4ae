"""Admitting and discharging a hospital's patient, and the days of a stay.

An admission asks the patient's eligibility on the day of admission (a newborn's under the
mother's code) and logs it as the hospital's inquiry, as every other inquiry is logged; it keeps
the other base insurers the registry names on that day (seed 000 item 3: inpatient eligibility
still follows the base insurers' overlap rules), which staff then resolve."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select

from .. import clock, inquiries
from ..auth.providers import AuthenticatedProvider
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Admission, OtherInsurance, Person, in_force

CHANNEL = "provider"
BACK_DAYS = 7  # how far back an admission may be recorded (a weekend's admissions on Monday)


@dataclass(frozen=True)
class Patient:
    """Who is admitted: a national code, or a newborn by the mother's code and birth date."""

    national_code: str | None = None
    mother_national_code: str | None = None
    birth_date: date | None = None


def admit(
    provider: AuthenticatedProvider,
    patient: Patient,
    admitted_on: date,
    ward: str,
    channel: str = CHANNEL,
) -> Admission:
    """Admit the patient to the ward: the inquiry logged, the overlap found, the row flushed.
    400 for a day ahead or too far back, 404 for a code not in the registry, 409 when the
    patient is already in this hospital."""
    _check_day(admitted_on)
    answer, national_code = inquiries.find_patient(patient, admitted_on)
    if current(provider.id, answer.person_id, patient.birth_date) is not None:
        raise Conflict("already_admitted")
    tracking_code = inquiries.log(
        answer,
        channel=channel,
        national_code=national_code,
        provider_id=provider.id,
        newborn_birth_date=patient.birth_date,
        member_id=provider.member_id,
    )
    admission = Admission(
        provider_id=provider.id,
        member_id=provider.member_id,
        person_id=answer.person_id,
        newborn_birth_date=patient.birth_date,
        ward=ward,
        admitted_on=admitted_on,
        tracking_code=tracking_code,
        covered=answer.covered,
        overlap=",".join(other_insurers(answer.person_id, admitted_on)),
        created_at=clock.now(),
    )
    db.session.add(admission)
    db.session.flush()
    return admission


def _check_day(admitted_on: date) -> None:
    """Not after today, and not more than BACK_DAYS back."""
    today = clock.today()
    if admitted_on > today:
        raise Invalid("admitted_in_future", field="admitted_on")
    if admitted_on < today - timedelta(days=BACK_DAYS):
        raise Invalid("admitted_too_long_ago", field="admitted_on", words={"days": BACK_DAYS})


def other_insurers(person_id: int, on: date) -> list[str]:
    """The other base insurers the registry names for the person on the day, by name."""
    rows = db.session.scalars(
        select(OtherInsurance.insurer)
        .where(
            OtherInsurance.person_id == person_id,
            in_force(OtherInsurance.start_date, OtherInsurance.end_date, on),
        )
        .order_by(OtherInsurance.insurer)
    )
    return list(dict.fromkeys(rows))


def current(provider_id: int, person_id: int, newborn_birth_date: date | None) -> Admission | None:
    """The patient's stay in this hospital not yet discharged, if any (a newborn's is its own)."""
    born = (
        Admission.newborn_birth_date.is_(None)
        if newborn_birth_date is None
        else Admission.newborn_birth_date == newborn_birth_date
    )
    return db.session.scalars(
        select(Admission).where(
            Admission.provider_id == provider_id,
            Admission.person_id == person_id,
            Admission.discharged_on.is_(None),
            born,
        )
    ).first()


def discharge(provider_id: int, admission_id: int) -> Admission:
    """Discharge today; 404 for no such admission of this hospital, 409 when already done."""
    admission = db.session.scalars(
        select(Admission)
        .where(Admission.id == admission_id, Admission.provider_id == provider_id)
        .with_for_update()
    ).first()
    if admission is None:
        raise NotFound("unknown_admission")
    if admission.discharged_on is not None:
        raise Conflict("already_discharged", discharged_on=admission.discharged_on.isoformat())
    admission.discharged_on = max(clock.today(), admission.admitted_on)
    db.session.flush()
    return admission


def inpatient_on(provider_id: int, person_id: int, day: date) -> bool:
    """True when the person was admitted to this hospital on the day (S3: its services then
    are inpatient)."""
    stay = select(Admission.id).where(
        Admission.provider_id == provider_id,
        Admission.person_id == person_id,
        Admission.admitted_on <= day,
        or_(Admission.discharged_on.is_(None), Admission.discharged_on >= day),
    )
    return db.session.scalar(stay.limit(1)) is not None


def of_hospital(provider_id: int) -> list[tuple[Admission, Person]]:
    """The hospital's patients still admitted, and those discharged in the last week."""
    since = clock.today() - timedelta(days=7)
    rows = db.session.execute(
        select(Admission, Person)
        .join(Person, Person.id == Admission.person_id)
        .where(
            Admission.provider_id == provider_id,
            or_(Admission.discharged_on.is_(None), Admission.discharged_on >= since),
        )
        .order_by(Admission.admitted_on.desc(), Admission.id.desc())
    )
    return [(row.Admission, row.Person) for row in rows]
