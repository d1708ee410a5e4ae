"""FHIR R4: the CapabilityStatement and CoverageEligibilityRequest/$submit; requests and answers
are validated with the `fhir.resources` models, refusals are OperationOutcomes."""

import json

import pytest
from channel_testing import inquiries_logged, inquiry_count, make_token
from families import INSURED, SON, UNKNOWN
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from fhir.resources.R4B.coverageeligibilityresponse import CoverageEligibilityResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome

SUBMIT = "/fhir/CoverageEligibilityRequest/$submit"
FHIR_JSON = "application/fhir+json"


def eligibility_request(national_code: str = INSURED, **changes) -> dict:
    """A CoverageEligibilityRequest as a clinic's software sends it (valid in FHIR)."""
    resource = {
        "resourceType": "CoverageEligibilityRequest",
        "identifier": [{"system": "urn:clinic:requests", "value": "REQ-1"}],
        "status": "active",
        "purpose": ["validation"],
        "patient": {"identifier": {"system": "urn:darman:national-code", "value": national_code}},
        "created": "2026-11-22T09:30:00+03:30",
        "insurer": {"display": "سازمان تأمین اجتماعی"},
    }
    resource.update(changes)
    return {key: value for key, value in resource.items() if value is not None}


def submit(client, token, resource, **headers):
    """POST a resource to $submit as FHIR JSON."""
    headers.setdefault("Authorization", f"Bearer {token}")
    headers.setdefault("Content-Type", FHIR_JSON)
    body = resource if isinstance(resource, bytes) else json.dumps(resource).encode()
    return client.post(SUBMIT, data=body, headers=headers)


def outcome(response) -> OperationOutcome:
    """The OperationOutcome of a refusal, validated."""
    assert response.mimetype == FHIR_JSON
    return OperationOutcome.model_validate(response.get_json(force=True))


