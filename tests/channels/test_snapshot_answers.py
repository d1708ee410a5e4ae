"""What `inquiries.find` reads from the snapshot: covered or not, the date, the basis, the reasons
and the notes, for a known person, one not covered and an unknown code (the tests that mutation
testing runs against `server/inquiries.py`)."""

from datetime import date

from families import FATHER, INSURED, SON, UNKNOWN, WIFE
from sqlalchemy import delete, select, update

from server import inquiries
from server.domain.eligibility import Eligibility
from server.extensions import db
from server.models import Coverage, Person

TODAY = date(2026, 11, 22)


def test_a_covered_person_has_a_date_a_basis_and_no_reasons(app, family):
    with app.app_context():
        answer = inquiries.find(INSURED, TODAY)
    assert answer.person_id is not None
    assert answer.eligibility == Eligibility(True, date(2026, 12, 21), "worker", (), ())


def test_a_cover_that_ran_out_says_so(app, family):
    with app.app_context():
        answer = inquiries.find(INSURED, date(2026, 12, 22))
    assert answer.eligibility == Eligibility(
        False, date(2026, 12, 21), "worker", ("cover_ended",), ()
    )


def test_a_son_without_a_certificate_has_his_reason(app, family):
    with app.app_context():
        answer = inquiries.find(SON, TODAY)
    assert (answer.covered, answer.eligibility.reasons) == (False, ("student_certificate_missing",))
    assert answer.label == "حمایت درمانی ندارد"


def test_a_covered_father_has_his_basis(app, family):
    with app.app_context():
        answer = inquiries.find(FATHER, TODAY)
    assert (answer.covered, answer.eligibility.reasons, answer.eligibility.notes) == (True, (), ())
    assert answer.label == "حمایت درمانی دارد"


def test_an_unknown_code_is_x2(app, family):
    with app.app_context():
        answer = inquiries.find(UNKNOWN, TODAY)
    assert answer.person_id is None
    assert answer.eligibility == Eligibility(False, None, None, ("not_found",))


def test_a_person_not_yet_computed_is_not_insured(app, family, registry):
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{UNKNOWN},رضا,کریمی,1990-01-01,M,,",
    )
    assert registry.load().exit_code == 0
    with app.app_context():
        answer = inquiries.find(UNKNOWN, TODAY)
    assert answer.person_id is not None
    assert (answer.covered, answer.eligibility.valid_until) == (False, None)
    assert answer.eligibility.reasons in (("not_insured",),)


def test_a_person_whose_cover_is_not_computed_yet_is_not_insured(app, family):
    with app.app_context():
        son = db.session.scalar(select(Person.id).where(Person.national_code == SON))
        db.session.execute(delete(Coverage).where(Coverage.person_id == son))
        db.session.commit()
        answer = inquiries.find(SON, TODAY)
    assert answer.person_id == son
    assert answer.eligibility == Eligibility(False, None, None, ("not_insured",))


def _store(national_code: str, **values) -> None:
    """Overwrite the person's snapshot row with `values` (as a recompute might have written)."""
    person = select(Person.id).where(Person.national_code == national_code).scalar_subquery()
    db.session.execute(update(Coverage).where(Coverage.person_id == person).values(**values))
    db.session.commit()


def test_every_stored_reason_and_note_is_read(app, family):
    with app.app_context():
        _store(
            SON,
            reasons="student_certificate_missing,link_ended",
            notes="over_65,second_note",  # the reader splits codes; it does not judge them
        )
        answer = inquiries.find(SON, TODAY)
    assert answer.eligibility == Eligibility(
        False,
        date(2024, 1, 15),
        "child",
        ("student_certificate_missing", "link_ended"),
        ("over_65", "second_note"),
    )


def test_a_covered_person_keeps_the_notes_and_drops_the_reasons(app, family):
    with app.app_context():
        _store(FATHER, reasons="link_ended", notes="over_65")
        answer = inquiries.find(FATHER, TODAY)
    assert (answer.covered, answer.eligibility.reasons, answer.eligibility.notes) == (
        True,
        (),
        ("over_65",),
    )


def test_a_snapshot_without_a_date_is_not_covered(app, family):
    with app.app_context():
        _store(SON, valid_until=None, basis=None, reasons="deceased")
        answer = inquiries.find(SON, TODAY)
    assert answer.eligibility == Eligibility(False, None, None, ("deceased",))


def test_a_newborn_of_an_unknown_mother_is_x2(app, family):
    with app.app_context():
        answer = inquiries.find_newborn(UNKNOWN, date(2026, 11, 12), TODAY)
    assert answer == inquiries.Answer(None, Eligibility(False, None, None, ("not_found",)))


def test_a_newborn_is_answered_on_the_mother(app, family):
    with app.app_context():
        mother = inquiries.find(WIFE, TODAY)
        answer = inquiries.find_newborn(WIFE, date(2026, 11, 12), TODAY)
    assert answer == inquiries.Answer(
        mother.person_id, Eligibility(True, date(2026, 12, 11), "newborn")
    )
    assert answer.label == "حمایت درمانی دارد"
