"""One unit of work per citizen request: the family list is a read (no commit), opening a member
logs one inquiry in one commit, and a request failing half-way logs nothing."""

import pytest
from families import INSURED, INSURED_MOBILE
from sqlalchemy import func, select

from server.api import citizen as citizen_api
from server.extensions import db
from server.models import Inquiry


def inquiries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Inquiry))


@pytest.fixture
def insured(family, citizen):
    """Ali, the main insured, signed in."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


def test_the_family_list_commits_nothing_and_a_member_commits_once(app, insured, count_commits):
    count_commits.reset()
    listed = insured.get("/api/family")
    assert listed.status_code == 200
    assert count_commits.count == 0, count_commits.statements

    member = listed.get_json()["members"][0]["member_id"]
    count_commits.reset()
    opened = insured.get(f"/api/family/{member}")
    assert opened.status_code == 200
    assert count_commits.count == 1, count_commits.statements
    assert inquiries(app) == 1


def test_someone_not_on_my_family_commits_nothing(app, insured, count_commits):
    count_commits.reset()
    assert insured.get("/api/family/p999999").status_code == 404
    assert count_commits.count == 0


def test_a_member_failing_half_way_logs_no_inquiry(app, insured, monkeypatch):
    member = insured.get("/api/family").get_json()["members"][0]["member_id"]

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(citizen_api, "_summary", broken)  # after the inquiry is logged
    answer = insured.get(f"/api/family/{member}")
    assert (answer.status_code, answer.get_json()["error"]) == (500, "internal_error")
    assert inquiries(app) == 0
