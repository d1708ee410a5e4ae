"""Contracts: `darman centre contract ID --from … [--until …]`, `centre create --contracted`, a
centre contracted on a day iff a contract covers it, and the migration that keeps the old flag."""

from datetime import UTC, date, datetime

from flask_migrate import upgrade
from schema import drop_everything
from sqlalchemy import select, text

from server.extensions import db
from server.models import Base, Contract, Provider
from server.money.contracts import contracted_on


def make_centre(app, runner, *options: str) -> int:
    """A pharmacy made by the CLI (its admin is Ali Rezaei of tests/families.py); its id."""
    result = runner.invoke(
        args=["darman", "centre", "create", "داروخانه امید", "--kind", "pharmacy",
              "--admin", "0012345679:09121234567", *options]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return int(result.output.strip())


def contract(runner, centre_id: int, *options: str):
    """`darman centre contract` with these options; the result."""
    return runner.invoke(args=["darman", "centre", "contract", str(centre_id), *options])


def test_a_contract_covers_its_days_and_no_others(app, runner, family):
    centre = make_centre(app, runner)
    result = contract(runner, centre, "--from", "2026-12-15", "--until", "2027-03-20")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert not contracted_on(centre, date(2026, 12, 14))
        assert contracted_on(centre, date(2026, 12, 15))  # a contract starting mid-month
        assert contracted_on(centre, date(2027, 3, 20))
        assert not contracted_on(centre, date(2027, 3, 21))


def test_an_overlapping_or_backward_contract_is_refused_and_nothing_is_written(app, runner, family):
    centre = make_centre(app, runner)
    assert contract(runner, centre, "--from", "2026-12-15").exit_code == 0
    overlap = contract(runner, centre, "--from", "2027-01-01", "--until", "2027-02-01")
    assert overlap.exit_code == 1
    assert "این مرکز در بخشی از این روزها قرارداد دیگری دارد." in overlap.output
    backward = contract(
        runner, make_centre(app, runner), "--from", "2027-01-02", "--until", "2027-01-01"
    )
    assert backward.exit_code == 1
    unknown = contract(runner, 999_999, "--from", "2027-01-01")
    assert unknown.exit_code == 1
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Contract)) == 1


def test_create_contracted_makes_a_contract_from_today_and_the_flags(app, runner, family):
    centre = make_centre(app, runner, "--contracted", "--sso-owned", "--public", "--city", "یزد")
    with app.app_context():
        row = db.session.get(Provider, centre)
        assert (row.sso_owned, row.public, row.city) == (True, True, "یزد")
        made = db.session.scalars(select(Contract)).one()
        assert (made.provider_id, made.valid_until) == (centre, None)
        assert contracted_on(centre, made.valid_from)


def test_the_migration_keeps_a_contracted_centre_contracted(app):
    made = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
    with app.app_context():
        drop_everything()
        try:
            upgrade(revision="staffreads_1")
            with db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO provider (name, kind, created_at, contracted) VALUES"
                        " ('مطب قدیمی', 'doctor', :at, true), ('مطب دیگر', 'doctor', :at, false)"
                    ),
                    {"at": made},
                )
            upgrade()
            with db.engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT provider_id, valid_from, valid_until FROM contract")
                ).all()
        finally:
            db.session.remove()
            drop_everything()
            Base.metadata.create_all(db.engine)
    assert [(row[0], str(row[1]), row[2]) for row in rows] == [(1, "2026-05-01", None)]
