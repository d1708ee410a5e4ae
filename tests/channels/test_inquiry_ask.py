"""The hot path, `inquiries.ask`: covered or not on a day (the last covered day and the day
after), an unknown code, a person not yet computed; the row it logs and the metric it counts;
a taken tracking code; `first`, run before it on its connection. Fast tests of the operation
itself, which mutation testing runs against `server/inquiries.py`."""

from datetime import UTC, date, datetime, timedelta

import pytest
from channel_testing import Draws, logged
from families import INSURED, SON, UNKNOWN
from prometheus_client import REGISTRY
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server import inquiries
from server.auth import rate_limits
from server.domain.refusal import TooMany
from server.domain.tracking import is_valid_tracking_code
from server.extensions import db
from server.models import Coverage, Inquiry, Person, Provider, RateBucket
from server.prepared import prepared_connection

LAST_DAY = date(2026, 12, 21)
DAY_AFTER = date(2026, 12, 22)
ASKED_AT = datetime(2026, 11, 22, 8, 30, 15, tzinfo=UTC)
TAKEN = "123456789015"
FREE = "100000000008"


@pytest.fixture(autouse=True)
def statement_built_now(monkeypatch):
    """The hot path's statement built afresh for each test, so that the tests check its building
    too (it is built once at import, before mutation testing changes the code)."""
    built = {
        "sqlite": inquiries._ask_statement(sqlite_insert),
        "postgresql": inquiries._ask_statement(postgresql_insert),
    }
    monkeypatch.setattr(inquiries, "_ASK", built)


@pytest.fixture
def asked_at(app, monkeypatch):
    """The app's clock pinned at ASKED_AT (given in Tehran's time)."""
    monkeypatch.setitem(app.config, "DARMAN_NOW", "2026-11-22T12:00:15+03:30")
    return ASKED_AT


