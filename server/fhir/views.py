"""`GET /fhir/metadata`, `POST /fhir/CoverageEligibilityRequest/$submit` and `GET
/fhir/MedicationRequest?identifier=…` (a drug prescription's items), in FHIR JSON.

Providers authenticate with the provider API's bearer tokens (no cookies, so no CSRF token);
every refusal, 401 included, is an OperationOutcome.
"""

import json

from flask import Blueprint, Response, current_app, g, request
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from .. import clock, inquiries
from ..auth import lookup_misses
from ..auth.providers import provider_required
from ..domain.refusal import Refused
from ..extensions import db
from ..models import Person
from ..records import access, reading
from ..records.requests import prescription_code_argument
from ..web.refusals import headers_of, message_of, status_of
from . import medication
from .resources import (
    MEDIA_TYPE,
    capability_statement,
    checked_national_code,
    eligibility_response,
    issue,
    operation_outcome,
    parse_request,
)

bp = Blueprint("fhir", __name__, url_prefix="/fhir")

CHANNEL = "fhir"
ACCEPTED_TYPES = ("application/fhir+json", "application/json", "application/json+fhir")
_HTTP_ISSUES = {401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
                413: "too-costly", 415: "not-supported"}  # fmt: skip


def fhir_json(resource: dict, status: int = 200) -> Response:
    """A FHIR JSON answer (Persian stays readable)."""
    body = json.dumps(resource, ensure_ascii=False)
    return Response(body, status, content_type=f"{MEDIA_TYPE}; charset=utf-8")


@bp.after_request
def _no_store(response: Response) -> Response:
    """Eligibility answers are health data: never kept by caches."""
    response.headers["Cache-Control"] = "no-store"
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="darman"'
    return response


class FhirError(Exception):
    """A request the FHIR layer refuses itself (a wrong Content-Type), as an OperationOutcome."""

    def __init__(self, status: int, issues: list[dict]) -> None:
        super().__init__(issues[0]["diagnostics"] if issues else status)
        self.status = status
        self.issues = issues


@bp.errorhandler(FhirError)
def _fhir_error(error: FhirError) -> Response:
    """The request layer's own refusals."""
    return fhir_json(operation_outcome(error.issues), error.status)


@bp.errorhandler(Refused)
def _refused(error: Refused) -> Response:
    """A refusal of an operation or of a shared layer (a missing or wrong provider token, a
    malformed argument): an issue per problem it carries,
    or one at its `expression`; its status and headers as any refusal's."""
    status = status_of(error)
    problems = error.details.get("problems") or [error]
    issues = [
        issue(
            problem.details.get("issue") or _HTTP_ISSUES.get(status, "processing"),
            message_of(problem),
            problem.details.get("expression"),
        )
        for problem in problems
    ]
    response = fhir_json(operation_outcome(issues), status)
    response.headers.update(headers_of(error))
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    """Flask's own refusals (too large a body, …)."""
    status = error.code or 500
    message = gettext("The request could not be understood.")
    if status == 413:
        message = gettext("The request is too large.")
    return fhir_json(
        operation_outcome([issue(_HTTP_ISSUES.get(status, "invalid"), message)]), status
    )


@bp.get("/metadata")
def metadata() -> Response:
    """The CapabilityStatement."""
    base_url = current_app.config["DARMAN_ORIGIN"].rstrip("/") + bp.url_prefix  # not Host
    return fhir_json(capability_statement(base_url, clock.today()))


@bp.post("/CoverageEligibilityRequest/$submit")
@provider_required
def submit() -> Response:
    """Check a patient's eligibility today; the inquiry is logged with a tracking code."""
    if request.mimetype not in ACCEPTED_TYPES:
        message = gettext("Please send FHIR JSON (Content-Type: application/fhir+json).")
        raise FhirError(415, [issue("not-supported", message)])
    payload = request.get_json(force=True, silent=True)
    resource = parse_request(payload)
    today = clock.today()
    national_code = checked_national_code(resource, today)
    answer = inquiries.find(national_code, today)
    tracking_code = inquiries.log(
        answer, channel=CHANNEL, national_code=national_code, provider_id=g.provider.id
    )
    with_expiry = g.provider.kind in current_app.config["DARMAN_FHIR_EXPIRY_KINDS"]
    created = clock.as_tehran(clock.now())
    response = eligibility_response(
        payload, national_code, answer, tracking_code, created=created, with_expiry=with_expiry
    )
    return fhir_json(response)


@bp.get("/MedicationRequest")
@provider_required
def medication_requests() -> Response:
    """`?identifier=urn:darman:prescription-code|<code>`: a drug prescription's items, for its
    doctor or a centre that may deliver it (a logged read, as the provider API's)."""
    system, _, code = (request.args.get("identifier") or "").rpartition("|")
    if system != medication.PRESCRIPTION_CODE_SYSTEM:
        message = gettext(
            "Search by identifier=%(system)s|<prescription code>.",
            system=medication.PRESCRIPTION_CODE_SYSTEM,
        )
        raise FhirError(400, [issue("required", message, "identifier")])
    with lookup_misses.counted(g.provider, "prescription"):  # codes cannot be swept
        row = access.record_for_provider(prescription_code_argument(code), g.provider)
    prescription = row.Prescription
    described = reading.detail(row, clock.today())
    access.log_provider_read(prescription.person_id, g.provider, prescription.id)
    national_code = db.session.scalar(
        select(Person.national_code).where(Person.id == prescription.person_id)
    )
    return fhir_json(medication.bundle(described, national_code))


@bp.route("/<path:unsupported>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_supported(unsupported: str) -> Response:
    """Anything else under /fhir: not part of this server (see the CapabilityStatement)."""
    message = gettext("This server supports only the operations in its CapabilityStatement.")
    return fhir_json(operation_outcome([issue("not-supported", message)]), 404)
