"""A provider's write whose commit is cut by a failover (the primary stopped by a planned
switchover, or lost) is not refused when it carried an `Idempotency-Key`: the unit of work runs it
again once a primary answers. When the commit had reached the database, the second run finds the
key and answers the first answer; when it had not, the second run writes it — once either way.
Without a key the request cannot find its commit again, and answers 503 as before.

The cut is made where the driver would raise it, around the unit of work's real commit
(`make deploy-check` cuts real commits with a switchover under load: deploy/check/)."""

import psycopg
import pytest
from prescribing import prescription_body
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.models import Dispensing
from server.web import unit_of_work


def cut() -> OperationalError:
    """What psycopg raises when the server goes away while it waits for the commit's answer."""
    return OperationalError("COMMIT", None, psycopg.OperationalError("consuming input failed"))


@pytest.fixture
def cut_commit(monkeypatch):
    """`cut_commit(kept)`: the next request's commit is cut once — after it reached the
    database (`kept`: only its answer is lost) or before (nothing of it is kept)."""
    real = unit_of_work.commit_and_follow
    cuts: list[bool] = []

    def commit(session):
        if not cuts:
            return real(session)
        kept = cuts.pop()
        if kept:
            real(session)
        raise cut()

    def arm(kept: bool) -> None:
        cuts.append(kept)

    monkeypatch.setattr(unit_of_work, "commit_and_follow", commit)
    return arm


@pytest.mark.parametrize("kept", [True, False], ids=["commit-kept", "commit-lost"])
def test_a_keyed_prescription_cut_at_its_commit_is_written_once_and_answered(
    app, family, doctor, write, counts, cut_commit, kept
):
    body = prescription_body()
    cut_commit(kept)
    answer = write(doctor, body, key="rx-cut-1")
    assert answer.status_code == 201, answer.get_json()
    # the first answer when the commit was kept; a fresh write (the only one) when it was lost
    assert ("Idempotent-Replayed" in answer.headers) is kept
    again = write(doctor, body, key="rx-cut-1", visit=False)  # the client's own retry
    assert again.status_code == 201
    assert again.get_json()["code"] == answer.get_json()["code"]
    assert (counts()["prescriptions"], counts()["keys"]) == (1, 1)


def test_a_keyed_dispensing_cut_at_its_commit_delivers_once(
    app, written, pharmacy, dispense, cut_commit
):
    cut_commit(True)
    answer = dispense(pharmacy, written["code"], {"D1001": 2}, **{"Idempotency-Key": "sale-cut"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.headers["Idempotent-Replayed"] == "true"
    again = dispense(pharmacy, written["code"], {"D1001": 2}, **{"Idempotency-Key": "sale-cut"})
    assert again.get_json()["tracking_code"] == answer.get_json()["tracking_code"]
    with app.app_context():
        deliveries = db.session.execute(select(Dispensing)).scalars().all()
        assert [d.quantity for d in deliveries] == [2]  # amoxicillin's 2 of 3, delivered once


def test_a_write_without_a_key_cut_at_its_commit_answers_503_and_is_not_run_again(
    app, family, doctor, write, counts, cut_commit
):
    cut_commit(True)
    answer = write(doctor, prescription_body())
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "2"
    assert answer.get_json()["error"] == "database_unavailable"
    assert counts()["prescriptions"] == 1  # its commit was kept; the doctor is told to look again
