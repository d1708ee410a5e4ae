"""The FHIR resources we read and write, as plain JSON-ready dicts.

A request we refuse raises an `Invalid` refusal (`server/domain/refusal.py`) whose details name
the OperationOutcome issue's code (`issue`) and where it is (`expression`); one that finds several
problems carries each as a refusal of its own (`problems`). The blueprint answers them as an
OperationOutcome, in the reader's language (`server/fhir/refusal_texts.py`).
"""

from datetime import date, datetime

from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from flask_babel import gettext
from pydantic import ValidationError

from ..domain.national_code import InvalidNationalCode, normalise
from ..domain.refusal import Invalid
from ..inquiries import Answer

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"
NATIONAL_CODE_SYSTEM = "urn:darman:national-code"
TRACKING_CODE_SYSTEM = "urn:darman:tracking-code"
SUBMIT = "CoverageEligibilityRequest/$submit"
SUBMIT_DEFINITION = "urn:darman:OperationDefinition/CoverageEligibilityRequest-submit"
MAX_ISSUES = 10


def refused(code: str, issue_code: str, expression: str | None = None, **words) -> Invalid:
    """A refusal answered as one OperationOutcome issue of code `issue_code` at `expression`."""
    return Invalid(code, issue=issue_code, expression=expression, words=words)


def issue(code: str, diagnostics: str, expression: str | None = None) -> dict:
    """One OperationOutcome issue (severity error)."""
    found = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        found["expression"] = [expression]
    return found


def operation_outcome(issues: list[dict]) -> dict:
    """An OperationOutcome."""
    return {"resourceType": "OperationOutcome", "issue": issues}


SUBMIT_DOCUMENTATION = (
    f"POST a CoverageEligibilityRequest (purpose validation, for today; patient.identifier "
    f"with system {NATIONAL_CODE_SYSTEM}) to {SUBMIT}. The answer is a "
    "CoverageEligibilityResponse: insurance[0].inforce says whether the patient is covered, "
    f"the tracking code is its preAuthRef and identifier ({TRACKING_CODE_SYSTEM})."
)
MEDICATION_DOCUMENTATION = (
    "GET MedicationRequest?identifier=urn:darman:prescription-code|<code>: a drug "
    "prescription's items (its doctor, or a centre that may deliver it; a logged read). status "
    "cancelled with statusReason when the doctor cancelled it; a repeat prescription's "
    "dispenseRequest.quantity is a month's, numberOfRepeatsAllowed the parts after the first."
)
SECURITY = "Authorization: Bearer <token>: the provider API's token (flask darman provider create)."


def capability_statement(base_url: str, today: date) -> dict:
    """What this server does: one operation on CoverageEligibilityRequest, a search of
    MedicationRequests, bearer tokens."""
    operation = {"name": "submit", "definition": SUBMIT_DEFINITION,
                 "documentation": SUBMIT_DOCUMENTATION}  # fmt: skip
    rest = {
        "mode": "server",
        "security": {"description": SECURITY},
        "resource": [
            {"type": "CoverageEligibilityRequest", "operation": [operation]},
            {
                "type": "MedicationRequest",
                "interaction": [{"code": "search-type"}],
                "searchParam": [{"name": "identifier", "type": "token"}],
                "documentation": MEDICATION_DOCUMENTATION,
            },
        ],
    }
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": today.isoformat(),
        "publisher": "Darman",
        "kind": "instance",
        "software": {"name": "Darman"},
        "implementation": {
            "description": "Darman: eligibility for treatment (Social Security Organization)",
            "url": base_url,
        },
        "fhirVersion": FHIR_VERSION,
        "format": [MEDIA_TYPE],
        "rest": [rest],
    }


