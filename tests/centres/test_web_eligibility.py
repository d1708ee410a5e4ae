"""Eligibility in the browser: the seed's label large with the tracking code, logged as channel
`web` with the member, and «استعلام‌های امروز»; a doctor opens a visiting patient's history."""

import re

import pytest
from families import INSURED, INSURED_MOBILE, SON, WIFE, WIFE_MOBILE
from sqlalchemy import func, select

from server.extensions import db
from server.models import Inquiry, RecordAccess


@pytest.fixture
def receptionist(clinic, centre_browser):
    """Ali, the clinic's admin, signed in (SMS only)."""
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    return centre_browser


def check(browser, status: int = 200, **fields):
    """Submit the eligibility form; the page's text (its status checked)."""
    answer = browser.post("/centre/eligibility", fields)
    assert answer.status_code == status
    return answer.get_data(as_text=True)


def test_a_covered_patient_gets_the_label_and_a_grouped_tracking_code(app, receptionist):
    page = check(receptionist, national_code="۰۰۲۳۴۵۶۷۸۷")  # Persian digits
    assert "حمایت درمانی دارد" in page
    with app.app_context():
        inquiry = db.session.execute(select(Inquiry)).scalar_one()
    assert (inquiry.channel, inquiry.national_code) == ("web", WIFE)
    assert inquiry.member_id is not None
    grouped = re.search(r'id="tracking-code" dir="ltr">([۰-۹ ]+)<', page).group(1)
    assert grouped.replace(" ", "") == inquiry.tracking_code.translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )
    assert grouped.count(" ") == 2
    assert f'data-copy="{inquiry.tracking_code}"' in page


def test_a_son_without_a_certificate_is_not_covered(receptionist):
    assert "حمایت درمانی ندارد" in check(receptionist, national_code=SON)


def test_a_newborn_is_checked_by_the_mother_s_code_and_a_jalali_birth_date(app, receptionist):
    page = check(receptionist, mother_national_code=WIFE, birth_date="۱۴۰۵/۰۸/۲۱")
    assert "حمایت درمانی دارد" in page
    with app.app_context():
        inquiry = db.session.execute(select(Inquiry)).scalar_one()
    assert inquiry.newborn_birth_date.isoformat() == "2026-11-12"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"national_code": "1234567890"}, "کد ملی واردشده معتبر نیست"),
        ({"national_code": ""}, "لطفاً کد ملی بیمار را وارد کنید"),
        ({"mother_national_code": WIFE, "birth_date": "1405/13/01"}, "تاریخ تولد معتبر نیست"),
        ({"mother_national_code": WIFE, "birth_date": "1406/01/01"}, "بعد از امروز"),
        ({"mother_national_code": WIFE, "birth_date": "1363/12/12"}, "تاریخ تولد نوزاد نیست"),
        ({"mother_national_code": WIFE, "birth_date": "1300/01/01"}, "تاریخ تولد نوزاد نیست"),
    ],
)
def test_bad_input_is_told_beside_the_field_and_logs_nothing(app, receptionist, fields, message):
    page = check(receptionist, 400, **fields)
    assert message in page and 'aria-invalid="true"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 0


def test_today_s_inquiries_list_the_centre_s_inquiries_with_who_asked(receptionist):
    check(receptionist, national_code=WIFE)
    page = check(receptionist, national_code=SON)
    listed = page.split("استعلام‌های امروز", 1)[1]
    assert listed.count("<tr>") == 3  # the heading and two inquiries
    assert "علی رضایی" in listed


def test_a_centre_sees_only_its_own_inquiries(receptionist, make_browser, flask_command):
    check(receptionist, national_code=WIFE)
    flask_command(
        "centre", "create", "داروخانه دیگر", "--kind", "pharmacy",
        "--admin", f"{WIFE}:{WIFE_MOBILE}",
    )  # fmt: skip
    other = make_browser()
    other.sign_in(WIFE, WIFE_MOBILE)
    page = other.get("/centre/eligibility").get_data(as_text=True)
    assert "امروز هنوز استعلامی نشده است" in page


def test_without_a_session_the_page_sends_to_sign_in(centre_browser):
    assert centre_browser.get("/centre/eligibility").headers["Location"].endswith("/sign-in")


def test_the_page_is_never_cached(receptionist):
    assert receptionist.get("/centre/eligibility").headers["Cache-Control"] == "no-store"


@pytest.fixture
def doctor(app, clinic, centre_browser, family):
    """Zahra Rezaei, a doctor of the clinic, signed in."""
    from server.centres import accounts

    with app.app_context():
        person = accounts.find_person(WIFE, WIFE_MOBILE)
        accounts.add_member(clinic, person.id, "doctor", medical_council_number="12345")
        db.session.commit()
    centre_browser.sign_in(WIFE, WIFE_MOBILE)
    return centre_browser


def test_a_doctor_opens_a_visiting_patient_s_history_and_the_patient_sees_who(app, doctor, citizen):
    page = check(doctor, national_code=INSURED)
    link = re.search(r'href="(/centre/patients/\d+)"', page).group(1)
    history = doctor.get(link)
    assert history.status_code == 200
    assert "علی رضایی" in history.get_data(as_text=True)
    with app.app_context():
        access = db.session.execute(select(RecordAccess)).scalar_one()
    assert access.member_id is not None
    citizen.sign_in(INSURED, INSURED_MOBILE)
    entries = citizen.get("/api/records/access-log").get_json()["entries"]
    assert entries[0]["who"] == "دکتر زهرا رضایی — مطب سلامت"


def test_history_needs_a_visit_of_this_centre_within_the_window(app, doctor, clock, settings):
    settings(DARMAN_CENTRE_IDLE_MINUTES=48 * 60, DARMAN_CENTRE_SESSION_HOURS=48)
    page = check(doctor, national_code=INSURED)
    link = re.search(r'href="(/centre/patients/\d+)"', page).group(1)
    clock.move(hours=23)
    assert doctor.get(link).status_code == 200
    clock.move(hours=2)
    assert doctor.get(link).status_code == 403


def test_history_of_an_inquiry_by_another_centre_is_refused(app, doctor, flask_command):
    token = flask_command("provider", "create", "مطب دیگر", "--kind", "doctor")
    doctor.client.post(
        "/api/provider/eligibility",
        json={"national_code": INSURED},
        headers={"Authorization": f"Bearer {token}"},
    )
    with app.app_context():
        other_inquiry = db.session.scalar(select(Inquiry.id))
    assert doctor.get(f"/centre/patients/{other_inquiry}").status_code == 403


def test_a_receptionist_cannot_open_a_patient_s_history(app, receptionist):
    check(receptionist, national_code=INSURED)
    with app.app_context():
        inquiry_id = db.session.scalar(select(Inquiry.id))
    assert receptionist.get(f"/centre/patients/{inquiry_id}").status_code == 403


def test_a_member_s_inquiries_are_limited_too(app, receptionist, settings):
    settings(DARMAN_PROVIDER_INQUIRIES_PER_MINUTE=2)
    check(receptionist, national_code=WIFE)
    check(receptionist, national_code=WIFE)
    page = check(receptionist, 429, national_code=WIFE)
    assert "لطفاً یک دقیقه صبر کنید" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Inquiry)) == 2
