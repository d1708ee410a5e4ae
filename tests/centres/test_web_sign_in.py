"""Members sign in to /centre/ with national code, mobile and SMS code, in their own session."""

from families import FATHER, INSURED, INSURED_MOBILE
from sqlalchemy import select

from server.extensions import db
from server.models import MemberSession


def test_the_sign_in_form_has_the_named_fields(centre_browser):
    page = centre_browser.get("/centre/sign-in").get_data(as_text=True)
    assert 'name="national_code"' in page and 'name="mobile"' in page
    assert 'dir="rtl"' in page and 'lang="fa"' in page
    assert "<script>" not in page and "style=" not in page  # the strict CSP holds


def test_a_member_signs_in_with_the_sms_code(clinic, centre_browser):
    signed_in = centre_browser.sign_in(INSURED, INSURED_MOBILE)
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"].endswith("/centre/eligibility")
    cookie = signed_in.headers["Set-Cookie"]
    assert (
        cookie.startswith("darman-centre=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    )
    page = centre_browser.get("/centre/eligibility")
    assert page.status_code == 200
    assert "مطب سلامت" in page.get_data(as_text=True)


def test_persian_digits_are_accepted(clinic, centre_browser):
    started = centre_browser.post(
        "/centre/sign-in", {"national_code": "۰۰۱۲۳۴۵۶۷۹", "mobile": "۰۹۱۲۱۲۳۴۵۶۷"}
    )
    assert started.status_code == 302


def test_a_wrong_mobile_gets_the_seed_s_message_beside_the_field(clinic, centre_browser):
    page = centre_browser.post(
        "/centre/sign-in", {"national_code": INSURED, "mobile": "09120000000"}
    )
    assert page.status_code == 200
    assert "به یکی از شعب سازمان مراجعه کنید" in page.get_data(as_text=True)


def test_a_bad_national_code_is_refused_in_persian(centre_browser):
    page = centre_browser.post(
        "/centre/sign-in", {"national_code": "123", "mobile": INSURED_MOBILE}
    )
    assert "کد ملی واردشده معتبر نیست" in page.get_data(as_text=True)


def test_a_wrong_code_says_so(clinic, centre_browser):
    centre_browser.post("/centre/sign-in", {"national_code": INSURED, "mobile": INSURED_MOBILE})
    page = centre_browser.post(
        "/centre/sign-in/code", {"code": "000000"}, page="/centre/sign-in/code"
    )
    assert page.status_code == 200
    assert "darman-centre" not in page.headers.get("Set-Cookie", "")


def test_someone_who_is_no_member_cannot_sign_in(clinic, centre_browser):
    page = centre_browser.sign_in(FATHER, "09141111111")
    assert page.status_code == 200
    assert "عضو هیچ مرکزی نیستید" in page.get_data(as_text=True)


def test_a_session_ends_after_30_idle_minutes(clinic, centre_browser, clock):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    clock.move(minutes=29)
    assert centre_browser.get("/centre/eligibility").status_code == 200
    clock.move(minutes=29)
    assert centre_browser.get("/centre/eligibility").status_code == 200  # use moved it on
    clock.move(minutes=31)
    assert centre_browser.get("/centre/eligibility").headers["Location"].endswith("/centre/sign-in")


def test_a_session_ends_12_hours_after_sign_in_even_in_use(clinic, centre_browser, clock):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    for _ in range(24):
        clock.move(minutes=29)
        centre_browser.get("/centre/eligibility")
    clock.move(minutes=25)  # 12 h 01 min
    assert centre_browser.get("/centre/eligibility").status_code == 302


def test_the_member_session_is_not_a_citizen_session(clinic, centre_browser):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    assert centre_browser.get("/api/me").status_code == 401


def test_signing_out_ends_the_session_row(app, clinic, centre_browser):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    centre_browser.post("/centre/sign-out", page="/centre/eligibility")
    with app.app_context():
        assert db.session.scalar(select(MemberSession.ended_at)) is not None
    assert centre_browser.get("/centre/eligibility").status_code == 302


def test_suspending_the_centre_ends_its_sessions(clinic, centre_browser, flask_command):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    flask_command("centre", "suspend", str(clinic))
    assert centre_browser.get("/centre/eligibility").headers["Location"].endswith("/sign-in")
