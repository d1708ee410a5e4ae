"""Sign-in that a stranger cannot wear down: tries, daily codes, addresses, notices, CSRF."""

from datetime import UTC, datetime

import pytest
from authenticator import SoftAuthenticator
from families import INSURED, INSURED_MOBILE, UNKNOWN, WIFE, WIFE_MOBILE
from sqlalchemy import select

from server.auth.addresses import counted_address
from server.auth.refusal_texts import wait_text
from server.config import Config
from server.domain.national_code import with_check_digit
from server.extensions import db
from server.models import (
    Account,
    DeviceSession,
    Notification,
    Person,
    PushDelivery,
    PushSubscription,
    SmsChallenge,
)
from server.notify.fanout import fan_out_batch

ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def wrong(code: str) -> str:
    """Another six-digit code."""
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_defaults():
    assert Config.DARMAN_SMS_MAX_WRONG_CODES == 3
    assert Config.DARMAN_SMS_PER_DAY == 10
    assert Config.DARMAN_SMS_FAILURES_PER_HOUR == 10
    assert Config.DARMAN_SIGN_IN_PER_IP_HOUR == 300


@pytest.mark.parametrize(
    ("seconds", "fa", "en"),
    [
        (1, "۱ ثانیه", "1 seconds"),
        (90, "۹۰ ثانیه", "90 seconds"),
        (91, "حدود ۲ دقیقهٔ", "about 2 minutes"),  # «… حدود ۲ دقیقهٔ دیگر …»
        (5400, "حدود ۹۰ دقیقهٔ", "about 90 minutes"),
        (5401, "حدود ۲ ساعت", "about 2 hours"),
        (86399, "حدود ۲۴ ساعت", "about 24 hours"),
    ],
)
def test_a_wait_is_said_in_minutes_or_hours_past_90_seconds(app, seconds, fa, en):
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        assert wait_text(seconds) == fa
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert wait_text(seconds) == en


def test_three_wrong_tries_end_a_code(family, citizen):
    request_id = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = citizen.last_sms()["code"]
    answers = [citizen.verify(request_id, wrong(code)) for _ in range(3)]
    assert [a.get_json()["attempts_left"] for a in answers] == [2, 1, 0]
    # the last wrong try says the code is used up (never «۰ بار دیگر …») and a new one may come now
    assert [a.get_json()["error"] for a in answers] == ["code_wrong", "code_wrong", "code_used_up"]
    assert "۰" not in answers[-1].get_json()["message"]
    assert citizen.verify(request_id, code).get_json()["error"] == "code_expired"


def test_a_right_code_on_the_third_try_signs_in(family, citizen):
    request_id = citizen.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = citizen.last_sms()["code"]
    citizen.verify(request_id, wrong(code))
    citizen.verify(request_id, wrong(code))
    assert citizen.verify(request_id, code).status_code == 200


def test_ten_codes_a_day_per_national_code_and_mobile(family, citizen, clock):
    for _ in range(10):
        assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200
        clock.move(minutes=13)  # under 5 an hour
    eleventh = citizen.start(INSURED, INSURED_MOBILE)
    assert (eleventh.status_code, eleventh.get_json()["error"]) == (429, "rate_limited")
    retry_after = int(eleventh.headers["Retry-After"])
    assert 21 * 3600 < retry_after <= 24 * 3600
    assert "ساعت" in eleventh.get_json()["message"]
    assert "ثانیه" not in eleventh.get_json()["message"]
    clock.move(seconds=retry_after)
    assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200


def test_the_daily_limit_is_a_setting(app, family, citizen, clock, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_SMS_PER_DAY", 2)
    for _ in range(2):
        assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200
        clock.move(minutes=2)
    assert citizen.start(INSURED, INSURED_MOBILE).status_code == 429


def test_a_resend_wait_is_said_in_seconds(family, citizen):
    citizen.start(INSURED, INSURED_MOBILE)
    again = citizen.start(INSURED, INSURED_MOBILE)
    assert again.status_code == 429
    assert int(again.headers["Retry-After"]) <= 60
    assert "ثانیه" in again.get_json()["message"]


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("unknown", "unknown"),
    ],
)
def test_addresses_count_by_ipv4_address_or_ipv6_64(address, counted):
    assert counted_address(address) == counted


