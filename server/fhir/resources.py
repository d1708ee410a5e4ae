"""The FHIR resources we read and write, as plain JSON-ready dicts."""

from datetime import date, datetime

from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from flask_babel import gettext
from pydantic import ValidationError

from ..domain.national_code import InvalidNationalCode, normalise
from ..inquiries import Answer

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"
NATIONAL_CODE_SYSTEM = "urn:darman:national-code"
TRACKING_CODE_SYSTEM = "urn:darman:tracking-code"
SUBMIT = "CoverageEligibilityRequest/$submit"
SUBMIT_DEFINITION = "urn:darman:OperationDefinition/CoverageEligibilityRequest-submit"
MAX_ISSUES = 10


class FhirError(Exception):
    """A request we refuse, answered as an OperationOutcome."""

    def __init__(self, status: int, issues: list[dict]) -> None:
        super().__init__(issues[0]["diagnostics"] if issues else status)
        self.status = status
        self.issues = issues


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
SECURITY = "Authorization: Bearer <token>: the provider API's token (flask darman provider create)."


def capability_statement(base_url: str, today: date) -> dict:
    """What this server does: one operation on CoverageEligibilityRequest, bearer tokens."""
    operation = {"name": "submit", "definition": SUBMIT_DEFINITION,
                 "documentation": SUBMIT_DOCUMENTATION}  # fmt: skip
    rest = {
        "mode": "server",
        "security": {"description": SECURITY},
        "resource": [{"type": "CoverageEligibilityRequest", "operation": [operation]}],
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
    """The validated request, or FhirError 400 with an issue per problem (at most ten)."""
    if not isinstance(payload, dict):
        raise FhirError(400, [issue("structure", gettext("Please send a FHIR JSON resource."))])
    if payload.get("resourceType") != "CoverageEligibilityRequest":
        message = gettext("Please send a CoverageEligibilityRequest resource.")
        raise FhirError(400, [issue("structure", message, "resourceType")])
    try:
        return CoverageEligibilityRequest.model_validate(payload)
    except ValidationError as error:
        raise FhirError(400, [_validation_issue(e) for e in error.errors()[:MAX_ISSUES]]) from None
    except (ValueError, TypeError):
        message = gettext("Please send a FHIR JSON resource.")
        raise FhirError(400, [issue("structure", message)]) from None


def _validation_issue(error: dict) -> dict:
    """One problem the R4B model found, in the reader's language."""
    where = _expression(tuple(error["loc"]))
    if error["type"] == "missing" or error["type"].endswith(".missing"):  # fields, primitives
        return issue("required", gettext("%(field)s is required.", field=where), where)
    return issue("structure", gettext("%(field)s is not valid.", field=where), where)


def checked_national_code(resource: CoverageEligibilityRequest, today: date) -> str:
    """The patient's national code, once the request is active, for validation, for today."""
    if resource.status != "active":
        message = gettext("Only an active request can be answered.")
        raise FhirError(400, [issue("value", message, "CoverageEligibilityRequest.status")])
    if list(resource.purpose) != ["validation"]:
        message = gettext("Only the purpose validation is supported.")
        raise FhirError(
            400, [issue("not-supported", message, "CoverageEligibilityRequest.purpose")]
        )
    served = resource.servicedDate or (resource.servicedPeriod and resource.servicedPeriod.start)
    if served is not None and _day(served) != today:
        message = gettext("Eligibility can only be checked for today.")
        raise FhirError(
            400, [issue("not-supported", message, "CoverageEligibilityRequest.serviced")]
        )
    return _patient_national_code(resource)


def _day(value: date | datetime) -> date:
    """The day of a FHIR date or dateTime."""
    return value.date() if isinstance(value, datetime) else value


def _patient_national_code(resource: CoverageEligibilityRequest) -> str:
    """patient.identifier {system: urn:darman:national-code, value}, normalised."""
    where = "CoverageEligibilityRequest.patient.identifier"
    identifier = resource.patient.identifier
    if identifier is None or identifier.system != NATIONAL_CODE_SYSTEM or not identifier.value:
        message = gettext(
            "The patient must be identified by a national code (system %(system)s).",
            system=NATIONAL_CODE_SYSTEM,
        )
        raise FhirError(400, [issue("required", message, where)])
    try:
        return normalise(identifier.value)
    except InvalidNationalCode:
        message = gettext("The national code is not valid. Please check it.")
        raise FhirError(400, [issue("value", message, f"{where}.value")]) from None


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
