"""Register once and sign in with an SMS code: every limit and every abuse refused."""

import pytest
from families import INSURED, INSURED_MOBILE, SON, UNKNOWN, WIFE, WIFE_MOBILE
from sqlalchemy import event, func, select

from server import create_app
from server.extensions import db
from server.models import Account, SmsChallenge

MISMATCH = (
    "کد ملی با شمارهٔ تلفن همراه مطابقت ندارد. برای ثبت‌نام و احراز هویت با شمارهٔ همراه، "
    "به یکی از شعب سازمان مراجعه کنید."
)


def accounts(app) -> int:
    """How many accounts exist."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Account))


def test_first_sign_in_registers_and_the_next_one_does_not(app, family, citizen, clock):
    answer = citizen.sign_in(INSURED, INSURED_MOBILE)
    assert answer.status_code == 200, answer.get_json()
    me = answer.get_json()
    assert (me["national_code"], me["first_name"], me["main_insured"]) == (INSURED, "علی", True)
    assert accounts(app) == 1
    clock.move(seconds=61)
    assert citizen.sign_in(INSURED, "+98 912 123 4567").status_code == 200
    assert accounts(app) == 1
    assert citizen.get("/api/me").get_json()["national_code"] == INSURED


def test_the_sms_is_persian_names_the_service_and_the_code_is_never_logged(
    app, family, citizen, caplog
):
    started = citizen.start(INSURED, INSURED_MOBILE)
    assert started.status_code == 200
    body = started.get_json()
    assert (body["expires_in"], body["resend_in"]) == (180, 60)
    sms = citizen.last_sms()
    code = sms["code"]
    assert sms["to"] == INSURED_MOBILE and len(code) == 6 and code.isdigit()
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert "درمان من" in sms["text"] and persian_code in sms["text"]
    assert code not in started.get_data(as_text=True)
    with app.app_context():
        stored = db.session.execute(select(SmsChallenge)).scalar_one()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    citizen.verify(body["request_id"], code)
    assert code not in caplog.text


@pytest.mark.parametrize(
    ("national_code", "mobile"),
    [
        pytest.param(INSURED, WIFE_MOBILE, id="known-code-wrong-mobile"),
        pytest.param(UNKNOWN, INSURED_MOBILE, id="unknown-code"),
    ],
)
def test_a_pair_that_does_not_match_gets_the_seeds_message(
    app, family, citizen, national_code, mobile
):
    response = citizen.start(national_code, mobile)
    assert response.status_code == 409
    assert response.get_json() == {"error": "mobile_mismatch", "message": MISMATCH}
    with app.app_context():
        assert db.session.execute(select(SmsChallenge)).first() is None


def statements_of(app, call) -> list[str]:
    """The SQL statements (with parameters stripped) that one call runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_unknown_and_mismatched_codes_cannot_be_told_apart(app, family, make_citizen):
    """Same status, same body, and the very same database work (so the same time)."""
    unknown, mismatched = make_citizen(), make_citizen()
    answers = {}
    runs = {}
    for name, browser, code in (("unknown", unknown, UNKNOWN), ("mismatch", mismatched, INSURED)):
        runs[name] = statements_of(
            app, lambda b=browser, c=code, n=name: answers.__setitem__(n, b.start(c, WIFE_MOBILE))
        )
    assert answers["unknown"].status_code == answers["mismatch"].status_code == 409
    assert answers["unknown"].get_data() == answers["mismatch"].get_data()
    assert runs["unknown"] == runs["mismatch"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"national_code": "0012345678", "mobile": INSURED_MOBILE}, "invalid_national_code"),
        ({"national_code": INSURED, "mobile": "0812345678"}, "invalid_mobile"),
        ({"national_code": INSURED}, "missing_field"),
    ],
)
def test_bad_input_is_refused_in_persian(app, family, citizen, body, error):
    response = citizen.post("/api/auth/sms/start", body)
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert any("\u0600" <= ch <= "\u06ff" for ch in response.get_json()["message"])
    with app.app_context():
        assert db.session.execute(select(SmsChallenge)).first() is None


