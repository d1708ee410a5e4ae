"""`flask darman import`: rows land, coverage is recomputed, bad rows are refused whole-file."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import Base, Contribution, Coverage, DependantLink, OutboxEvent, Person

INSURED = "0012345679"
WIFE = "0023456787"
SON = "0034567895"

PERSONS = (
    "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
    f"{INSURED},علی,رضایی,1980-05-10,M,09121234567,",
    f"{WIFE},زهرا,رضایی,1985-03-03,F,۰۹۱۲۷۶۵۴۳۲۱,",
    f"{SON},محمد,رضایی,2005-01-15,M,,",
)
INSURED_CSV = (
    "national_code,insurance_number,kind,start_date,end_date",
    f"{INSURED},1234567890,worker,2025-01-01,",
)
DEPENDANTS = (
    "insured_national_code,national_code,relation,start_date,end_date",
    f"{INSURED},{WIFE},spouse,2010-01-01,",
    f"{INSURED},{SON},child,2005-01-15,",
)
CONTRIBUTIONS_HEADER = "national_code,jalali_year,jalali_month,days,workshop_code"
CONTRIBUTIONS = (
    CONTRIBUTIONS_HEADER,
    f"{INSURED},1405,7,30,W1",
    f"{INSURED},1405,8,30,W1",
)


def write_family(registry) -> None:
    """An insured worker paid for Mehr and Aban 1405, his wife, and a son of 21 with no
    certificate."""
    registry.write("persons.csv", *PERSONS)
    registry.write("insured.csv", *INSURED_CSV)
    registry.write("dependants.csv", *DEPENDANTS)
    registry.write("contributions.csv", *CONTRIBUTIONS)


def coverage_of(app, national_code: str) -> Coverage:
    """The snapshot row of one person."""
    with app.app_context():
        return db.session.execute(
            select(Coverage).join(Person).where(Person.national_code == national_code)
        ).scalar_one()


def table_contents(app) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, to compare the database before and after."""
    with app.app_context():
        return {
            table.name: sorted(
                (tuple(map(repr, row)) for row in db.session.execute(table.select())), key=str
            )
            for table in Base.metadata.sorted_tables
            if table.name != "import_run"  # the history of runs: one more row a run, by design
        }


def test_import_writes_rows_and_coverage(app, registry):
    write_family(registry)
    result = registry.load()
    assert result.exit_code == 0, result.output
    insured = coverage_of(app, INSURED)
    # 60 days of history (< 1 year) → 1 month after Aban 1405 → 30 Azar 1405.
    assert (insured.covered, insured.valid_until, insured.basis) == (
        True,
        date(2026, 12, 21),
        "worker",
    )
    assert insured.own_valid_until == date(2026, 12, 21)
    wife = coverage_of(app, WIFE)
    assert (wife.covered, wife.valid_until, wife.basis) == (True, date(2026, 12, 21), "spouse")
    son = coverage_of(app, SON)
    assert son.covered is False
    assert "student_certificate_missing" in son.reasons.split(",")
    with app.app_context():
        mobile = db.session.scalar(select(Person.mobile).where(Person.national_code == WIFE))
    assert mobile == "09127654321"  # Persian digits normalised


def test_importing_twice_changes_nothing(app, registry):
    write_family(registry)
    assert registry.load().exit_code == 0
    before = table_contents(app)
    second = registry.load()
    assert second.exit_code == 0, second.output
    assert table_contents(app) == before
    assert "0 people recomputed" in second.output


def test_a_change_is_recomputed_for_the_insured_and_dependants(app, registry):
    write_family(registry)
    assert registry.load().exit_code == 0
    registry.clear()
    registry.write("contributions.csv", CONTRIBUTIONS_HEADER, f"{INSURED},1405,9,31,W1")
    result = registry.load()
    assert result.exit_code == 0, result.output
    # Paid for Azar too: cover now runs to the end of Dey 1405.
    assert coverage_of(app, INSURED).valid_until == date(2027, 1, 20)
    assert coverage_of(app, WIFE).valid_until == date(2027, 1, 20)
    with app.app_context():
        events = db.session.execute(
            select(Person.national_code, OutboxEvent.kind, OutboxEvent.old, OutboxEvent.new)
            .join(Person)
            .order_by(Person.national_code)
        ).all()
    old = {"covered": True, "valid_until": "2026-12-21"}
    new = {"covered": True, "valid_until": "2027-01-20"}
    assert events == [
        (INSURED, "coverage_changed", old, new),
        (WIFE, "coverage_changed", old, new),
    ]  # the son's status did not change, so nothing is told to him


