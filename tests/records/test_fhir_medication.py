"""A drug prescription read as FHIR MedicationRequests (validated by the R4B models): a repeat's
parts as dispenseRequest.numberOfRepeatsAllowed, a cancelled one as status cancelled with the
doctor's reason; only its doctor or a centre that may deliver it reads it, and the read is
logged."""

from fhir.resources.R4B.bundle import Bundle
from prescribing import METFORMIN, bearer, prescription_body

SEARCH = "/fhir/MedicationRequest?identifier=urn:darman:prescription-code|"


def search(client, token: str, code: str):
    """The searchset of a prescription code."""
    return client.get(SEARCH + code, headers=bearer(token))


def test_a_repeat_prescription_as_medication_requests(
    app, client, family, doctor, pharmacy, write, counts
):
    written = write(doctor, prescription_body(items=[METFORMIN], parts=6)).get_json()
    reads = counts()["reads"]
    answer = search(client, pharmacy, written["code"])
    assert answer.status_code == 200, answer.get_data(as_text=True)
    found = Bundle.model_validate(answer.get_json(force=True))
    [entry] = found.entry
    request = entry.resource
    assert (request.status, request.intent) == ("active", "order")
    assert request.dispenseRequest.numberOfRepeatsAllowed == 5
    assert request.dispenseRequest.quantity.value == 60  # a month's
    assert request.medicationCodeableConcept.coding[0].code == "D1002"
    assert counts()["reads"] == reads + 1  # a logged read, as the provider API's


def test_a_cancelled_prescription_is_cancelled_with_its_reason(app, client, written, doctor):
    url = f"/api/provider/prescriptions/{written['code']}/cancel"
    assert (
        client.post(url, json={"reason": "دوز اشتباه"}, headers=bearer(doctor)).status_code == 200
    )
    found = Bundle.model_validate(search(client, doctor, written["code"]).get_json(force=True))
    assert [e.resource.status for e in found.entry] == ["cancelled", "cancelled"]
    assert found.entry[0].resource.statusReason.text == "دوز اشتباه"


def test_a_wrong_identifier_is_an_operation_outcome(app, client, written, doctor):
    answer = client.get(
        "/fhir/MedicationRequest?identifier=" + written["code"], headers=bearer(doctor)
    )
    assert answer.status_code == 400
    assert answer.get_json(force=True)["resourceType"] == "OperationOutcome"


def test_an_unknown_code_is_not_found(app, client, written, doctor):
    answer = search(client, doctor, "000000000000")
    assert answer.status_code in (400, 404)
    assert answer.get_json(force=True)["resourceType"] == "OperationOutcome"


def test_the_coded_diagnoses_are_the_reason_codes(app, client, family, doctor, pharmacy, write):
    body = prescription_body(items=[METFORMIN], diagnoses=["E11.9", "I10"])
    written = write(doctor, body)
    assert written.status_code == 201, written.get_json()
    found = Bundle.model_validate(search(client, pharmacy, written.get_json()["code"]).get_json())
    [entry] = found.entry
    codings = [reason.coding[0] for reason in entry.resource.reasonCode]
    assert [(c.system, c.code) for c in codings] == [
        ("http://hl7.org/fhir/sid/icd-10", "E11.9"),
        ("http://hl7.org/fhir/sid/icd-10", "I10"),
    ]
    assert "diabetes" in codings[0].display.lower()
