"""The record's routes are one unit of work each: a logged read or a write commits once, a read
that logs nothing commits nothing, and a request that fails half-way leaves nothing behind.

None of the record's operations makes a write stick before the answer (`commit_now`). The
provider routes' `provider_required` (server/auth/providers.py) counts each request against the
token's limit in the request's transaction: committed with the route's writes (one commit), or
alone after the rollback of a refused request (`auth_commits`: one)."""

from pathlib import Path

import pytest
from families import INSURED, SON
from prescribing import bearer, prescription_body
from sqlalchemy import select

from server.auth.providers import AuthenticatedProvider
from server.database import commit_and_follow
from server.extensions import db
from server.models import Provider
from server.records import access, provider_api, writing
from server.records.schemas import PrescriptionRequest


@pytest.fixture
def ask(client):
    """A doctor's eligibility inquiry about Ali (it opens his record to that doctor)."""

    def inquire(token: str) -> None:
        answer = client.post(
            "/api/provider/eligibility", json={"national_code": INSURED}, headers=bearer(token)
        )
        assert answer.status_code == 200, answer.get_json()

    return inquire


@pytest.fixture
def auth_commits(client, doctor, count_commits) -> int:
    """The commits a provider request makes before the record's view runs (its rate-limit
    hit), measured on a request refused by the request layer (a malformed code: a 400)."""
    count_commits.reset()
    assert client.get("/api/provider/prescriptions/12", headers=bearer(doctor)).status_code == 400
    return count_commits.count


def broken_after(monkeypatch, module, name: str) -> None:
    """Make `module.name` do its work, flush it to the database, then fail."""
    real = getattr(module, name)

    def fail_after(*args, **kwargs):
        real(*args, **kwargs)
        db.session.flush()  # the rows are in the database's transaction now
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(module, name, fail_after)


def test_a_citizens_logged_reads_commit_once_and_the_access_log_commits_nothing(
    ali, written, count_commits
):
    for url in ("/api/records", f"/api/records/{written['id']}"):
        count_commits.reset()
        answer = ali.get(url)
        assert answer.status_code == 200, (url, answer.get_json())
        assert count_commits.count == 1, (url, count_commits.statements)  # the read's log
    count_commits.reset()
    assert ali.get("/api/records/access-log").status_code == 200
    assert count_commits.count == 0, count_commits.statements


def test_a_refused_read_commits_nothing_and_logs_nothing(ali, family, counts, count_commits):
    before = counts()
    for url, status in (
        (f"/api/records?national_code={SON}", 403),  # an adult son: not a minor
        ("/api/records/999999", 404),
    ):
        count_commits.reset()
        assert ali.get(url).status_code == status
        assert count_commits.count == 0, (url, count_commits.statements)
    assert counts() == before


def test_a_providers_reads_and_writes_commit_once_each(
    client, written, doctor, pharmacy, ask, dispense, auth_commits, count_commits
):
    code = written["code"]
    count_commits.reset()
    shown = client.get(f"/api/provider/prescriptions/{code}", headers=bearer(pharmacy))
    assert shown.status_code == 200
    assert count_commits.count == 1, (
        count_commits.statements
    )  # the count rides along  # log and alert

    count_commits.reset()
    assert dispense(pharmacy, code, {"D1001": 1}).status_code == 200
    assert count_commits.count == 1, count_commits.statements  # the count rides along

    ask(doctor)
    count_commits.reset()
    read = client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(doctor))
    assert read.status_code == 200, read.get_json()
    assert count_commits.count == 1, count_commits.statements  # the count rides along


def test_a_refused_provider_request_commits_nothing_of_the_record(
    client, written, make_provider, lab, dispense, counts, auth_commits, count_commits
):
    before = counts()
    stranger = make_provider("مطب دیگر", "doctor")  # has asked nothing about Ali
    count_commits.reset()
    refused = client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(stranger))
    assert refused.status_code == 403 and refused.get_json()["error"] == "no_visit"
    assert count_commits.count == auth_commits, count_commits.statements
    count_commits.reset()
    over = dispense(lab, written["code"], {"D1001": 1})
    assert over.status_code == 403 and over.get_json()["error"] == "wrong_center_kind"
    assert count_commits.count == auth_commits, count_commits.statements
    assert counts() == before


def test_a_citizens_read_that_fails_after_logging_leaves_no_log(ali, written, counts, monkeypatch):
    before = counts()
    broken_after(monkeypatch, access, "log_citizen_read")
    assert ali.get("/api/records").status_code == 500
    assert counts() == before


def test_a_providers_read_that_fails_after_logging_leaves_no_log_and_no_alert(
    client, written, pharmacy, counts, monkeypatch
):
    before = counts()
    broken_after(monkeypatch, access, "log_provider_read")
    answer = client.get(f"/api/provider/prescriptions/{written['code']}", headers=bearer(pharmacy))
    assert answer.status_code == 500
    assert counts() == before  # neither the access row nor the outbox event


def test_a_delivery_that_fails_half_way_delivers_nothing(
    client, written, pharmacy, dispense, counts, monkeypatch
):
    before = counts()
    broken_after(monkeypatch, writing, "_after_delivery")  # the items are counted by then
    keyed = {"Idempotency-Key": "k1"}
    assert dispense(pharmacy, written["code"], {"D1001": 2}, **keyed).status_code == 500
    assert counts() == before
    shown = client.get(f"/api/provider/prescriptions/{written['code']}", headers=bearer(pharmacy))
    assert [item["dispensed"] for item in shown.get_json()["items"]] == [0, 0]

    monkeypatch.undo()
    assert dispense(pharmacy, written["code"], {"D1001": 2}, **keyed).status_code == 200


def test_the_visit_window_is_passed_to_the_operation(
    app, client, written, doctor, ask, monkeypatch
):
    """The operation reads no config: the view gives it DARMAN_RECORDS_VISIT_HOURS."""
    seen = []
    real = access.patient_for_provider

    def spy(national_code, provider, hours=access.VISIT_HOURS):
        seen.append(hours)
        return real(national_code, provider, hours)

    monkeypatch.setattr(provider_api.access, "patient_for_provider", spy)
    monkeypatch.setitem(app.config, "DARMAN_RECORDS_VISIT_HOURS", 2)
    ask(doctor)
    assert client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(doctor))
    assert seen == [2]


@pytest.mark.parametrize("text_patient", [True, False])
def test_the_patients_sms_follows_the_commit_unless_not_asked_for(
    app, family, catalogue, doctor, text_patient
):
    """The API texts the patient once the prescription is committed; the demo's history, which
    writes through the same operation, asks for no SMS."""
    sms_file = Path(app.config["DARMAN_SMS_BACKEND"].removeprefix("file:"))

    def texts() -> str:
        return sms_file.read_text(encoding="utf-8") if sms_file.exists() else ""

    before = texts()
    with app.test_request_context():
        row = db.session.scalars(select(Provider).where(Provider.kind == "doctor")).one()
        provider = AuthenticatedProvider(id=row.id, name=row.name, kind=row.kind)
        body = PrescriptionRequest(**prescription_body())
        writing.write_prescription(provider, body, None, "", text_patient=text_patient)
        assert texts() == before  # nothing before the commit
        commit_and_follow(db.session())
    assert (texts() != before) is text_patient
