"""What `inquiries.log` writes (every column of the row, the count of the metric) and the tracking
code it returns: valid, unique, drawn again on a collision; and `by_tracking_code`. Fast tests of
the operation itself, which mutation testing runs against `server/inquiries.py`."""

from datetime import UTC, date, datetime

import pytest
from channel_testing import Draws, logged
from families import INSURED, INSURED_MOBILE, UNKNOWN, WIFE
from prometheus_client import REGISTRY
from sqlalchemy import select

from server import inquiries
from server.domain.tracking import is_valid_tracking_code
from server.extensions import db
from server.models import CentreMember, Inquiry

TODAY = date(2026, 11, 22)
ASKED_AT = datetime(2026, 11, 22, 8, 30, 15, tzinfo=UTC)


@pytest.fixture
def asked_at(app, monkeypatch):
    """The app's clock pinned at ASKED_AT (given in Tehran's time)."""
    monkeypatch.setitem(app.config, "DARMAN_NOW", "2026-11-22T12:00:15+03:30")
    return ASKED_AT


@pytest.fixture
def centre(app, runner, family) -> tuple[int, int]:
    """A doctor's office with Ali as its admin: (its provider id, his member id)."""
    result = runner.invoke(
        args=["darman", "centre", "create", "مطب دکتر رضایی", "--kind", "doctor",
              "--admin", f"{INSURED}:{INSURED_MOBILE}"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    provider_id = int(result.output.split()[-1])
    with app.app_context():
        member_id = db.session.scalar(
            select(CentreMember.id).where(CentreMember.provider_id == provider_id)
        )
    return provider_id, member_id


def counted(channel: str, result: str) -> float:
    """The metric's count of logged inquiries of a channel and result so far."""
    labels = {"channel": channel, "result": result}
    return REGISTRY.get_sample_value("darman_inquiries_total", labels) or 0.0


def test_a_covered_answer_is_logged_with_every_column(app, centre, asked_at):
    provider_id, member_id = centre
    with app.app_context():
        answer = inquiries.find(INSURED, TODAY)
        tracking_code = inquiries.log(
            answer,
            channel="web",
            national_code=INSURED,
            provider_id=provider_id,
            member_id=member_id,
        )
        db.session.commit()
        assert logged(tracking_code) == {
            "tracking_code": tracking_code,
            "channel": "web",
            "provider_id": provider_id,
            "member_id": member_id,
            "person_id": answer.person_id,
            "national_code": INSURED,
            "newborn_birth_date": None,
            "covered": True,
            "valid_until": date(2026, 12, 21),
            "asked_at": asked_at,
        }


def test_a_newborn_is_logged_on_the_mother_with_the_birth_date(app, family, asked_at):
    with app.app_context():
        answer = inquiries.find_newborn(WIFE, date(2026, 11, 12), date(2026, 12, 12))
        tracking_code = inquiries.log(
            answer, channel="ussd", national_code=WIFE, newborn_birth_date=date(2026, 11, 12)
        )
        db.session.commit()
        assert logged(tracking_code) == {
            "tracking_code": tracking_code,
            "channel": "ussd",
            "provider_id": None,
            "member_id": None,
            "person_id": answer.person_id,
            "national_code": WIFE,
            "newborn_birth_date": date(2026, 11, 12),
            "covered": False,
            "valid_until": date(2026, 12, 11),
            "asked_at": asked_at,
        }
    assert answer.person_id is not None


def test_an_unknown_code_is_logged_on_nobody(app, family, asked_at):
    with app.app_context():
        answer = inquiries.find(UNKNOWN, TODAY)
        tracking_code = inquiries.log(answer, channel="sms", national_code=UNKNOWN)
        db.session.commit()
        row = logged(tracking_code)
    assert (row["person_id"], row["covered"], row["valid_until"]) == (None, False, None)


def test_the_log_is_the_requests_to_commit(app, family):
    with app.app_context():
        tracking_code = inquiries.log(
            inquiries.find(INSURED, TODAY), channel="citizen", national_code=INSURED
        )
        db.session.rollback()
        assert inquiries.by_tracking_code(tracking_code) is None


@pytest.mark.parametrize(
    ("national_code", "on", "result"),
    [
        pytest.param(INSURED, TODAY, "covered", id="covered"),
        pytest.param(INSURED, date(2026, 12, 22), "not_covered", id="not-covered"),
        pytest.param(UNKNOWN, TODAY, "unknown", id="unknown"),
    ],
)
def test_the_metric_counts_the_logged_answer(app, family, national_code, on, result):
    before = {kind: counted("card", kind) for kind in ("covered", "not_covered", "unknown")}
    with app.app_context():
        inquiries.log(
            inquiries.find(national_code, on), channel="card", national_code=national_code
        )
    grown = {kind: counted("card", kind) - before[kind] for kind in before}
    assert grown == {kind: 1.0 if kind == result else 0.0 for kind in before}


def test_tracking_codes_are_valid_and_unique(app, family):
    with app.app_context():
        answer = inquiries.find(INSURED, TODAY)
        codes = [inquiries.log(answer, channel="citizen", national_code=INSURED) for _ in range(20)]
        db.session.commit()
        stored = db.session.scalars(select(Inquiry.tracking_code)).all()
    assert all(is_valid_tracking_code(code) for code in codes)
    assert sorted(stored) == sorted(set(codes))
    assert len(set(codes)) == 20


TAKEN = "123456789015"
FREE = "100000000008"


def test_a_taken_tracking_code_is_drawn_again(app, family, monkeypatch):
    with app.app_context():
        answer = inquiries.find(INSURED, TODAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        inquiries.log(answer, channel="citizen", national_code=INSURED)
        monkeypatch.setattr(inquiries, "new_tracking_code", draws := Draws(TAKEN, TAKEN, FREE))
        tracking_code = inquiries.log(answer, channel="provider", national_code=INSURED)
        db.session.commit()  # the first log was not undone by the collisions' savepoints
        rows = db.session.execute(select(Inquiry.tracking_code, Inquiry.channel)).all()
    assert (tracking_code, draws.count) == (FREE, 3)
    assert sorted(rows) == sorted([(TAKEN, "citizen"), (FREE, "provider")])


def test_a_tracking_code_taken_every_time_is_an_error(app, family, monkeypatch):
    with app.app_context():
        answer = inquiries.find(INSURED, TODAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        inquiries.log(answer, channel="citizen", national_code=INSURED)
        monkeypatch.setattr(inquiries, "new_tracking_code", draws := Draws(TAKEN))
        with pytest.raises(RuntimeError, match="^could not draw a unique tracking code$"):
            inquiries.log(answer, channel="provider", national_code=INSURED)
        db.session.commit()
        channels = db.session.scalars(select(Inquiry.channel)).all()
    assert draws.count == inquiries.TRACKING_CODE_ATTEMPTS == 5
    assert channels == ["citizen"]


def test_the_last_attempt_may_find_a_free_code(app, family, monkeypatch):
    with app.app_context():
        answer = inquiries.find(INSURED, TODAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        inquiries.log(answer, channel="citizen", national_code=INSURED)
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(*[TAKEN] * 4, FREE))
        assert inquiries.log(answer, channel="provider", national_code=INSURED) == FREE


def test_by_tracking_code_finds_the_inquiry(app, family):
    with app.app_context():
        tracking_code = inquiries.log(
            inquiries.find(WIFE, TODAY), channel="citizen", national_code=WIFE
        )
        inquiries.log(inquiries.find(INSURED, TODAY), channel="citizen", national_code=INSURED)
        db.session.commit()
        found = inquiries.by_tracking_code(tracking_code)
        assert (found.tracking_code, found.national_code) == (tracking_code, WIFE)


def test_by_tracking_code_of_no_inquiry_is_none(app, family):
    with app.app_context():
        inquiries.log(inquiries.find(WIFE, TODAY), channel="citizen", national_code=WIFE)
        db.session.commit()
        assert inquiries.by_tracking_code(FREE) is None
