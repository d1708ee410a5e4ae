"""Coded diagnoses: WHO ICD-10 from the library, searched by code or title, validated on a
prescription, and shown with their titles in the record and to the doctor."""

from families import INSURED
from prescribing import bearer, prescription_body

from server.clinical import diagnoses


def test_the_search_finds_by_code_with_or_without_its_dot_and_by_title(client, doctor):
    by_code = client.get("/api/provider/diagnoses?q=j019", headers=bearer(doctor)).get_json()
    assert by_code["diagnoses"][0] == {"code": "J01.9", "title": "Acute sinusitis, unspecified"}
    found = client.get("/api/provider/diagnoses?q=E11", headers=bearer(doctor)).get_json()
    assert [entry["code"] for entry in found["diagnoses"]][:2] == ["E11", "E11.0"]
    by_title = client.get(
        "/api/provider/diagnoses?q=acute sinusitis", headers=bearer(doctor)
    ).get_json()["diagnoses"]
    assert {"code": "J01.0", "title": "Acute maxillary sinusitis"} in by_title
    assert all("sinusitis" in entry["title"].lower() for entry in by_title)
    assert len(by_title) <= 20


def test_the_search_needs_a_token(client):
    assert client.get("/api/provider/diagnoses?q=J01").status_code == 401


def test_the_library_decides_what_a_code_is():
    assert diagnoses.normalised("j019") == "J01.9"
    assert diagnoses.normalised("I10") == "I10"
    # a chapter or a block names no diagnosis, and a made-up code is none
    assert diagnoses.normalised("A00-A09") is None
    assert diagnoses.normalised("J01.99") is None


def test_a_prescription_keeps_its_codes_with_titles_in_every_view(
    ali, client, doctor, pharmacy, write
):
    body = prescription_body(diagnoses=["j01.9", "E11.9", "J01.9"])
    written = write(doctor, body)
    assert written.status_code == 201, written.get_json()
    answer = written.get_json()
    assert answer["diagnoses"] == [
        {"code": "J01.9", "title": "Acute sinusitis, unspecified"},
        {"code": "E11.9", "title": "Type 2 diabetes mellitus without complications"},
    ]
    mine = ali.get(f"/api/records/{answer['id']}").get_json()
    assert mine["diagnoses"] == answer["diagnoses"]
    assert mine["diagnosis"] == "عفونت حاد گلو"  # the free text stays beside the codes
    listed = ali.get("/api/records").get_json()["records"][0]
    assert listed["diagnoses"] == answer["diagnoses"]
    history = client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(doctor))
    assert history.get_json()["records"][0]["diagnoses"] == answer["diagnoses"]
    at_counter = client.get(
        f"/api/provider/prescriptions/{answer['code']}", headers=bearer(pharmacy)
    )
    assert at_counter.get_json()["diagnoses"] == answer["diagnoses"]


def test_an_unknown_code_is_a_400_naming_it_and_writes_nothing(family, doctor, write, counts):
    response = write(doctor, prescription_body(diagnoses=["J01.9", "X99.99"]))
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["error"] == "unknown_diagnosis"
    assert answer["field"] == "diagnoses.1"
    assert "X99.99" in answer["message"] and "ICD-10" in answer["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in answer["message"])  # in Persian
    assert counts()["prescriptions"] == 0


def test_the_fhir_reason_codes_name_who_s_icd10_system():
    coded = diagnoses.fhir_reason_codes(diagnoses.described(["J01.9"]))
    assert coded == [
        {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/sid/icd-10",
                    "code": "J01.9",
                    "display": "Acute sinusitis, unspecified",
                }
            ]
        }
    ]
