"""One unit of work per request: a request that writes commits once, a read commits nothing,
and a request that fails leaves nothing behind (`server/web/unit_of_work.py`)."""

import pytest
from catalogue_loading import load_small_catalogue
from families import INSURED, INSURED_MOBILE
from sqlalchemy import func, select, text
from visits import make_visit

from server.database import after_rollback
from server.extensions import db
from server.models import IdempotencyKey, Inquiry, Prescription, PrescriptionItem
from server.records import idempotency


def bearer(token: str, **headers: str) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}


BODY = {
    "national_code": INSURED,
    "type": "drug",
    "written_on": "2026-11-22",
    "items": [{"code": "D1001", "name": "آموکسی‌سیلین", "quantity": 3}],
}


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def loaded(app, runner, tmp_path, family):
    load_small_catalogue(runner, tmp_path)


def test_a_citizens_reads_commit_nothing_and_a_logged_answer_commits_once(
    app, family, citizen, count_commits
):
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    for url in ("/api/family", "/api/me", "/api/records/access-log"):
        count_commits.reset()
        answer = citizen.get(url)
        assert answer.status_code == 200, (url, answer.get_json())
        assert count_commits.count == 0, (url, count_commits.statements)
    count_commits.reset()
    answer = citizen.get("/api/eligibility")
    assert answer.status_code == 200
    assert count_commits.count == 1, count_commits.statements
    assert rows(app, Inquiry) == 1


def test_a_providers_writes_commit_once_each(app, loaded, doctor, pharmacy, count_commits, client):
    count_commits.reset()
    answer = client.post(
        "/api/provider/eligibility", json={"national_code": INSURED}, headers=bearer(doctor)
    )
    assert answer.status_code == 200
    assert count_commits.count == 1, count_commits.statements

    count_commits.reset()
    written = client.post("/api/provider/prescriptions", json=BODY, headers=bearer(doctor))
    assert written.status_code == 201, written.get_json()
    assert count_commits.count == 1, count_commits.statements
    code = written.get_json()["code"]

    count_commits.reset()
    shown = client.get(f"/api/provider/prescriptions/{code}", headers=bearer(pharmacy))
    assert shown.status_code == 200
    assert count_commits.count == 1, count_commits.statements  # the read is logged

    count_commits.reset()
    delivered = client.post(
        f"/api/provider/prescriptions/{code}/dispense",
        json={"items": [{"code": "D1001", "quantity": 1}]},
        headers=bearer(pharmacy),
    )
    assert delivered.status_code == 200, delivered.get_json()
    assert count_commits.count == 1, count_commits.statements


def test_a_refused_write_commits_nothing_and_leaves_nothing(
    app, loaded, doctor, pharmacy, client, count_commits
):
    make_visit(client, doctor, BODY)
    written = client.post("/api/provider/prescriptions", json=BODY, headers=bearer(doctor))
    code = written.get_json()["code"]
    count_commits.reset()
    over = client.post(
        f"/api/provider/prescriptions/{code}/dispense",
        json={"items": [{"code": "D1001", "quantity": 9}]},
        headers=bearer(pharmacy),
    )
    assert over.status_code == 409
    assert over.get_json()["error"] == "over_dispensed"
    assert "۳" in over.get_json()["message"]  # the refusal's text, with the number in Persian
    with app.app_context():
        item = db.session.scalars(select(PrescriptionItem)).one()
        assert item.dispensed == 0


def test_a_prescription_whose_write_fails_leaves_no_orphan_inquiry(
    app, loaded, doctor, client, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    make_visit(client, doctor, BODY)  # one inquiry, the visit's
    monkeypatch.setattr(idempotency, "remember", broken)
    keyed = bearer(doctor, **{"Idempotency-Key": "k1"})
    answer = client.post(
        "/api/provider/prescriptions",
        json=BODY,
        headers=keyed,
    )
    assert answer.status_code == 500
    assert answer.get_json()["error"] == "internal_error"
    assert rows(app, Inquiry) == 1  # the write's own: logged within the request, undone with it
    assert rows(app, Prescription) == 0
    assert rows(app, IdempotencyKey) == 0

    monkeypatch.undo()
    again = client.post(
        "/api/provider/prescriptions",
        json=BODY,
        headers=keyed,
    )
    assert again.status_code == 201
    assert rows(app, Inquiry) == 2 and rows(app, Prescription) == 1


def test_any_rollback_undoes_what_after_rollback_asked_and_a_commit_keeps_it(app):
    undone = []
    with app.app_context():
        session = db.session()
        session.execute(text("SELECT 1"))
        after_rollback(session, lambda: undone.append("first"))
        savepoint = session.begin_nested()
        savepoint.rollback()
        assert undone == []  # a savepoint's rollback leaves it to the transaction around it
        session.rollback()  # not the unit of work's `roll_back`: a handler's, a command's
        assert undone == ["first"]
        session.execute(text("SELECT 1"))
        after_rollback(session, lambda: undone.append("second"))
        session.commit()
        session.execute(text("SELECT 1"))
        session.rollback()
        assert undone == ["first"]  # committed: what it wrote outside the database stays