def test_persian_digits_are_accepted_everywhere(app, family, citizen):
    started = citizen.start("۰۰۱۲۳۴۵۶۷۹", "۰۹۱۲۱۲۳۴۵۶۷")
    assert started.status_code == 200
    code = citizen.last_sms()["code"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert citizen.verify(started.get_json()["request_id"], code).status_code == 200


def test_a_code_expires_after_three_minutes(family, citizen, clock):
    request_id = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = citizen.last_sms()["code"]
    clock.move(seconds=181)
    response = citizen.verify(request_id, code)
    assert (response.status_code, response.get_json()["error"]) == (400, "code_expired")
    assert citizen.get("/api/me").status_code == 401


def test_a_code_works_once(family, citizen, make_citizen):
    request_id = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = citizen.last_sms()["code"]
    assert citizen.verify(request_id, code).status_code == 200
    thief = make_citizen()
    response = thief.verify(request_id, code)
    assert (response.status_code, response.get_json()["error"]) == (400, "code_expired")
    assert thief.get("/api/me").status_code == 401


def test_a_code_is_bound_to_its_request(family, citizen, make_citizen):
    mine = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    my_code = citizen.last_sms()["code"]
    other = make_citizen()
    theirs = other.start(SON, "09131111111").get_json()["request_id"]
    response = other.verify(theirs, my_code)  # my code, their request
    assert response.get_json()["error"] == "code_wrong"
    assert citizen.verify(mine, my_code).status_code == 200


def test_a_fourth_try_fails_even_with_the_right_code(family, citizen):
    request_id = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = citizen.last_sms()["code"]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    lefts = [citizen.verify(request_id, wrong).get_json()["attempts_left"] for _ in range(3)]
    assert lefts == [2, 1, 0]
    response = citizen.verify(request_id, code)
    assert (response.status_code, response.get_json()["error"]) == (400, "code_expired")
    assert citizen.get("/api/me").status_code == 401


def test_resend_once_a_minute_and_five_an_hour(family, citizen, clock):
    assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200
    again = citizen.start(INSURED, INSURED_MOBILE)
    assert again.status_code == 429
    assert 1 <= int(again.headers["Retry-After"]) <= 60
    for _ in range(4):
        clock.move(seconds=61)
        assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200
    clock.move(seconds=61)
    sixth = citizen.start(INSURED, INSURED_MOBILE)
    assert (sixth.status_code, sixth.get_json()["error"]) == (429, "rate_limited")
    clock.move(minutes=56)  # the first code of the hour has left the window
    assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200


def test_the_limit_per_mobile_holds_across_national_codes(family, citizen, registry, clock):
    # Two people of one household registered with the same mobile.
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{SON},محمد,رضایی,2005-01-15,M,{INSURED_MOBILE},",
    )
    assert registry.load().exit_code == 0
    assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200
    assert citizen.start(SON, INSURED_MOBILE).status_code == 429


def test_the_limit_per_address(app, family, make_citizen):
    app.config["DARMAN_SIGN_IN_PER_IP_HOUR"], limit = 4, app.config["DARMAN_SIGN_IN_PER_IP_HOUR"]
    try:
        browser = make_citizen()
        statuses = [browser.start(UNKNOWN, INSURED_MOBILE).status_code for _ in range(5)]
        elsewhere = make_citizen()
        other_address = elsewhere.post(
            "/api/auth/sms/start",
            {"national_code": UNKNOWN, "mobile": INSURED_MOBILE},
            environ_base={"REMOTE_ADDR": "10.1.2.3"},
        )
    finally:
        app.config["DARMAN_SIGN_IN_PER_IP_HOUR"] = limit
    assert statuses == [409, 409, 409, 409, 429]
    assert other_address.status_code == 409


def test_limits_hold_across_two_app_instances_on_one_database(app, family, citizen, clock):
    """Two gunicorn workers are two app instances: the counters are in the database."""
    second = create_app(dict(app.config))
    other = second.test_client()
    token = other.get("/api/auth/csrf").get_json()["csrf_token"]
    request_id = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = citizen.last_sms()["code"]
    resend = other.post(
        "/api/auth/sms/start",
        json={"national_code": INSURED, "mobile": INSURED_MOBILE},
        headers={"X-CSRFToken": token},
    )
    assert resend.status_code == 429
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):  # wrong tries on the second instance kill the code on the first
        other.post(
            "/api/auth/sms/verify",
            json={"request_id": request_id, "code": wrong},
            headers={"X-CSRFToken": token},
        )
    with second.app_context():
        db.engine.dispose()
    assert citizen.verify(request_id, code).get_json()["error"] == "code_expired"


def test_a_dependant_with_a_mobile_can_register_too(family, citizen):
    me = citizen.sign_in(WIFE, WIFE_MOBILE).get_json()
    assert (me["national_code"], me["main_insured"]) == (WIFE, False)


def test_without_the_csrf_token_nothing_happens(app, family, client):
    response = client.post(
        "/api/auth/sms/start", json={"national_code": INSURED, "mobile": INSURED_MOBILE}
    )
    assert (response.status_code, response.get_json()["error"]) == (400, "csrf_failed")
    with app.app_context():
        assert db.session.execute(select(SmsChallenge)).first() is None


def test_a_used_up_code_says_so_and_a_new_one_may_be_asked_at_once(family, citizen):
    request_id = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = citizen.last_sms()["code"]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(2):  # a code allows 3 tries
        assert citizen.verify(request_id, wrong).get_json()["error"] == "code_wrong"
    last = citizen.verify(request_id, wrong).get_json()
    assert (last["error"], last["resend_in"]) == ("code_used_up", 0)
    assert "۰ بار" not in last["message"] and "کد تازه" in last["message"]
    again = citizen.start(INSURED, INSURED_MOBILE)  # within the minute: allowed, the code is dead
    assert again.status_code == 200, again.get_json()
    assert (
        citizen.verify(again.get_json()["request_id"], citizen.last_sms()["code"]).status_code
        == 200
    )


def test_a_long_wait_is_told_in_minutes_not_seconds(family, citizen, clock):
    for _ in range(5):
        assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200
        clock.move(seconds=61)
    clock.move(minutes=5)
    refused = citizen.start(INSURED, INSURED_MOBILE)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 90
    assert "حدود ۵۰ دقیقهٔ دیگر" in refused.get_json()["message"]
    assert "ثانیه" not in refused.get_json()["message"]
