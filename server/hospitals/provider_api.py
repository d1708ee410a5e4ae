"""The hospitals' provider API: `POST /api/provider/admissions` (the inpatient eligibility
answer) and `POST /api/provider/admissions/<id>/discharge` (bearer, hospitals only)."""

from flask import Blueprint, g

from ..records.provider_api import provider_operation
from . import admissions, texts
from .schemas import AdmissionAnswer, AdmissionRequest

bp = Blueprint("hospitals_provider", __name__, url_prefix="/api/provider")

HOSPITALS = ("hospital",)


def patient_of(body) -> admissions.Patient:
    """Who a request names: a national code, or a mother's code and a birth date."""
    return admissions.Patient(body.national_code, body.mother_national_code, body.birth_date)


@bp.post("/admissions")
@provider_operation(
    "Admit a patient (hospitals): the inpatient eligibility answer, logged as the hospital's "
    "inquiry, with any other base insurer on the day (`overlap`) and the next step",
    kinds=HOSPITALS,
    action="admit",
    request_schema=AdmissionRequest,
    response=AdmissionAnswer,
    errors=(400, 401, 403, 404, 409),
)
def admit(body: AdmissionRequest):
    """201 with the admission; 409 `already_admitted` while the patient is in this hospital."""
    admission = admissions.admit(g.provider, patient_of(body), body.admitted_on, body.ward)
    return texts.answered(admission), 201


@bp.post("/admissions/<int:admission_id>/discharge")
@provider_operation(
    "Discharge an admitted patient (only the admitting hospital; a second discharge is 409)",
    kinds=HOSPITALS,
    action="admit",
    response=AdmissionAnswer,
    errors=(401, 403, 404, 409),
)
def discharge(admission_id: int):
    """200 with the admission, discharged today."""
    return texts.answered(admissions.discharge(g.provider.id, admission_id))
