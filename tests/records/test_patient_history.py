"""A doctor reads a patient's last 12 months."""

import pytest
from families import INSURED
from prescribing import bearer, is_persian, prescription_body
from visits import make_visit


@pytest.fixture
def year_old(app, family, doctor, write, monkeypatch) -> dict:
    """A prescription written 13 months ago, and one written 11 months ago."""
    answers = {}
    for name, day in (("old", "2025-10-20"), ("recent", "2025-12-20")):
        monkeypatch.setitem(app.config, "DARMAN_TODAY", day)
        response = write(doctor, prescription_body(written_on=day))
        assert response.status_code == 201
        answers[name] = response.get_json()
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2026-11-22")
    return answers


def test_a_doctor_reads_the_last_12_months(client, year_old, written, doctor, pharmacy, dispense):
    dispense(pharmacy, written["code"], {"D1001": 1})
    response = client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(doctor))
    assert response.status_code == 200
    answer = response.get_json()
    assert (answer["national_code"], answer["since"]) == (INSURED, "2025-11-22")
    assert [r["code"] for r in answer["records"]] == [written["code"], year_old["recent"]["code"]]
    latest = answer["records"][0]
    assert latest["items"][0]["dispensing"][0]["center"] == "داروخانه رازی"
    assert latest["items"][0]["remaining"] == 2
    assert latest["tracking_code"] == written["tracking_code"]


def test_persian_digits_in_the_path(client, written, doctor):
    response = client.get("/api/provider/patients/۰۰۱۲۳۴۵۶۷۹/records", headers=bearer(doctor))
    assert response.status_code == 200
    assert len(response.get_json()["records"]) == 1


def test_a_hospital_reads_an_admitted_patients_history_as_its_doctors_do_in_the_web(
    client, written, make_provider, counts, outbox
):
    hospital = make_provider("بیمارستان شریعتی", "hospital")
    path = f"/api/provider/patients/{INSURED}/records"
    assert client.get(path, headers=bearer(hospital)).status_code == 403  # no inquiry: no visit
    make_visit(client, hospital, {"national_code": INSURED})
    response = client.get(path, headers=bearer(hospital))
    assert response.status_code == 200, response.get_json()
    assert [r["code"] for r in response.get_json()["records"]] == [written["code"]]
    # the patient is told their record was looked at, not «open prescriptions looked up»
    [read] = [e for e in outbox("record_read") if e.new["center"] == "بیمارستان شریعتی"]
    assert (read.new["kind"], read.new["what"]) == ("hospital", "history")


@pytest.mark.parametrize("kind", ["pharmacy", "lab", "imaging", "physio"])
def test_only_those_who_write_read_a_patients_history(client, written, make_provider, counts, kind):
    token = make_provider("مرکز", kind)
    response = client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(token))
    assert response.status_code == 403
    assert counts()["reads"] == 0


def test_a_bad_national_code_is_a_400(client, family, doctor, counts):
    response = client.get("/api/provider/patients/0012345678/records", headers=bearer(doctor))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_national_code"
    assert is_persian(response.get_json()["message"])
    assert counts()["reads"] == 0


def test_without_a_token_the_answer_is_401(client, written):
    assert client.get(f"/api/provider/patients/{INSURED}/records").status_code == 401