def start_from(browser, address: str, national_code: str = UNKNOWN):
    """Ask for a code from a given address (for an unknown person: nothing is sent)."""
    return browser.post(
        "/api/auth/sms/start",
        {"national_code": national_code, "mobile": INSURED_MOBILE},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_an_ipv6_host_cannot_dodge_the_limit_by_changing_address(app, family, citizen, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_SIGN_IN_PER_IP_HOUR", 4)
    statuses = [start_from(citizen, f"2001:db8:1:2::{n}") for n in range(1, 6)]
    assert statuses == [409, 409, 409, 409, 429]
    assert start_from(citizen, "2001:db8:1:3::1") == 409  # another /64


def test_a_carriers_shared_address_lets_many_people_sign_in(family, citizen):
    people = [with_check_digit(f"{123000000 + n}") for n in range(100)]
    statuses = {start_from(citizen, "5.160.0.1", national_code) for national_code in people}
    assert statuses == {409}  # the old 30 an hour would have refused most of them


def test_passkey_sign_in_is_limited_per_address(app, family, citizen, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_SIGN_IN_PER_IP_HOUR", 3)
    statuses = []
    for _ in range(4):
        state = citizen.post("/api/auth/passkeys/login/options").get_json()["state"]
        body = {"state": state, "credential": {"id": "x"}}
        statuses.append(citizen.post("/api/auth/passkeys/login/verify", body).status_code)
    assert statuses == [400, 400, 400, 429]


def test_the_csrf_token_is_rotated_on_sign_in(family, citizen):
    before = citizen.csrf_token
    response = citizen.sign_in(INSURED, INSURED_MOBILE)
    after = response.headers["X-CSRFToken"]
    assert after != before
    stale = citizen.client.put(
        "/api/me/locale", json={"locale": "en"}, headers={"X-CSRFToken": before}
    )
    assert stale.get_json()["error"] == "csrf_failed"
    fresh = citizen.client.put(
        "/api/me/locale", json={"locale": "en"}, headers={"X-CSRFToken": after}
    )
    assert fresh.status_code == 200


def live_sessions(app, national_code: str) -> int:
    """How many device sessions of this person are live."""
    with app.app_context():
        return len(
            db.session.scalars(
                select(DeviceSession)
                .join(Account, Account.id == DeviceSession.account_id)
                .join(Person, Person.id == Account.person_id)
                .where(Person.national_code == national_code, DeviceSession.ended_at.is_(None))
            ).all()
        )


def test_signing_in_as_b_ends_as_session_on_that_browser(app, family, citizen):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    assert live_sessions(app, INSURED) == 1
    assert citizen.sign_in(WIFE, WIFE_MOBILE).status_code == 200
    assert live_sessions(app, INSURED) == 0
    assert live_sessions(app, WIFE) == 1
    assert citizen.get("/api/me").get_json()["national_code"] == WIFE


def subscribe_row(app, national_code: str, endpoint: str) -> int:
    """A push subscription of this person's only live device session."""
    with app.app_context():
        device = db.session.scalars(
            select(DeviceSession)
            .join(Account, Account.id == DeviceSession.account_id)
            .join(Person, Person.id == Account.person_id)
            .where(Person.national_code == national_code, DeviceSession.ended_at.is_(None))
            .order_by(DeviceSession.created_at.desc())
        ).first()
        row = PushSubscription(
            account_id=device.account_id,
            device_session_id=device.id,
            endpoint=endpoint,
            p256dh="p" * 87,
            auth="a" * 22,
            created_at=datetime.now(UTC),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def notices_and_pushes(app) -> tuple[list[Notification], list[int]]:
    """Fan the outbox out; the notices written and the subscriptions a push is due to."""
    with app.app_context():
        fan_out_batch(100)
        notices = db.session.scalars(select(Notification).order_by(Notification.id)).all()
        pushed = db.session.scalars(select(PushDelivery.subscription_id)).all()
        db.session.expunge_all()
        return notices, sorted(pushed)


def test_a_new_sign_in_is_told_to_the_other_devices(app, family, make_citizen, clock):
    phone = make_citizen()
    phone.client.environ_base["HTTP_USER_AGENT"] = ANDROID
    phone.sign_in(INSURED, INSURED_MOBILE)
    phone_push = subscribe_row(app, INSURED, "https://fcm.googleapis.com/fcm/send/phone")
    assert notices_and_pushes(app) == ([], [])  # the first sign-in (registration) tells nobody

    clock.move(seconds=61)  # the next code may be sent
    laptop = make_citizen()
    laptop.client.environ_base["HTTP_USER_AGENT"] = LAPTOP
    laptop.sign_in(INSURED, INSURED_MOBILE)
    laptop_push = subscribe_row(app, INSURED, "https://updates.push.services.mozilla.com/l")
    notices, pushed = notices_and_pushes(app)
    assert [n.kind for n in notices] == ["sign_in"]
    assert notices[0].title == "ورود تازه به حساب شما"
    assert "Firefox · Linux" in notices[0].body
    assert "۱ آذر ۱۴۰۵" in notices[0].body or "آذر ۱۴۰۵" in notices[0].body
    assert "ساعت" in notices[0].body
    assert notices[0].url == "/#/settings"  # where that device can be signed out
    assert pushed == [phone_push]
    assert laptop_push not in pushed

    sessions = phone.get("/api/me/sessions").get_json()["sessions"]
    stranger = next(s for s in sessions if not s["current"])
    assert phone.delete(f"/api/me/sessions/{stranger['id']}").status_code == 200
    assert laptop.get("/api/me").status_code == 401


def test_a_new_passkey_is_told_to_the_other_devices(app, family, make_citizen, clock):
    phone = make_citizen()
    phone.sign_in(INSURED, INSURED_MOBILE)
    phone_push = subscribe_row(app, INSURED, "https://fcm.googleapis.com/fcm/send/phone")
    clock.move(seconds=61)  # the next code may be sent
    laptop = make_citizen()
    laptop.client.environ_base["HTTP_USER_AGENT"] = LAPTOP
    laptop.sign_in(INSURED, INSURED_MOBILE)
    laptop_push = subscribe_row(app, INSURED, "https://updates.push.services.mozilla.com/l")
    notices_and_pushes(app)  # the sign-in's notice

    ceremony = laptop.post("/api/auth/passkeys/register/options").get_json()
    credential = SoftAuthenticator().create(ceremony["options"])
    added = laptop.post(
        "/api/auth/passkeys/register/verify", {"state": ceremony["state"], "credential": credential}
    )
    assert added.status_code == 201
    with app.app_context():
        db.session.execute(PushDelivery.__table__.delete())
        db.session.commit()
    notices, pushed = notices_and_pushes(app)
    assert [n.title for n in notices][-1] == "کلید عبور تازه برای حساب شما"
    assert "Firefox · Linux" in notices[-1].body
    assert pushed == [phone_push] and laptop_push not in pushed


def test_the_sign_in_notice_is_in_english_for_an_english_account(app, family, make_citizen, clock):
    phone = make_citizen()
    phone.sign_in(INSURED, INSURED_MOBILE)
    phone.client.put(
        "/api/me/locale", json={"locale": "en"}, headers={"X-CSRFToken": phone.csrf_token}
    )
    clock.move(seconds=61)  # the next code may be sent
    laptop = make_citizen()
    laptop.client.environ_base["HTTP_USER_AGENT"] = LAPTOP
    laptop.sign_in(INSURED, INSURED_MOBILE)
    notices, _ = notices_and_pushes(app)
    assert notices[-1].title == "New sign-in to your account"
    assert "Firefox · Linux" in notices[-1].body and " Azar 1405, at " in notices[-1].body


def tries_of(app, request_id: str) -> int:
    """The challenge's counted tries."""
    with app.app_context():
        return db.session.get(SmsChallenge, request_id).failed_attempts


@pytest.mark.postgresql
def test_sixty_concurrent_wrong_codes_count_sixty_and_compare_three(
    app, family, make_citizen, monkeypatch
):
    import threading

    from server.auth import sms_codes

    owner = make_citizen()
    request_id = owner.start(INSURED, INSURED_MOBILE).get_json()["request_id"]
    code = owner.last_sms()["code"]
    compared, lock = [], threading.Lock()
    real_hash = sms_codes.code_hash

    def counting_hash(secret_key: str, rid: str, typed: str) -> str:
        with lock:
            compared.append(typed)
        return real_hash(secret_key, rid, typed)

    monkeypatch.setattr(sms_codes, "code_hash", counting_hash)
    browsers = [make_citizen() for _ in range(60)]
    barrier = threading.Barrier(60)
    statuses = []

    def guess(n: int) -> None:
        barrier.wait()
        response = browsers[n].post(
            "/api/auth/sms/verify",
            {"request_id": request_id, "code": wrong(code)},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"},
        )
        with lock:
            statuses.append(response.get_json()["error"])

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tries_of(app, request_id) == 60
    assert len(compared) <= 3
    # the compared tries are wrong, the last of them saying the code is used up; the rest refused
    assert statuses.count("code_wrong") + statuses.count("code_used_up") == len(compared)
    assert statuses.count("code_used_up") <= 1
    assert statuses.count("code_expired") == 60 - len(compared)
    assert owner.verify(request_id, code).get_json()["error"] == "code_expired"
