"""`flask darman demo`: a synthetic registry, written as CSV and imported through the importer."""

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import Coverage, Person


@pytest.fixture
def demo(runner, tmp_path):
    """Load 300 synthetic people, keeping the CSV files."""
    result = runner.invoke(args=["darman", "demo", "--people", "300", "--csv", str(tmp_path)])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def coverage(app, national_code: str) -> Coverage:
    """One person's snapshot."""
    with app.app_context():
        return db.session.execute(
            select(Coverage).join(Person).where(Person.national_code == national_code)
        ).scalar_one()


def sample(demo, case: str) -> str:
    """The national code printed for a demo case."""
    for line in demo.output.splitlines():
        if line.strip().startswith(f"{case}:"):
            return line.split(":")[1].split()[0]
    raise AssertionError(f"{case} not printed")


def test_demo_writes_the_csv_and_imports_everyone(app, demo, tmp_path):
    assert {path.name for path in tmp_path.glob("*.csv")} == {
        "persons.csv",
        "insured.csv",
        "dependants.csv",
        "contributions.csv",
        "documents.csv",
        "births.csv",
        "other_insurance.csv",
    }
    with app.app_context():
        people = db.session.scalar(select(func.count()).select_from(Person))
        computed = db.session.scalar(select(func.count()).select_from(Coverage))
    assert people == computed == 300


@pytest.mark.parametrize(
    ("case", "covered", "reason"),
    [
        ("covered_worker", True, ""),
        ("worker_no_recent_contributions", False, "no_recent_contributions"),
        ("son_19_without_certificate", False, "student_certificate_missing"),
        ("son_19_with_certificate", True, ""),
        ("daughter_18_unmarried_verified", True, ""),
        ("daughter_18_without_document", False, "birth_certificate_not_presented"),
        ("pensioner_pension_ended", False, "pension_ended"),
        ("husband_under_60", False, "husband_conditions"),
        ("mother_under_55", False, "parent_conditions"),
        ("deceased", False, "deceased"),
    ],
)
def test_demo_people_show_their_case(app, demo, case, covered, reason):
    snapshot = coverage(app, sample(demo, case))
    assert snapshot.covered is covered
    assert reason in snapshot.reasons.split(",")


def test_demo_over_65_gets_the_free_treatment_note(app, demo):
    assert "over_65" in coverage(app, sample(demo, "over_65")).notes


def test_demo_if_empty_loads_nothing_the_second_time(app, demo, runner):
    again = runner.invoke(args=["darman", "demo", "--people", "50", "--if-empty"])
    assert again.exit_code == 0
    assert "covered_worker" in again.output  # the first run's people, printed again
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)) == 300


def test_the_sample_people_are_registered_so_the_worker_reaches_them(app, demo, runner):
    from server.models import Account, Notification

    assert "demo people registered" in demo.output
    covered = sample(demo, "covered_worker")
    child = sample(demo, "child_under_18")  # has no mobile: cannot sign in, no account
    with app.app_context():
        registered = set(
            db.session.scalars(
                select(Person.national_code).join(Account, Account.person_id == Person.id)
            )
        )
    assert covered in registered and child not in registered
    assert runner.invoke(args=["darman", "worker", "--once"]).exit_code == 0
    with app.app_context():
        waiting = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .join(Account, Account.id == Notification.account_id)
            .join(Person, Person.id == Account.person_id)
            .where(Person.national_code == covered)
        )
    assert waiting > 0  # the demo history's notices wait in the app
