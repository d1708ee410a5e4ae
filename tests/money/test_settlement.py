"""`darman settle [--date]`: per centre, the day's claims, 80 % of SSO's share paid as an advance
and the rest held; a centre with no contract on the day listed as not payable; a day settled
once (a second run changes nothing and says so); exact sums in rials."""

import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import ClaimLine, Contract, Person, Provider, SettledDay, Settlement

DAY = date(2026, 11, 21)  # the day before the suite's pinned today (1 Azar 1405)


@pytest.fixture
def centres(app, family, make_provider) -> dict[str, int]:
    """A pharmacy contracted from 15 November, a doctor's office with no contract; their ids."""
    make_provider("داروخانه رازی", "pharmacy")
    make_provider("مطب دکتر احمدی", "doctor")
    with app.app_context():
        ids = dict(db.session.execute(select(Provider.name, Provider.id)).all())
        db.session.add(
            Contract(
                provider_id=ids["داروخانه رازی"],
                valid_from=date(2026, 11, 15),
                made_at=datetime.now(UTC),
            )
        )
        db.session.commit()
    return {"pharmacy": ids["داروخانه رازی"], "office": ids["مطب دکتر احمدی"]}


def add_lines(app, provider_id: int, day: date, shares: list[tuple[int, int]]) -> None:
    """Claim lines of a centre on a day, each (patient's share, SSO's share)."""
    with app.app_context():
        person = db.session.scalar(select(Person.id).limit(1))
        for patient, sso in shares:
            db.session.add(
                ClaimLine(
                    provider_id=provider_id, service_date=day, kind="drug", code="D1001",
                    quantity=1, unit_price=patient + sso, price=patient + sso,
                    patient_share=patient, sso_share=sso, rule="outpatient", person_id=person,
                    created_at=datetime.now(UTC), status="open", deducted=0,
                )
            )  # fmt: skip
        db.session.commit()


def settlements(app, day: date = DAY) -> dict[int, tuple]:
    """The day's settlement rows by centre: (lines, SSO's share, advance, held, payable, reason)."""
    with app.app_context():
        rows = db.session.scalars(select(Settlement).where(Settlement.day == day))
        return {
            r.provider_id: (r.lines, r.sso_share, r.advance, r.held, r.payable, r.reason)
            for r in rows
        }


def settle(runner, *options: str):
    """`darman settle` with these options; the result."""
    return runner.invoke(args=["darman", "settle", *options])


def test_a_contracted_centre_gets_80_percent_now_and_the_rest_is_held(app, runner, centres):
    add_lines(app, centres["pharmacy"], DAY, [(300, 701), (30_000, 70_000)])
    add_lines(app, centres["office"], DAY, [(1_500_000, 0)])
    add_lines(app, centres["pharmacy"], date(2026, 11, 20), [(1, 9)])  # another day: not now
    result = settle(runner)  # the day just ended
    assert result.exit_code == 0, result.output
    assert "2026-11-21: settled now; 2 centres, 3 claim lines" in result.output
    assert settlements(app) == {
        centres["pharmacy"]: (2, 70_701, 56_560, 14_141, True, None),  # 56 560.8 → 56 560
        centres["office"]: (1, 0, 0, 0, False, "not_contracted"),
    }
    with app.app_context():
        settled = dict(
            db.session.execute(select(ClaimLine.service_date, ClaimLine.settled_on)).all()
        )
    assert settled == {DAY: DAY, date(2026, 11, 20): None}


def test_a_second_run_changes_nothing_and_says_so(app, runner, centres):
    add_lines(app, centres["pharmacy"], DAY, [(300, 700)])
    assert settle(runner, "--date", "2026-11-21").exit_code == 0
    before = settlements(app)
    add_lines(app, centres["pharmacy"], DAY, [(3, 7)])  # a late line for the settled day
    again = settle(runner, "--date", "2026-11-21")
    assert again.exit_code == 0
    assert "already settled: nothing changed" in again.output
    assert settlements(app) == before
    with app.app_context():  # the straggler waits for the month's review
        assert db.session.scalar(select(db.func.count()).where(ClaimLine.settled_on.is_(None))) == 1


def test_a_contract_starting_mid_month_pays_from_its_first_day(app, runner, centres):
    add_lines(app, centres["pharmacy"], date(2026, 11, 14), [(300, 700)])
    add_lines(app, centres["pharmacy"], date(2026, 11, 15), [(300, 700)])
    assert settle(runner, "--date", "2026-11-14").exit_code == 0
    assert settle(runner, "--date", "2026-11-15").exit_code == 0
    assert settlements(app, date(2026, 11, 14))[centres["pharmacy"]][2:] == (
        0, 700, False, "not_contracted"
    )  # fmt: skip
    assert settlements(app, date(2026, 11, 15))[centres["pharmacy"]][2:] == (
        560, 140, True, None
    )  # fmt: skip


def test_an_interrupted_run_is_finished_only_with_resume(app, runner, centres):
    add_lines(app, centres["pharmacy"], DAY, [(300, 700)])
    with app.app_context():  # a run that began and died before its first batch
        db.session.add(SettledDay(day=DAY, started_at=datetime.now(UTC)))
        db.session.commit()
    refused = settle(runner, "--date", "2026-11-21")
    assert refused.exit_code == 1 and "--resume" in refused.output
    assert settlements(app) == {}
    resumed = settle(runner, "--date", "2026-11-21", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert settlements(app)[centres["pharmacy"]] == (1, 700, 560, 140, True, None)
    with app.app_context():
        assert db.session.get(SettledDay, DAY).finished_at is not None


def test_many_centres_sum_exactly_across_batches(app, runner, centres, monkeypatch):
    from server.money import settlement

    monkeypatch.setattr(settlement, "CENTRES_PER_BATCH", 1)  # one batch per centre
    draw = random.Random(80)
    lines = {
        centre: [(draw.randrange(10**9), draw.randrange(10**10)) for _ in range(40)]
        for centre in centres.values()
    }
    for centre, shares in lines.items():
        add_lines(app, centre, DAY, shares)
    assert settle(runner, "--date", "2026-11-21").exit_code == 0
    pharmacy = settlements(app)[centres["pharmacy"]]
    sso = sum(share for _, share in lines[centres["pharmacy"]])
    assert pharmacy[:4] == (40, sso, sso * 80 // 100, sso - sso * 80 // 100)
    office = settlements(app)[centres["office"]]
    assert office[1:4] == (sum(share for _, share in lines[centres["office"]]), 0, office[1])


def test_a_bad_date_is_refused(runner, centres):
    result = settle(runner, "--date", "1405-13-01")
    assert result.exit_code == 2
    assert "--date" in result.output
