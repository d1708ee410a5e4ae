"""My eligibility and my family's, as a signed-in insured person sees them."""

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
from server.models import Inquiry

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


def test_the_family_of_the_main_insured(app, insured):
    members = insured.get("/api/family").get_json()["members"]
    by_code = {m["national_code"]: m for m in members}
    assert set(by_code) == {WIFE, SON, DAUGHTER, FATHER, None}
    wife, son, daughter, father = (by_code[c] for c in (WIFE, SON, DAUGHTER, FATHER))
    assert (wife["relation"], wife["covered"], wife["valid_until"]) == (
        "spouse",
        True,
        "2026-12-21",
    )
    assert (son["relation"], son["covered"], son["age"]) == ("child", False, 21)
    assert son["reasons"][0]["code"] == "student_certificate_missing" and son["reasons"][0]["note"]
    assert (daughter["covered"], daughter["age"], daughter["name"]) == (True, 10, "سارا رضایی")
    assert (father["relation"], father["covered"], father["age"]) == ("parent", True, 62)
    newborn = by_code[None]
    assert (newborn["relation"], newborn["name"], newborn["covered"]) == (
        "newborn",
        "نوزاد پسر",
        True,
    )
    # Born 21 Aban 1405: covered under the mother's code to 20 Azar 1405.
    assert newborn["valid_until"] == "2026-12-11"
    assert [n["code"] for n in newborn["notes"]] == ["newborn"]
    codes = [m["tracking_code"] for m in members]
    assert len(set(codes)) == 5 and all(map(is_valid_tracking_code, codes))
    channels = {(channel, code) for channel, code, _, _ in logged(app)}
    assert channels == {("citizen", c) for c in (WIFE, SON, DAUGHTER, FATHER)}
    assert len(logged(app)) == 5  # the newborn is logged under the mother's code
    assert logged(app)[-1][2].isoformat() == "2026-11-12"


def test_a_dependant_sees_themself_but_not_the_family(family, citizen):
    citizen.sign_in(WIFE, WIFE_MOBILE)
    assert citizen.get("/api/eligibility").get_json()["covered"] is True
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
