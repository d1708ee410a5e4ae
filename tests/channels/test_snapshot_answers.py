"""What `inquiries.find` reads from the snapshot: covered or not, the date, the basis, the reasons
and the notes, for a known person, one not covered and an unknown code (the tests that mutation
testing runs against `server/inquiries.py`)."""

from datetime import date

from families import FATHER, INSURED, SON, UNKNOWN
from sqlalchemy import delete, select

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
