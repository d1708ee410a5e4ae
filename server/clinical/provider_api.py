"""The clinical provider API: ICD-10 diagnoses found as a doctor types, and a drug allergy
recorded during a visit."""

from functools import partial

from flask import Blueprint, current_app, g

from ..catalogue.requests import search_text_argument
from ..records import access, rules
from ..records.provider_api import provider_operation
from ..web.toolkit import national_code_argument
from . import allergies, diagnoses
from .requests import clinical_operation
from .schemas import AllergyRecorded, AllergyRequest, DiagnosisList

bp = Blueprint("clinical_provider", __name__, url_prefix="/api/provider")

RESULTS = 20  # a short list: the doctor types on until theirs is in it
_operation = partial(provider_operation, declare=clinical_operation)


@bp.get("/diagnoses")
@_operation(
    "Find WHO ICD-10 diagnoses by code or title (`q`: `J01`, `j019` or `sinusitis`); at most 20",
    response=DiagnosisList,
    errors=(400, 401),
)
def find_diagnoses():
    """Entries whose code starts with `q`, then those whose title holds each of its words."""
    return {"diagnoses": diagnoses.search(search_text_argument(), RESULTS)}


@bp.post("/patients/<national_code>/allergies")
@_operation(
    "Record a patient's drug allergy (doctors and hospitals, within a day of an eligibility "
    "inquiry about the patient; logged as a read, and the patient is told)",
    kinds=rules.WRITER_KINDS,  # who sees patients and prescribes
    action="write",
    request_schema=AllergyRequest,
    response=AllergyRecorded,
    errors=(400, 401, 403),
)
def record_allergy(national_code: str, body: AllergyRequest):
    """201 with the allergy; an ingredient the catalogue does not know is 400."""
    national_code = national_code_argument(national_code)
    hours = current_app.config["DARMAN_RECORDS_VISIT_HOURS"]
    person_id = access.patient_for_provider(national_code, g.provider, hours, action="write")
    allergy = allergies.record(person_id, g.provider, body.ingredient, body.reaction, body.severity)
    return allergies.described(allergy), 201
