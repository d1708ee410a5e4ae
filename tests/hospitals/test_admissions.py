"""Admissions (issue 26): a hospital's inpatient eligibility answer, logged as its inquiry, with
any other base insurer on the day and the next step; a newborn under the mother's code;
discharge by the admitting hospital once; bad input refused in the request's language, changing
nothing."""

import pytest
from families import INSURED, UNKNOWN, WIFE
from hospital_help import TODAY, bearer
from sqlalchemy import func, select

from server.extensions import db
from server.models import Admission, Inquiry, Provider


def counts(app) -> tuple[int, int]:
    """(admissions, inquiries) on record."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Admission)),
            db.session.scalar(select(func.count()).select_from(Inquiry)),
        )


def test_an_admission_answers_eligibility_logged_as_the_hospitals_inquiry(
    app, family, hospital, admit
):
    response = admit(hospital)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["covered"] is True and body["label"] == "حمایت درمانی دارد"
    assert body["overlap"] == [] and body["next_step"] is None
    assert body["admitted_on"] == TODAY and body["ward"] == "داخلی ۲"
    with app.app_context():
        inquiry = db.session.scalars(
            select(Inquiry).where(Inquiry.tracking_code == body["tracking_code"])
        ).one()
        name = db.session.get(Provider, inquiry.provider_id).name
    assert (inquiry.national_code, inquiry.covered, name) == (
        INSURED,
        True,
        "بیمارستان دانشگاهی کامکار",
    )


def test_another_base_insurer_on_the_day_is_named_with_the_next_step(
    app, other_insurer, hospital, admit
):
    body = admit(hospital).get_json()
    assert body["overlap"] == [{"insurer": "بیمه سلامت"}]  # the ended one is not an overlap
    assert "بیمه" in body["next_step"] and body["covered"] is True
    with app.app_context():
        assert db.session.get(Admission, body["id"]).overlap == "بیمه سلامت"


def test_a_newborn_is_admitted_under_the_mothers_code(app, family, hospital, admit):
    response = admit(
        hospital, national_code=None, mother_national_code=WIFE, birth_date="2026-11-12"
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["covered"] is True
    with app.app_context():
        inquiry = db.session.scalars(select(Inquiry)).one()
    assert (inquiry.national_code, inquiry.newborn_birth_date.isoformat()) == (WIFE, "2026-11-12")
    again = admit(hospital)  # the mother's own admission is another stay
    assert again.status_code == 201


def test_discharge_only_by_the_admitting_hospital_and_only_once(
    app, family, hospital, other_hospital, client, admit
):
    admission = admit(hospital).get_json()["id"]
    url = f"/api/provider/admissions/{admission}/discharge"
    assert client.post(url, headers=bearer(other_hospital)).status_code == 404
    first = client.post(url, headers=bearer(hospital))
    assert first.status_code == 200 and first.get_json()["discharged_on"] == TODAY
    second = client.post(url, headers=bearer(hospital))
    assert second.status_code == 409 and second.get_json()["error"] == "already_discharged"
    assert admit(hospital).status_code == 201  # discharged: may be admitted again


def test_a_patient_in_the_hospital_is_not_admitted_twice(app, family, hospital, admit):
    assert admit(hospital).status_code == 201
    again = admit(hospital)
    assert again.status_code == 409 and again.get_json()["error"] == "already_admitted"
    assert counts(app) == (1, 1)


def test_only_hospitals_admit(app, family, doctor, pharmacy, admit):
    for token in (doctor, pharmacy):
        response = admit(token)
        assert response.status_code == 403
        assert response.get_json()["message"] == "فقط بیمارستان‌ها بیمار بستری می‌کنند."
    assert counts(app) == (0, 0)


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"admitted_on": "2026-11-23"}, "admitted_in_future", "admitted_on"),
        ({"admitted_on": "2026-11-01"}, "admitted_too_long_ago", "admitted_on"),
        ({"admitted_on": "2026-02-30"}, "invalid_date", "admitted_on"),
        ({"ward": "  "}, "invalid_request", "ward"),
        ({"mother_national_code": WIFE}, "ambiguous_patient", "body"),
        ({"national_code": "0012345678"}, "invalid_national_code", "national_code"),
        ({"national_code": UNKNOWN}, "unknown_patient", None),
    ],
)
def test_bad_input_is_refused_in_persian_and_changes_nothing(
    app, family, hospital, admit, fields, error, field
):
    response = admit(hospital, **fields)
    body = response.get_json()
    assert response.status_code in (400, 404) and body["error"] == error, body
    assert any("\u0600" <= ch <= "\u06ff" for ch in body["message"]), body["message"]
    if field:
        assert body.get("field") == field
    assert counts(app) == (0, 0)


def test_a_discharge_of_no_admission_is_404(client, family, hospital):
    response = client.post("/api/provider/admissions/99/discharge", headers=bearer(hospital))
    assert response.status_code == 404 and response.get_json()["error"] == "unknown_admission"
