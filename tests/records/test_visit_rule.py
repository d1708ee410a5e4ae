"""A doctor reads only the records of a patient they have just seen: one they made an
eligibility inquiry about within DARMAN_RECORDS_VISIT_HOURS (24), in any of their channels."""

import json

import pytest
from families import INSURED, SON, UNKNOWN
from prescribing import bearer
from sqlalchemy import text

from server.extensions import db

NO_VISIT = {
    "error": "no_visit",
    "message": (
        "پروندهٔ بیمار را تنها پس از استعلام استحقاق درمان او در ۲۴ ساعت گذشته می‌توانید ببینید."
    ),
}


@pytest.fixture
def ask(client):
    """A provider's general inquiry about a national code (the start of a visit)."""

    def inquire(token: str, national_code: str) -> None:
        response = client.post(
            "/api/provider/eligibility", json={"national_code": national_code},
            headers=bearer(token),
        )  # fmt: skip
        assert response.status_code == 200, response.get_json()

    return inquire


def read(client, token: str, national_code: str = INSURED):
    """The doctor's read of a patient's records."""
    return client.get(f"/api/provider/patients/{national_code}/records", headers=bearer(token))


def test_without_an_inquiry_the_record_is_closed(client, family, doctor, counts):
    response = read(client, doctor)
    assert response.status_code == 403
    assert response.get_json() == NO_VISIT
    assert counts()["reads"] == counts()["outbox"] == 0


def test_an_inquiry_opens_the_record_for_24_hours(client, family, doctor, ask, clock, counts):
    ask(doctor, INSURED)
    clock.move(hours=23, minutes=59)
    assert read(client, doctor).status_code == 200
    clock.move(minutes=2)
    response = read(client, doctor)
    assert response.status_code == 403
    assert response.get_json()["error"] == "no_visit"
    assert counts()["reads"] == 1


def test_the_window_is_a_setting(app, client, family, doctor, ask, clock, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_RECORDS_VISIT_HOURS", 2)
    ask(doctor, INSURED)
    clock.move(hours=2, minutes=1)
    response = read(client, doctor)
    assert response.status_code == 403
    assert "۲ ساعت" in response.get_json()["message"]


def test_another_doctors_inquiry_opens_nothing(client, family, doctor, make_provider, ask):
    other = make_provider("مطب دکتر کریمی", "doctor")
    ask(other, INSURED)
    assert read(client, doctor).status_code == 403
    assert read(client, other).status_code == 200


def test_an_inquiry_about_someone_else_opens_nothing(client, family, doctor, ask):
    ask(doctor, SON)
    assert read(client, doctor, INSURED).status_code == 403
    assert read(client, doctor, SON).status_code == 200


def test_an_unknown_code_is_the_same_403_even_after_an_inquiry(client, family, doctor, ask):
    unasked = read(client, doctor, UNKNOWN)
    ask(doctor, UNKNOWN)
    asked = read(client, doctor, UNKNOWN)
    assert unasked.status_code == asked.status_code == 403
    assert unasked.get_json() == asked.get_json() == NO_VISIT


def test_an_inquiry_through_fhir_is_a_visit_too(client, family, doctor):
    request = {
        "resourceType": "CoverageEligibilityRequest",
        "status": "active",
        "purpose": ["validation"],
        "patient": {"identifier": {"system": "urn:darman:national-code", "value": INSURED}},
        "created": "2026-11-22T09:30:00+03:30",
        "insurer": {"display": "سازمان تأمین اجتماعی"},
    }
    response = client.post(
        "/fhir/CoverageEligibilityRequest/$submit", data=json.dumps(request),
        headers={**bearer(doctor), "Content-Type": "application/fhir+json"},
    )  # fmt: skip
    assert response.status_code == 200, response.get_data(as_text=True)
    assert read(client, doctor).status_code == 200


def test_the_visit_lookup_uses_its_index(app, family):
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        if postgresql:
            # On a near-empty table the planner may pick any index, so give it (inside this
            # transaction, rolled back below) thousands of recent inquiries by other askers:
            # then only the provider's index is selective, and fresh statistics say so.
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            db.session.execute(
                text(
                    "INSERT INTO inquiry (tracking_code, channel, national_code, covered, "
                    "asked_at) SELECT 'X' || g, 'sms', lpad(g::text, 10, '0'), false, "
                    "TIMESTAMPTZ '2026-11-25 10:00+03:30' FROM generate_series(1, 5000) AS g"
                )
            )
            db.session.execute(text("ANALYZE inquiry"))
        query = (
            "SELECT id FROM inquiry WHERE provider_id = 1 AND national_code = '0012345679' "
            "AND asked_at >= '2026-11-21' LIMIT 1"
        )
        explain = "EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN "
        plan = " ".join(str(row) for row in db.session.execute(text(explain + query)))
        db.session.rollback()
    assert "ix_inquiry_provider_national_code_asked" in plan
