"""`daily` recomputes only the people whose answer can change that day (issue 11 §6): on a
registry where it changes for a known few, only they are computed and written."""

from datetime import date

import pytest
from sqlalchemy import event, select

from server.extensions import db
from server.models import Coverage, JobRun, Person
from server.registry.due import due_people

PERSONS_HEADER = "national_code,first_name,last_name,birth_date,sex,mobile,death_date"
CONTRIBUTIONS_HEADER = "national_code,jalali_year,jalali_month,days,workshop_code"


def code(n: int) -> str:
    """The n-th valid national code of this test (nine digits and their check digit)."""
    nine = f"{n:09d}"
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(nine)) % 11
    return nine + str(remainder if remainder < 2 else 11 - remainder)


WORKER, SON, DAUGHTER, WIFE, PENSIONER, GRANDSON = (code(n) for n in range(101, 107))
STABLE = [code(n) for n in range(200, 230)]  # self-employed, paid far ahead: nothing changes


@pytest.fixture
def today(app):
    """Set the pinned date for one test, then put it back."""
    pinned = app.config["DARMAN_TODAY"]

    def set_today(iso: str) -> None:
        app.config["DARMAN_TODAY"] = iso

    yield set_today
    app.config["DARMAN_TODAY"] = pinned


def load(registry) -> None:
    """A self-employed insured paid to Shahrivar 1406 with a son who turns 19 on 19 Azar 1405
    (2026-12-10), a daughter of 20 whose "unmarried" paper starts that day, a wife whose link
    starts that day; a pensioner with a grandchild-free son; and thirty who change nothing."""
    registry.write(
        "persons.csv",
        PERSONS_HEADER,
        f"{WORKER},علی,رضایی,1975-05-10,M,,",
        f"{SON},محمد,رضایی,2007-12-10,M,,",
        f"{DAUGHTER},مریم,رضایی,2006-03-01,F,,",
        f"{WIFE},زهرا,رضایی,1980-03-03,F,,",
        f"{PENSIONER},حسن,محمدی,1955-01-01,M,,",
        f"{GRANDSON},رضا,محمدی,2015-06-01,M,,",
        *(f"{c},نفر,ثابت,1990-01-01,M,," for c in STABLE),
    )
    registry.write(
        "insured.csv",
        "national_code,insurance_number,kind,start_date,end_date",
        f"{WORKER},1000000001,self_employed,2020-01-01,",
        f"{PENSIONER},1000000002,pensioner,2020-01-01,",
        *(f"{c},2{i:09d},self_employed,2020-01-01," for i, c in enumerate(STABLE)),
    )
    registry.write(
        "dependants.csv",
        "insured_national_code,national_code,relation,start_date,end_date",
        f"{WORKER},{SON},child,2007-12-10,",
        f"{WORKER},{DAUGHTER},child,2006-03-01,",
        f"{WORKER},{WIFE},spouse,2026-12-10,",
        f"{PENSIONER},{GRANDSON},child,2015-06-01,",
    )
    registry.write(
        "documents.csv",
        "national_code,kind,valid_from,valid_until",
        f"{DAUGHTER},unmarried_verified,2026-12-10,2027-06-01",
    )
    registry.write(
        "contributions.csv",
        CONTRIBUTIONS_HEADER,
        *(f"{c},1406,6,30,W{i}" for i, c in enumerate([WORKER, *STABLE])),
    )
    assert registry.load().exit_code == 0


def written_on(app, day: date) -> dict[str, tuple]:
    """The snapshots computed on `day`: national code → (covered, valid_until)."""
    with app.app_context():
        rows = db.session.execute(
            select(Person.national_code, Coverage.covered, Coverage.valid_until)
            .join(Coverage)
            .where(Coverage.computed_on == day)
        )
        return {national_code: (covered, until) for national_code, covered, until in rows}


def daily(runner) -> str:
    """Run `darman daily`; its output."""
    result = runner.invoke(args=["darman", "daily"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_day_recomputes_and_writes_only_the_few_it_changes(app, registry, runner, today):
    today("2026-12-09")
    load(registry)
    assert daily(runner).startswith("36 people recomputed")  # the first run: everyone
    with app.app_context():
        assert db.session.get(JobRun, "daily").last_on == date(2026, 12, 9)

    today("2026-12-10")  # 19 Azar 1405: the son is 19, the paper and the link start
    output = daily(runner)
    assert output.startswith("3 people recomputed, 3 changes in the outbox"), output
    insured_until = date(2027, 9, 22)  # end of Shahrivar 1406 (R2)
    assert written_on(app, date(2026, 12, 10)) == {
        SON: (False, date(2026, 12, 9)),
        DAUGHTER: (True, date(2027, 6, 1)),
        WIFE: (True, insured_until),
    }

    assert daily(runner).startswith("0 people recomputed")  # the same day again: nobody is due


def test_a_month_start_rolls_pensions_on_and_a_missed_day_is_caught_up(
    app, registry, runner, today
):
    today("2026-12-09")
    load(registry)
    daily(runner)
    today("2026-12-22")  # 1 Dey 1405, thirteen days later: everything in between is caught up
    output = daily(runner)
    assert output.startswith("5 people recomputed"), output  # + the pensioner and his son
    written = written_on(app, date(2026, 12, 22))
    assert written[PENSIONER] == (True, date(2027, 2, 19))  # end of Bahman, was end of Dey
    assert written[GRANDSON] == (True, date(2027, 2, 19))
    assert not set(written) & set(STABLE)


@pytest.mark.sqlite  # the plan is read from SQLite's EXPLAIN QUERY PLAN
def test_the_due_queries_use_indexes(app, database_url):
    with app.app_context():
        connection = db.session.connection()
        plans: list[str] = []

        def explain(conn, cursor, statement, parameters, context, executemany):
            if statement.startswith("SELECT"):
                plan = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                plans.append(" ".join(str(row[-1]) for row in plan))

        event.listen(db.engine, "before_cursor_execute", explain)
        try:
            due_people(connection, date(2026, 12, 21), date(2026, 12, 22))
        finally:
            event.remove(db.engine, "before_cursor_execute", explain)
    assert len(plans) == 10
    assert all("USING" in plan and "INDEX" in plan for plan in plans), plans