@pytest.fixture
def provider_id(app, runner) -> int:
    """A doctor's office's provider id."""
    result = runner.invoke(args=["darman", "provider", "create", "مطب", "--kind", "doctor"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(select(Provider.id))


def person_id(national_code: str) -> int | None:
    """The registry id of a national code."""
    return db.session.scalar(select(Person.id).where(Person.national_code == national_code))


def counted(result: str) -> float:
    """The metric's count of the provider channel's logged inquiries of a result so far."""
    labels = {"channel": "provider", "result": result}
    return REGISTRY.get_sample_value("darman_inquiries_total", labels) or 0.0


def ask(national_code: str, on: date, **options) -> tuple[bool, str]:
    """`inquiries.ask` on the provider channel."""
    options.setdefault("provider_id", None)
    return inquiries.ask(national_code, on, channel="provider", **options)


@pytest.mark.parametrize(
    ("national_code", "on", "covered", "valid_until"),
    [
        pytest.param(INSURED, LAST_DAY, True, LAST_DAY, id="last-day"),
        pytest.param(INSURED, DAY_AFTER, False, LAST_DAY, id="day-after"),
        pytest.param(SON, LAST_DAY, False, date(2024, 1, 15), id="not-covered"),
    ],
)
def test_a_known_person_is_logged_with_every_column(
    app, family, provider_id, asked_at, national_code, on, covered, valid_until
):
    with app.app_context():
        answer = ask(national_code, on, provider_id=provider_id)
        assert answer == (covered, answer[1])
        assert answer[0] is covered
        assert logged(answer[1]) == {
            "tracking_code": answer[1],
            "channel": "provider",
            "provider_id": provider_id,
            "member_id": None,
            "person_id": person_id(national_code),
            "national_code": national_code,
            "newborn_birth_date": None,
            "covered": covered,
            "valid_until": valid_until,
            "asked_at": asked_at,
        }


def test_the_time_asked_is_found_in_sql_at_its_very_instant(app, family, asked_at):
    """As the records' visit rule and the prune compare it: the hot path writes the time as the
    models do (on SQLite, the very same text)."""
    with app.app_context():
        _, tracking_code = ask(INSURED, LAST_DAY)
        found = db.session.scalars(
            select(Inquiry.tracking_code).where(Inquiry.asked_at == asked_at)
        )
        assert found.all() == [tracking_code]


def test_an_unknown_code_is_logged_on_nobody(app, family):
    with app.app_context():
        covered, tracking_code = ask(UNKNOWN, LAST_DAY)
        row = logged(tracking_code)
    assert covered is False
    assert (row["person_id"], row["national_code"], row["covered"], row["valid_until"]) == (
        None,
        UNKNOWN,
        False,
        None,
    )


def test_a_person_not_yet_computed_is_not_covered(app, family):
    with app.app_context():
        son = person_id(SON)
        db.session.execute(delete(Coverage).where(Coverage.person_id == son))
        db.session.commit()
        covered, tracking_code = ask(SON, LAST_DAY)
        row = logged(tracking_code)
    assert covered is False
    assert (row["person_id"], row["covered"], row["valid_until"]) == (son, False, None)


@pytest.mark.parametrize(
    ("national_code", "on", "result"),
    [
        pytest.param(INSURED, LAST_DAY, "covered", id="covered"),
        pytest.param(INSURED, DAY_AFTER, "not_covered", id="not-covered"),
        pytest.param(UNKNOWN, LAST_DAY, "unknown", id="unknown"),
    ],
)
def test_the_metric_counts_the_answer(app, family, national_code, on, result):
    before = {kind: counted(kind) for kind in ("covered", "not_covered", "unknown")}
    with app.app_context():
        ask(national_code, on)
    grown = {kind: counted(kind) - before[kind] for kind in before}
    assert grown == {kind: 1.0 if kind == result else 0.0 for kind in before}


def test_tracking_codes_are_valid_and_unique(app, family):
    with app.app_context():
        codes = [ask(INSURED, LAST_DAY)[1] for _ in range(20)]
        stored = db.session.scalars(select(Inquiry.tracking_code)).all()
    assert all(is_valid_tracking_code(code) for code in codes)
    assert sorted(stored) == sorted(set(codes))
    assert len(set(codes)) == 20


def test_a_taken_tracking_code_is_drawn_again(app, family, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        ask(UNKNOWN, LAST_DAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", draws := Draws(TAKEN, TAKEN, FREE))
        answer = ask(INSURED, LAST_DAY)
        rows = db.session.execute(select(Inquiry.tracking_code, Inquiry.national_code)).all()
    assert (answer, draws.count) == ((True, FREE), 3)
    assert sorted(rows) == sorted([(TAKEN, UNKNOWN), (FREE, INSURED)])


def test_a_tracking_code_taken_every_time_is_an_error(app, family, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        ask(UNKNOWN, LAST_DAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", draws := Draws(TAKEN))
        with pytest.raises(RuntimeError, match="^could not draw a unique tracking code$"):
            ask(INSURED, LAST_DAY)
        codes = db.session.scalars(select(Inquiry.national_code)).all()
    assert draws.count == inquiries.TRACKING_CODE_ATTEMPTS == 5
    assert codes == [UNKNOWN]


def test_the_last_attempt_may_find_a_free_code(app, family, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        ask(UNKNOWN, LAST_DAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(*[TAKEN] * 4, FREE))
        assert ask(INSURED, LAST_DAY) == (True, FREE)


LIMIT = rate_limits.Limit("test:count", 10, timedelta(minutes=1))
ONE_A_MINUTE = rate_limits.Limit("test:one", 1, timedelta(minutes=1))


def bucket_levels() -> dict[str, float]:
    """Each bucket's level, read on the session (another connection than the hot path's)."""
    return dict(db.session.execute(select(RateBucket.key, RateBucket.level)).all())


def test_the_count_commits_with_the_inquiry(app, family):
    with app.app_context():
        _, tracking_code = ask(INSURED, LAST_DAY, count=LIMIT)
        assert bucket_levels() == {LIMIT.key: 1.0}
        assert logged(tracking_code)["national_code"] == INSURED
        with prepared_connection(inquiries.log_engine()) as connection:
            ask(INSURED, LAST_DAY, count=LIMIT, connection=connection)
        with prepared_connection(inquiries.log_engine()) as next_one:
            assert next_one is connection  # the thread's own, kept for the next inquiry
        assert bucket_levels()[LIMIT.key] == pytest.approx(2.0, abs=0.01)


def test_a_full_bucket_logs_nothing_and_says_when(app, family):
    with app.app_context():
        ask(INSURED, LAST_DAY, count=ONE_A_MINUTE)
        with pytest.raises(TooMany) as refused:
            ask(INSURED, LAST_DAY, count=ONE_A_MINUTE)
        assert len(db.session.scalars(select(Inquiry.id)).all()) == 1
        assert bucket_levels() == {ONE_A_MINUTE.key: 1.0}
    assert refused.value.code == "rate_limited"
    assert 55 <= refused.value.retry_after <= 60  # the one hit leaves the bucket in a minute
    assert refused.value.words == {"limit": "token"}


def test_a_tracking_code_drawn_twice_is_counted_once(app, family, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        ask(UNKNOWN, LAST_DAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", draws := Draws(TAKEN, FREE))
        assert ask(INSURED, LAST_DAY, count=LIMIT) == (True, FREE)
        assert bucket_levels() == {LIMIT.key: 1.0}
    assert draws.count == 2


@pytest.mark.sqlite  # PostgreSQL's hot path runs in autocommit: each statement stands alone
def test_an_inquiry_that_fails_leaves_no_count(app, family, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(TAKEN))
        ask(UNKNOWN, LAST_DAY)
        monkeypatch.setattr(inquiries, "new_tracking_code", Draws(*[TAKEN] * 5))
        with pytest.raises(RuntimeError):
            ask(INSURED, LAST_DAY, count=LIMIT)
        assert bucket_levels() == {}


@pytest.mark.postgresql
def test_on_postgresql_the_hot_path_has_a_pool_of_its_own(app):
    with app.app_context():
        engine = inquiries.log_engine()
        assert engine is not db.engine
        assert engine.url == db.engine.url
        assert inquiries.log_engine() is engine
        with engine.connect() as connection:
            assert connection.connection.driver_connection.autocommit is True
            setting = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
    assert setting == "off"


@pytest.mark.postgresql
def test_on_postgresql_each_process_has_its_own_pool(app, monkeypatch):
    with app.app_context():
        engine = inquiries.log_engine()
        monkeypatch.setattr(inquiries.os, "getpid", lambda: -1)  # as in a forked worker
        assert inquiries.log_engine() is not engine


@pytest.mark.sqlite
def test_on_sqlite_the_hot_path_shares_the_apps_engine(app):
    with app.app_context():
        assert inquiries.log_engine() is db.engine
