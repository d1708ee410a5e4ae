"""Staff accounts and sign-in: SMS code and passkey, always both; 8 hours, 15 minutes idle."""

from sqlalchemy import select

from server.extensions import db
from server.models import Staff, StaffAudit, StaffPasskey


def test_create_prints_the_new_id(app, runner):
    result = runner.invoke(
        args=["darman", "staff", "create", "۰۴۹۹۳۷۰۸۹۹", "+989121110001", "--role", "branch"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        staff = db.session.get(Staff, int(result.output.strip()))
        assert (staff.national_code, staff.mobile, staff.role) == (
            "0499370899", "09121110001", "branch"
        )  # fmt: skip


def test_create_refuses_a_bad_national_code_and_a_second_account(runner, make_staff):
    bad = runner.invoke(args=["darman", "staff", "create", "123", "09121110001", "--role", "admin"])
    assert bad.exit_code != 0 and "national code" in bad.output
    make_staff("admin")
    again = runner.invoke(
        args=["darman", "staff", "create", "0499370899", "09121110009", "--role", "admin"]
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_first_sign_in_registers_a_passkey_and_the_next_asks_for_it(
    app, make_staff, staff_browser, clock
):
    staff_id, national_code, mobile = make_staff("branch")
    first = staff_browser()
    first.sign_in(national_code, mobile)
    assert first.get("/staff/").status_code == 200
    clock.move(seconds=61)  # DARMAN_SMS_RESEND_SECONDS from one address
    second = staff_browser()
    second.authenticator = first.authenticator  # the same device's passkey
    second.start(national_code, mobile)
    second.post("/staff/sign-in/code", {"code": second.last_sms()["code"]})
    options = second.post_json("/staff/sign-in/passkey/options").get_json()
    assert options["mode"] == "login"
    with app.app_context():
        assert db.session.scalar(select(StaffPasskey.staff_id)) == staff_id
        actions = db.session.scalars(select(StaffAudit.action).order_by(StaffAudit.id)).all()
    assert actions == ["staff_created", "passkey_registered", "signed_in"]


def test_the_sms_code_alone_does_not_sign_in(make_staff, staff_browser):
    _, national_code, mobile = make_staff("admin")
    browser = staff_browser()
    browser.start(national_code, mobile)
    browser.post("/staff/sign-in/code", {"code": browser.last_sms()["code"]})
    answer = browser.get("/staff/audit")
    assert answer.status_code == 302 and answer.location.endswith("/staff/sign-in")


def test_a_passkey_needs_the_sms_code_first(make_staff, staff_browser):
    _, national_code, mobile = make_staff("admin")
    browser = staff_browser()
    browser.start(national_code, mobile)
    assert browser.post_json("/staff/sign-in/passkey/options").status_code == 401


def test_a_wrong_mobile_gets_a_persian_message_and_no_sms(app, make_staff, staff_browser):
    _, national_code, _ = make_staff("branch")
    browser = staff_browser()
    answer = browser.start(national_code, "09350000000")
    assert answer.status_code == 400
    assert "حساب کارکنان" in answer.get_data(as_text=True)
    assert browser.client.get_cookie("darman-staff") is None


def test_a_wrong_code_is_refused(make_staff, staff_browser):
    _, national_code, mobile = make_staff("branch")
    browser = staff_browser()
    browser.start(national_code, mobile)
    right = browser.last_sms()["code"]
    wrong = "000000" if right != "000000" else "111111"
    answer = browser.post("/staff/sign-in/code", {"code": wrong})
    assert answer.status_code == 400
    assert browser.post_json("/staff/sign-in/passkey/options").status_code == 401


def test_another_staff_members_passkey_is_refused(make_staff, staff_browser, clock):
    _, code_a, mobile_a = make_staff("branch")
    _, code_b, mobile_b = make_staff("admin")
    a = staff_browser()
    a.sign_in(code_a, mobile_a)
    b = staff_browser()
    b.sign_in(code_b, mobile_b)
    clock.move(seconds=61)  # DARMAN_SMS_RESEND_SECONDS from one address
    thief = staff_browser()
    thief.authenticator = a.authenticator  # a's passkey, b's SMS code
    thief.start(code_b, mobile_b)
    thief.post("/staff/sign-in/code", {"code": thief.last_sms()["code"]})
    assert thief.passkey().get_json()["error"] == "passkey_refused"
    assert thief.get("/staff/").status_code == 302


def test_idle_for_15_minutes_signs_out(signed_in, clock):
    browser = signed_in("admin")
    clock.move(minutes=14)
    assert browser.get("/staff/audit").status_code == 200
    clock.move(minutes=14)
    assert browser.get("/staff/audit").status_code == 200  # each visit moves the 15 minutes on
    clock.move(minutes=16)
    assert browser.get("/staff/audit").status_code == 302


def test_a_session_ends_after_8_hours_even_in_use(signed_in, clock):
    browser = signed_in("admin")
    for _ in range(34):  # 34 × 14 minutes = 7 h 56 min, never idle
        clock.move(minutes=14)
        assert browser.get("/staff/").status_code == 200
    clock.move(minutes=5)
    assert browser.get("/staff/").status_code == 302


def test_sign_out_ends_the_session(signed_in):
    browser = signed_in("branch")
    token = browser.client.get_cookie("darman-staff").value
    assert browser.post("/staff/sign-out").status_code == 303
    browser.client.set_cookie("darman-staff", token)  # a copied cookie is worth nothing now
    assert browser.get("/staff/").status_code == 302


def test_the_staff_cookie_is_its_own(signed_in):
    browser = signed_in("branch")
    cookie = browser.client.get_cookie("darman-staff")
    assert cookie.http_only and cookie.same_site == "Strict"
    # the citizen's API does not take it for a citizen's sign-in
    assert browser.get("/api/me").status_code == 401


def test_sign_in_attempts_are_limited(make_staff, staff_browser):
    _, national_code, mobile = make_staff("branch")
    browser = staff_browser()
    for _ in range(10):
        assert browser.start(national_code, "09350000000").status_code == 400
    limited = browser.start(national_code, mobile)  # even the right pair, from this address
    assert limited.status_code == 400
    assert "تلاش‌ها بیش از حد مجاز است" in limited.get_data(as_text=True)


def test_a_passkey_ceremony_expires_by_the_app_s_clock(make_staff, staff_browser, clock):
    _, national_code, mobile = make_staff("admin")
    browser = staff_browser()
    browser.start(national_code, mobile)
    browser.post("/staff/sign-in/code", {"code": browser.last_sms()["code"]})
    options = browser.post_json("/staff/sign-in/passkey/options").get_json()
    clock.move(minutes=6)  # the state was signed at the app's time: five minutes are past
    late = browser.post_json(
        "/staff/sign-in/passkey/verify",
        {"state": options["state"], "credential": browser.authenticator.create(options["options"])},
    )
    assert (late.status_code, late.get_json()["error"]) == (400, "passkey_expired")
