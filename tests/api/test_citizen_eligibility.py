"""My eligibility and my family's, as a signed-in insured person sees them."""

from datetime import date

import pytest
from families import (
    DAUGHTER,
    FATHER,
    INSURED,
    INSURED_MOBILE,
    SON,
    WIFE,
    WIFE_MOBILE,
)
from sqlalchemy import select

from server.domain.tracking import is_valid_tracking_code
from server.extensions import db
from server.models import Inquiry, Person

COVERED = "حمایت درمانی دارد"
NOT_COVERED = "حمایت درمانی ندارد"


@pytest.fixture
def insured(family, citizen):
    """Ali, the main insured, signed in."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


def logged(app) -> list[tuple]:
    """(channel, national code, newborn birth date, covered) of every logged inquiry."""
    with app.app_context():
        return [
            (row.channel, row.national_code, row.newborn_birth_date, row.covered)
            for row in db.session.scalars(select(Inquiry).order_by(Inquiry.id))
        ]


def test_my_eligibility(app, insured):
    answer = insured.get("/api/eligibility").get_json()
    assert (answer["covered"], answer["label"]) == (True, COVERED)
    assert answer["valid_until"] == "2026-12-21"
    assert answer["valid_until_jalali"] == "۳۰ آذر ۱۴۰۵"
    assert answer["days_left"] == 30  # 1 Azar to 30 Azar, today included
    assert (answer["basis"], answer["reasons"], answer["notes"]) == ("worker", [], [])
    assert answer["name"] == "علی رضایی"
    assert answer["as_of_note"].startswith("این تاریخ بر اساس شرایط بیمه‌پردازی")
    assert "۱۴۲۰" in answer["objection"]
    assert is_valid_tracking_code(answer["tracking_code"])
    assert logged(app) == [("citizen", INSURED, None, True)]


def test_each_look_gets_a_fresh_tracking_code(insured):
    first = insured.get("/api/eligibility").get_json()["tracking_code"]
    assert insured.get("/api/eligibility").get_json()["tracking_code"] != first


def test_a_son_of_21_without_a_certificate_is_told_why(family, citizen):
    citizen.sign_in(SON, "09131111111")
    answer = citizen.get("/api/eligibility").get_json()
    assert (answer["covered"], answer["label"], answer["days_left"]) == (False, NOT_COVERED, None)
    assert answer["reasons"] == [
        {
            "code": "student_certificate_missing",
            "message": "گواهی تحصیلی معتبر دانشگاهی ثبت نشده است.",
            "note": (
                "تا برقراری تعامل الکترونیکی با پایگاه‌های وزارت علوم، تحقیقات و فناوری و سازمان "
                "ثبت اسناد و املاک کشور، خدمات درمانی این فرزندان طبق ضوابط و روال جاری ارائه "
                "می‌شود."
            ),
        }
    ]


def test_the_family_of_the_main_insured_is_a_short_list_that_logs_nothing(app, insured):
    before = len(logged(app))
    members = insured.get("/api/family").get_json()["members"]
    by_code = {m["national_code"]: m for m in members}
    assert set(by_code) == {WIFE, SON, DAUGHTER, FATHER, None}
    wife, son, daughter, father = (by_code[c] for c in (WIFE, SON, DAUGHTER, FATHER))
    assert (wife["relation"], wife["covered"], wife["valid_until"]) == (
        "spouse",
        True,
        "2026-12-21",
    )
    assert wife["valid_until_jalali"] == "۳۰ آذر ۱۴۰۵"
    assert (son["relation"], son["covered"], son["age"]) == ("child", False, 21)
    assert son["reasons"][0]["code"] == "student_certificate_missing" and son["reasons"][0]["note"]
    assert (daughter["covered"], daughter["age"], daughter["name"]) == (True, 10, "سارا رضایی")
    assert daughter["age_limit_until"] == "2034-06-01"  # the day before her 18th birthday
    assert (father["relation"], father["covered"], father["age"]) == ("parent", True, 62)
    newborn = by_code[None]
    assert (newborn["relation"], newborn["name"], newborn["covered"]) == (
        "newborn",
        "نوزاد پسر",
        True,
    )
    # Born 21 Aban 1405: covered under the mother's code to 20 Azar 1405.
    assert (newborn["valid_until"], newborn["birth_date"]) == ("2026-12-11", "2026-11-12")
    assert [n["code"] for n in newborn["notes"]] == ["newborn"]
    assert members[0] is son  # the one with a problem first, then the cover that ends soonest
    assert members[1] is newborn
    assert all("tracking_code" not in m for m in members)
    assert len({m["member_id"] for m in members}) == 5
    assert len(logged(app)) == before  # a look at the list is no inquiry


def test_opening_a_member_is_one_logged_inquiry_with_a_tracking_code(app, insured):
    members = insured.get("/api/family").get_json()["members"]
    son = next(m for m in members if m["national_code"] == SON)
    before = len(logged(app))
    answer = insured.get(f"/api/family/{son['member_id']}").get_json()
    assert is_valid_tracking_code(answer["tracking_code"])
    assert (answer["name"], answer["covered"]) == ("محمد رضایی", False)
    assert logged(app)[before:] == [("citizen", SON, None, False)]


def test_opening_the_newborn_logs_it_under_the_mothers_code(app, insured):
    members = insured.get("/api/family").get_json()["members"]
    newborn = next(m for m in members if m["relation"] == "newborn")
    before = len(logged(app))
    answer = insured.get(f"/api/family/{newborn['member_id']}").get_json()
    assert is_valid_tracking_code(answer["tracking_code"])
    assert [row[:3] for row in logged(app)[before:]] == [("citizen", WIFE, date(2026, 11, 12))]


@pytest.mark.parametrize("member_id", ["p999999", "b999999", "xyz", "p1' or 1=1"])
def test_someone_not_on_my_family_is_a_404_and_logs_nothing(app, insured, member_id):
    before = len(logged(app))
    response = insured.get(f"/api/family/{member_id}")
    assert (response.status_code, response.get_json()["error"]) == (404, "member_not_found")
    assert response.get_json()["message"] == "این فرد در خانوادهٔ شما ثبت نشده است."
    assert len(logged(app)) == before


def test_another_familys_member_is_a_404(app, family, citizen):
    citizen.sign_in(WIFE, WIFE_MOBILE)
    with app.app_context():
        son_id = db.session.scalar(select(Person.id).where(Person.national_code == SON))
    response = citizen.get(f"/api/family/p{son_id}")
    assert response.status_code == 404


def test_a_mother_who_is_a_dependant_sees_herself_and_her_newborn(family, citizen):
    citizen.sign_in(WIFE, WIFE_MOBILE)
    members = citizen.get("/api/family").get_json()["members"]
    assert [(m["relation"], m["national_code"]) for m in members] == [
        ("newborn", None),
        ("self", WIFE),
    ]
    assert members[0]["valid_until"] == "2026-12-11"
    opened = citizen.get(f"/api/family/{members[0]['member_id']}").get_json()
    assert is_valid_tracking_code(opened["tracking_code"])


def test_a_dependant_with_no_newborn_has_no_family_screen(family, citizen):
    citizen.sign_in(SON, "09131111111")
    response = citizen.get("/api/family")
    assert (response.status_code, response.get_json()["error"]) == (403, "not_main_insured")


def test_reasons_in_english_for_those_who_prefer_it(family, citizen):
    citizen.sign_in(SON, "09131111111")
    answer = citizen.get("/api/eligibility", headers={"Accept-Language": "en"}).get_json()
    assert answer["label"] == NOT_COVERED  # the label is the seed's, in every language
    assert answer["reasons"][0]["message"] == (
        "No valid university enrolment certificate is on record."
    )


def test_over_65_gets_the_free_treatment_line(app, family, citizen, registry):
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{FATHER},حسین,رضایی,1958-02-01,M,09141111111,",
    )
    assert registry.load().exit_code == 0
    citizen.sign_in(FATHER, "09141111111")
    notes = citizen.get("/api/eligibility").get_json()["notes"]
    free = "درمان بیمه‌شدگان ۶۵ سال و بالاتر در بیمارستان‌های دولتی رایگان است."
    assert notes == [{"code": "over_65", "message": free}]