def test_losing_cover_is_an_outbox_event(app, registry):
    write_family(registry)
    assert registry.load().exit_code == 0
    registry.clear()
    registry.write(
        "dependants.csv",
        DEPENDANTS[0],
        f"{INSURED},{WIFE},spouse,2010-01-01,2026-11-01",  # divorced
    )
    assert registry.load().exit_code == 0
    wife = coverage_of(app, WIFE)
    assert wife.covered is False
    with app.app_context():
        event = db.session.execute(select(OutboxEvent)).scalar_one()
    assert event.new == {"covered": False, "valid_until": "2026-11-01"}
    assert event.old == {"covered": True, "valid_until": "2026-12-21"}


BAD_ROWS = [
    pytest.param(
        "persons.csv",
        (PERSONS[0], PERSONS[1], "0012345678,رضا,کریمی,1990-01-01,M,,"),
        "persons.csv:3:",
        "0012345678",
        id="bad-national-code",
    ),
    pytest.param(
        "dependants.csv",
        (DEPENDANTS[0], DEPENDANTS[1], f"{INSURED},{SON},cousin,2005-01-15,"),
        "dependants.csv:3:",
        "cousin",
        id="unknown-relation",
    ),
    pytest.param(
        "contributions.csv",
        (CONTRIBUTIONS_HEADER, f"{INSURED},1405,6,31,W1", f"{INSURED},1405,13,30,W1"),
        "contributions.csv:3:",
        "jalali_month",
        id="month-13",
    ),
    pytest.param(
        "insured.csv",
        (INSURED_CSV[0], f"{INSURED},1234567890,pensioner,2023-02-30,"),
        "insured.csv:2:",
        "2023-02-30",
        id="date-that-does-not-exist",
    ),
    pytest.param(
        "contributions.csv",
        (CONTRIBUTIONS_HEADER, f"{INSURED},1405,6,31,W1", "0045678911,1405,6,31,W1"),
        "contributions.csv:3:",
        "0045678911",
        id="person-not-in-registry",
    ),
    pytest.param(
        "contributions.csv",
        (CONTRIBUTIONS_HEADER, f"{INSURED},1405,6,31", f"{INSURED},1405,5,31,W1"),
        "contributions.csv:2:",
        "",
        id="missing-field",
    ),
]


@pytest.mark.parametrize(("name", "lines", "where", "mentions"), BAD_ROWS)
def test_a_bad_row_rolls_back_its_file_only(app, registry, name, lines, where, mentions):
    write_family(registry)
    assert registry.load().exit_code == 0
    before = table_contents(app)
    registry.clear()
    registry.write(name, *lines)
    result = registry.load()
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith(name)]
    assert len(errors) == 1 and errors[0].startswith(where), result.stderr
    assert mentions in errors[0]
    assert table_contents(app) == before  # not even the good rows of that file


def test_every_bad_row_is_reported_and_other_files_are_kept(app, registry):
    registry.write("persons.csv", *PERSONS)
    registry.write(
        "contributions.csv",
        CONTRIBUTIONS_HEADER,
        f"{INSURED},1405,0,30,W1",
        f"{INSURED},1405,7,32,W1",
        f"{INSURED},1405,8,30,W1",
        f"{INSURED},x,8,30,W1",
    )
    result = registry.load()
    assert result.exit_code == 1
    lines = [line.split(":")[1] for line in result.stderr.splitlines()]
    assert lines == ["2", "3", "5"]
    with app.app_context():
        assert len(db.session.execute(select(Person)).all()) == 3
        assert db.session.execute(select(Contribution)).first() is None


def test_a_file_without_its_columns_is_refused(app, registry):
    registry.write("persons.csv", *PERSONS)
    registry.write("dependants.csv", "insured_national_code,national_code", f"{INSURED},{WIFE}")
    result = registry.load()
    assert result.exit_code == 1
    assert result.stderr.startswith("dependants.csv:1:")
    assert "relation" in result.stderr
    with app.app_context():
        assert db.session.execute(select(DependantLink)).first() is None


def test_persian_digits_and_short_codes_are_normalised(app, registry):
    registry.write(
        "persons.csv",
        PERSONS[0],
        "۱۲۳۴۵۶۷۹,علی,رضایی,1980-05-10,M,+98 912 123 4567,",  # 0012345679 without its zeros
    )
    assert registry.load().exit_code == 0
    with app.app_context():
        person = db.session.execute(select(Person)).scalar_one()
    assert (person.national_code, person.mobile) == (INSURED, "09121234567")


def test_each_file_is_parsed_once(app, registry, monkeypatch):
    """The rows checked whole are kept and applied from a scratch file: no file is read twice,
    and what is written is what a fresh parse would write."""
    import csv

    from server.registry import importer

    readers = []

    class CountingReader(csv.DictReader):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            readers.append(self)

    monkeypatch.setattr(importer.csv, "DictReader", CountingReader)
    write_family(registry)
    result = registry.load()
    assert result.exit_code == 0, result.output
    files = len(list(registry.directory.glob("*.csv")))
    assert len(readers) == files  # one reader a file: checked, then applied from what was kept
    assert coverage_of(app, "0012345679").covered
