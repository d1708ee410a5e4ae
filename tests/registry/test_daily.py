"""`flask darman daily`: time alone changes cover, and the daily job brings snapshots to today."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Coverage, OutboxEvent, Person

PENSIONER = "0012345679"
SON = "0034567895"


@pytest.fixture
def today(app):
    """Set the pinned date for one test, then put it back."""
    pinned = app.config["DARMAN_TODAY"]

    def set_today(iso: str) -> None:
        app.config["DARMAN_TODAY"] = iso

    yield set_today
    app.config["DARMAN_TODAY"] = pinned


def snapshot(app, national_code: str) -> tuple:
    """(covered, valid_until, reasons) of one person's snapshot."""
    with app.app_context():
        row = db.session.execute(
            select(Coverage).join(Person).where(Person.national_code == national_code)
        ).scalar_one()
        return row.covered, row.valid_until, row.reasons


def test_daily_rolls_a_pension_on_and_ends_a_sons_cover(app, registry, runner, today):
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{PENSIONER},حسن,محمدی,1960-01-01,M,09121234567,",
        f"{SON},رضا,محمدی,2007-12-10,M,,",  # 19 on 19 Azar 1405 (2026-12-10)
    )
    registry.write(
        "insured.csv",
        "national_code,insurance_number,kind,start_date,end_date",
        f"{PENSIONER},2000000001,pensioner,2020-01-01,",
    )
    registry.write(
        "dependants.csv",
        "insured_national_code,national_code,relation,start_date,end_date",
        f"{PENSIONER},{SON},child,2007-12-10,",
    )
    assert registry.load().exit_code == 0
    # On 1 Azar 1405 a pension covers to the end of Dey; the son to the day before he turns 19.
    assert snapshot(app, PENSIONER) == (True, date(2027, 1, 20), "")
    assert snapshot(app, SON) == (True, date(2026, 12, 9), "")

    today("2026-12-22")  # 1 Dey 1405
    result = runner.invoke(args=["darman", "daily"])
    assert result.exit_code == 0, result.output
    assert snapshot(app, PENSIONER) == (True, date(2027, 2, 19), "")  # end of Bahman
    covered, _, reasons = snapshot(app, SON)
    assert (covered, reasons) == (False, "student_certificate_missing")
    with app.app_context():
        events = db.session.execute(
            select(Person.national_code, OutboxEvent.new).join(Person).order_by(Person.id)
        ).all()
    assert [(code, new["covered"]) for code, new in events] == [(PENSIONER, True), (SON, False)]

    again = runner.invoke(args=["darman", "daily"])
    assert "0 changes" in again.output  # the same day twice changes nothing