def test_metadata_is_a_capability_statement(app, client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response.mimetype == FHIR_JSON
    statement = CapabilityStatement.model_validate(response.get_json(force=True))
    assert (statement.fhirVersion, statement.kind, statement.format) == (
        "4.0.1",
        "instance",
        [FHIR_JSON],
    )
    resource, medication = statement.rest[0].resource
    assert medication.type == "MedicationRequest"
    assert resource.type == "CoverageEligibilityRequest"
    assert resource.operation[0].name == "submit"
    assert statement.implementation.url == f"{app.config['DARMAN_ORIGIN']}/fhir"


def test_a_covered_patient(app, client, family, token):
    request_resource = eligibility_request()
    CoverageEligibilityRequest.model_validate(request_resource)  # what we send is valid FHIR

    response = submit(client, token, request_resource)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == FHIR_JSON
    assert response.headers["Cache-Control"] == "no-store"
    answer = CoverageEligibilityResponse.model_validate(response.get_json(force=True))

    assert (answer.outcome, answer.status, answer.purpose) == ("complete", "active", ["validation"])
    assert answer.disposition == "حمایت درمانی دارد"
    [insurance] = answer.insurance
    assert insurance.inforce is True
    assert insurance.benefitPeriod is None  # a centre gets has / has not only (seed 000 2-a)
    assert answer.patient.identifier.value == INSURED
    assert answer.request.identifier.value == "REQ-1"
    [logged] = inquiries_logged(app)
    assert answer.preAuthRef == answer.identifier[0].value == logged.tracking_code
    assert answer.identifier[0].system == "urn:darman:tracking-code"
    assert (logged.channel, logged.national_code, logged.covered) == ("fhir", INSURED, True)
    assert logged.provider_id is not None


@pytest.mark.parametrize("national_code", [SON, UNKNOWN])
def test_a_patient_without_cover(client, family, token, national_code):
    response = submit(client, token, eligibility_request(national_code))
    answer = CoverageEligibilityResponse.model_validate(response.get_json(force=True))
    assert answer.insurance[0].inforce is False
    assert answer.disposition == "حمایت درمانی ندارد"
    assert answer.outcome == "complete"


def test_persian_digits_and_a_request_without_identifier(client, family, token):
    resource = eligibility_request("۰۰۱۲۳۴۵۶۷۹", identifier=None)
    answer = CoverageEligibilityResponse.model_validate(
        submit(client, token, resource).get_json(force=True)
    )
    assert answer.patient.identifier.value == INSURED
    assert answer.request.type == "CoverageEligibilityRequest"
    assert answer.insurance[0].inforce is True


@pytest.mark.parametrize("content_type", ["application/json", "application/json+fhir"])
def test_older_fhir_media_types_are_accepted(client, family, token, content_type):
    response = submit(client, token, eligibility_request(), **{"Content-Type": content_type})
    assert response.status_code == 200


def test_service_today_is_answered(client, family, token):
    response = submit(client, token, eligibility_request(servicedDate="2026-11-22"))
    assert response.status_code == 200


def test_the_expiry_goes_only_to_the_kinds_an_operator_names(
    app, client, family, runner, monkeypatch
):
    monkeypatch.setitem(app.config, "DARMAN_FHIR_EXPIRY_KINDS", ("hospital",))
    hospital, doctor = make_token(runner, "hospital"), make_token(runner, "doctor")

    to_hospital = submit(client, hospital, eligibility_request()).get_json(force=True)
    to_doctor = submit(client, doctor, eligibility_request()).get_json(force=True)
    without_cover = submit(client, hospital, eligibility_request(SON)).get_json(force=True)

    period = CoverageEligibilityResponse.model_validate(to_hospital).insurance[0].benefitPeriod
    assert period.end.isoformat() == "2026-12-21"
    assert "benefitPeriod" not in to_doctor["insurance"][0]
    assert "benefitPeriod" not in without_cover["insurance"][0]


@pytest.mark.parametrize(
    ("resource", "code", "expression"),
    [
        pytest.param(b"not json", "structure", None, id="not-json"),
        pytest.param([1, 2], "structure", None, id="a-list"),
        pytest.param({"resourceType": "Patient"}, "structure", "resourceType", id="a-patient"),
        pytest.param(
            eligibility_request(insurer=None),
            "required",
            "CoverageEligibilityRequest.insurer",
            id="no-insurer",
        ),
        pytest.param(
            eligibility_request(created=None),
            "required",
            "CoverageEligibilityRequest.created",
            id="no-created",
        ),
        pytest.param(
            eligibility_request(status=None),
            "required",
            "CoverageEligibilityRequest.status",
            id="no-status",
        ),
        pytest.param(
            eligibility_request(purpose="validation"),
            "structure",
            "CoverageEligibilityRequest.purpose",
            id="purpose-not-a-list",
        ),
        pytest.param(
            eligibility_request(colour="blue"),
            "structure",
            "CoverageEligibilityRequest.colour",
            id="unknown-element",
        ),
        pytest.param(
            eligibility_request(created="yesterday"),
            "structure",
            "CoverageEligibilityRequest.created",
            id="bad-datetime",
        ),
        pytest.param(
            eligibility_request(purpose=["benefits"]),
            "not-supported",
            "CoverageEligibilityRequest.purpose",
            id="purpose-benefits",
        ),
        pytest.param(
            eligibility_request(status="cancelled"),
            "value",
            "CoverageEligibilityRequest.status",
            id="cancelled",
        ),
        pytest.param(
            eligibility_request(patient={"reference": "Patient/1"}),
            "required",
            "CoverageEligibilityRequest.patient.identifier",
            id="patient-by-reference",
        ),
        pytest.param(
            eligibility_request(
                patient={"identifier": {"system": "urn:oid:1.2.3", "value": INSURED}}
            ),
            "required",
            "CoverageEligibilityRequest.patient.identifier",
            id="another-identifier-system",
        ),
        pytest.param(
            eligibility_request("0012345678"),
            "value",
            "CoverageEligibilityRequest.patient.identifier.value",
            id="bad-check-digit",
        ),
        pytest.param(
            eligibility_request(servicedDate="2026-11-21"),
            "not-supported",
            "CoverageEligibilityRequest.serviced",
            id="service-yesterday",
        ),
    ],
)
def test_a_bad_resource_is_an_operation_outcome_400(
    app, client, family, token, resource, code, expression
):
    response = submit(client, token, resource)
    assert response.status_code == 400
    [issue] = outcome(response).issue
    assert (issue.severity, issue.code) == ("error", code)
    assert any("\u0600" <= ch <= "\u06ff" for ch in issue.diagnostics)  # Persian
    assert (issue.expression or [None])[0] == expression
    assert inquiry_count(app) == 0


def test_every_problem_of_a_resource_is_reported(client, token):
    resource = eligibility_request(insurer=None, colour="blue", purpose="validation")
    issues = outcome(submit(client, token, resource)).issue
    assert {issue.expression[0] for issue in issues} == {
        "CoverageEligibilityRequest.insurer",
        "CoverageEligibilityRequest.colour",
        "CoverageEligibilityRequest.purpose",
    }


def test_diagnostics_in_english_when_asked(client, family, token):
    response = submit(client, token, eligibility_request("0012345678"), **{"Accept-Language": "en"})
    assert (
        outcome(response).issue[0].diagnostics == "The national code is not valid. Please check it."
    )


def test_a_body_that_is_not_fhir_json_is_a_415(app, client, family, token):
    response = submit(client, token, eligibility_request(), **{"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert outcome(response).issue[0].code == "not-supported"
    assert inquiry_count(app) == 0


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz"])
def test_without_a_provider_token_the_answer_is_an_operation_outcome_401(
    app, client, family, authorization
):
    headers = {"Content-Type": FHIR_JSON}
    if authorization:
        headers["Authorization"] = authorization
    response = client.post(SUBMIT, data=b"{}", headers=headers)  # the token before the body
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    [issue] = outcome(response).issue
    assert issue.code == "login"
    assert issue.diagnostics == "برای این درخواست، توکن معتبر مرکز درمانی لازم است."
    assert inquiry_count(app) == 0


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/fhir/Patient/1"), ("POST", "/fhir/metadata")]
)
def test_what_the_server_does_not_do_is_an_operation_outcome(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 404
    assert outcome(response).issue[0].code == "not-supported"