def _expression(location: tuple) -> str:
    """A pydantic error location as a FHIRPath-like expression."""
    path = "CoverageEligibilityRequest"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def parse_request(payload: object) -> CoverageEligibilityRequest:
    """The validated request; refused (400) with an issue per problem (at most ten)."""
    if not isinstance(payload, dict):
        raise refused("fhir_not_json", "structure")
    if payload.get("resourceType") != "CoverageEligibilityRequest":
        raise refused("fhir_wrong_resource", "structure", "resourceType")
    try:
        return CoverageEligibilityRequest.model_validate(payload)
    except ValidationError as error:
        problems = [_validation_problem(e) for e in error.errors()[:MAX_ISSUES]]
        raise Invalid("fhir_invalid_resource", problems=problems) from None
    except (ValueError, TypeError):
        raise refused("fhir_not_json", "structure") from None


def _validation_problem(error: dict) -> Invalid:
    """One problem the R4B model found."""
    where = _expression(tuple(error["loc"]))
    if error["type"] == "missing" or error["type"].endswith(".missing"):  # fields, primitives
        return refused("fhir_required", "required", where, field=where)
    return refused("fhir_not_valid", "structure", where, field=where)


def checked_national_code(resource: CoverageEligibilityRequest, today: date) -> str:
    """The patient's national code, once the request is active, for validation, for today."""
    if resource.status != "active":
        raise refused("fhir_not_active", "value", "CoverageEligibilityRequest.status")
    if list(resource.purpose) != ["validation"]:
        raise refused("fhir_not_validation", "not-supported", "CoverageEligibilityRequest.purpose")
    served = resource.servicedDate or (resource.servicedPeriod and resource.servicedPeriod.start)
    if served is not None and _day(served) != today:
        raise refused("fhir_not_today", "not-supported", "CoverageEligibilityRequest.serviced")
    return _patient_national_code(resource)


def _day(value: date | datetime) -> date:
    """The day of a FHIR date or dateTime."""
    return value.date() if isinstance(value, datetime) else value


def _patient_national_code(resource: CoverageEligibilityRequest) -> str:
    """patient.identifier {system: urn:darman:national-code, value}, normalised."""
    where = "CoverageEligibilityRequest.patient.identifier"
    identifier = resource.patient.identifier
    if identifier is None or identifier.system != NATIONAL_CODE_SYSTEM or not identifier.value:
        raise refused("fhir_no_national_code", "required", where, system=NATIONAL_CODE_SYSTEM)
    try:
        return normalise(identifier.value)
    except InvalidNationalCode:
        raise refused("fhir_invalid_national_code", "value", f"{where}.value") from None


def eligibility_response(
    request: dict,
    national_code: str,
    answer: Answer,
    tracking_code: str,
    *,
    created: datetime,
    with_expiry: bool,
) -> dict:
    """The CoverageEligibilityResponse: in force or not, the tracking code as preAuthRef and
    identifier, and the expiry (benefitPeriod.end) only `with_expiry`."""
    insurance = {
        "coverage": {"display": gettext("Social Security Organization treatment cover")},
        "inforce": answer.covered,
    }
    valid_until = answer.eligibility.valid_until
    if with_expiry and answer.covered and valid_until is not None:
        insurance["benefitPeriod"] = {"end": valid_until.isoformat()}
    return {
        "resourceType": "CoverageEligibilityResponse",
        "identifier": [{"system": TRACKING_CODE_SYSTEM, "value": tracking_code}],
        "status": "active",
        "purpose": ["validation"],
        "patient": {"identifier": {"system": NATIONAL_CODE_SYSTEM, "value": national_code}},
        "created": created.isoformat(timespec="seconds"),
        "request": _request_reference(request),
        "outcome": "complete",
        "disposition": answer.label,
        "insurer": request["insurer"],
        "preAuthRef": tracking_code,
        "insurance": [insurance],
    }


def _request_reference(request: dict) -> dict:
    """The request answered: by its first identifier when it has one."""
    identifiers = request.get("identifier") or []
    if identifiers:
        return {"identifier": identifiers[0]}
    return {"type": "CoverageEligibilityRequest", "display": gettext("The submitted request")}
