"""Passkeys end to end against py_webauthn, with a software authenticator's real payloads."""

import pytest
from authenticator import SoftAuthenticator
from families import INSURED, INSURED_MOBILE
from sqlalchemy import select

from server.extensions import db
from server.models import Passkey


@pytest.fixture
def signed_in(family, citizen):
    """Ali, just signed in with an SMS code."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


def register(browser, authenticator: SoftAuthenticator, name: str = "گوشی من"):
    """The registration ceremony; returns the verify answer."""
    ceremony = browser.post("/api/auth/passkeys/register/options").get_json()
    credential = authenticator.create(ceremony["options"])
    return browser.post(
        "/api/auth/passkeys/register/verify",
        {"state": ceremony["state"], "credential": credential, "name": name},
    )


def login(browser, authenticator: SoftAuthenticator, **options):
    """The sign-in ceremony; returns the verify answer."""
    ceremony = browser.post("/api/auth/passkeys/login/options").get_json()
    credential = authenticator.get(ceremony["options"], **options)
    return browser.post(
        "/api/auth/passkeys/login/verify", {"state": ceremony["state"], "credential": credential}
    )


def stored(app) -> Passkey:
    """The one stored passkey."""
    with app.app_context():
        return db.session.execute(select(Passkey)).scalar_one()


def test_register_then_sign_in_without_typing(app, signed_in, make_citizen):
    phone = SoftAuthenticator()
    added = register(signed_in, phone)
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["name"] == "گوشی من"
    passkey = stored(app)
    assert passkey.credential_id == phone.credential_id
    assert (passkey.sign_count, passkey.transports) == (0, "internal,hybrid")
    assert passkey.backup_eligible is True and passkey.backup_state is True
    assert passkey.public_key  # COSE key bytes

    fresh = make_citizen()  # a new browser: nothing typed, the authenticator offers the key
    ceremony = fresh.post("/api/auth/passkeys/login/options").get_json()
    assert ceremony["options"]["allowCredentials"] == []
    assert ceremony["options"]["userVerification"] == "required"
    answer = fresh.post(
        "/api/auth/passkeys/login/verify",
        {"state": ceremony["state"], "credential": phone.get(ceremony["options"])},
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["national_code"] == INSURED
    sessions = fresh.get("/api/me/sessions").get_json()["sessions"]
    assert [s["method"] for s in sessions if s["current"]] == ["passkey"]
    assert stored(app).sign_count == 1


def test_registration_options_ask_for_a_discoverable_verified_credential(signed_in):
    options = signed_in.post("/api/auth/passkeys/register/options").get_json()["options"]
    selection = options["authenticatorSelection"]
    assert (selection["residentKey"], selection["userVerification"]) == ("required", "required")
    assert options["rp"] == {"id": "localhost", "name": "درمان من"}
    assert INSURED not in str(options)  # the user handle is random, not the national code


def test_rp_id_comes_from_the_config_not_the_host(make_citizen):
    answer = make_citizen(host="evil.example").post("/api/auth/passkeys/login/options")
    assert answer.get_json()["options"]["rpId"] == "localhost"


def test_adding_a_passkey_needs_a_recent_sign_in(family, citizen, clock):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    clock.move(minutes=11)
    response = citizen.post("/api/auth/passkeys/register/options")
    assert (response.status_code, response.get_json()["error"]) == (
        401,
        "reauthentication_required",
    )


def test_without_signing_in_no_passkey_can_be_added(citizen):
    assert citizen.post("/api/auth/passkeys/register/options").status_code == 401


def test_another_origin_is_refused(app, signed_in):
    response = register(signed_in, SoftAuthenticator(origin="https://evil.example"))
    assert (response.status_code, response.get_json()["error"]) == (400, "passkey_refused")
    with app.app_context():
        assert db.session.execute(select(Passkey)).first() is None


def test_a_passkey_without_user_verification_is_refused(app, signed_in, make_citizen):
    phone = SoftAuthenticator()
    phone.user_verified = False
    assert register(signed_in, phone).status_code == 400
    phone.user_verified = True
    assert register(signed_in, phone).status_code == 201
    phone.user_verified = False
    assert login(make_citizen(), phone).status_code == 400


def test_a_cloned_key_whose_sign_count_does_not_grow_is_refused(signed_in, make_citizen):
    phone = SoftAuthenticator()
    register(signed_in, phone)
    assert login(make_citizen(), phone).status_code == 200
    clone = make_citizen()
    response = login(clone, phone, count_up=False)  # the same count again
    assert (response.status_code, response.get_json()["error"]) == (400, "passkey_refused")
    assert clone.get("/api/me").status_code == 401


def test_a_challenge_is_used_once(signed_in, make_citizen):
    phone = SoftAuthenticator()
    register(signed_in, phone)
    browser = make_citizen()
    ceremony = browser.post("/api/auth/passkeys/login/options").get_json()
    body = {"state": ceremony["state"], "credential": phone.get(ceremony["options"])}
    assert browser.post("/api/auth/passkeys/login/verify", body).status_code == 200
    body["credential"] = phone.get(ceremony["options"])
    again = browser.post("/api/auth/passkeys/login/verify", body)
    assert (again.status_code, again.get_json()["error"]) == (400, "passkey_expired")


def test_a_challenge_expires_after_five_minutes(signed_in, make_citizen, clock):
    phone = SoftAuthenticator()
    register(signed_in, phone)
    browser = make_citizen()
    ceremony = browser.post("/api/auth/passkeys/login/options").get_json()
    clock.move(minutes=6)
    body = {"state": ceremony["state"], "credential": phone.get(ceremony["options"])}
    response = browser.post("/api/auth/passkeys/login/verify", body)
    assert response.get_json()["error"] == "passkey_expired"
    assert browser.get("/api/me").status_code == 401


def test_a_forged_state_is_refused(signed_in, make_citizen):
    phone = SoftAuthenticator()
    register(signed_in, phone)
    browser = make_citizen()
    ceremony = browser.post("/api/auth/passkeys/login/options").get_json()
    body = {"state": ceremony["state"] + "x", "credential": phone.get(ceremony["options"])}
    assert browser.post("/api/auth/passkeys/login/verify", body).get_json()["error"] == (
        "passkey_expired"
    )


def test_an_unknown_passkey_is_refused(signed_in, make_citizen):
    response = login(make_citizen(), SoftAuthenticator())
    assert (response.status_code, response.get_json()["error"]) == (400, "passkey_refused")


def test_list_and_remove_passkeys(app, signed_in, make_citizen):
    phone, laptop = SoftAuthenticator(), SoftAuthenticator()
    register(signed_in, phone, "گوشی")
    assert login(signed_in, phone).status_code == 200  # another passkey needs this one
    register(signed_in, laptop, "رایانه")
    listed = signed_in.get("/api/auth/passkeys").get_json()["passkeys"]
    assert [p["name"] for p in listed] == ["گوشی", "رایانه"]
    assert signed_in.delete(f"/api/auth/passkeys/{listed[0]['id']}").status_code == 200
    assert [p["name"] for p in signed_in.get("/api/auth/passkeys").get_json()["passkeys"]] == [
        "رایانه"
    ]
    assert login(make_citizen(), phone).status_code == 400
    assert login(make_citizen(), laptop).status_code == 200
    assert signed_in.delete(f"/api/auth/passkeys/{listed[0]['id']}").status_code == 404


def test_garbage_credentials_are_refused_not_crashed(signed_in):
    ceremony = signed_in.post("/api/auth/passkeys/register/options").get_json()
    for credential in ({}, {"id": "x", "response": {}}, {"rawId": 5}):
        response = signed_in.post(
            "/api/auth/passkeys/register/verify",
            {"state": ceremony["state"], "credential": credential},
        )
        assert response.status_code == 400
        ceremony = signed_in.post("/api/auth/passkeys/register/options").get_json()


# The one rule: a person who has a passkey adds another only with it.

NEEDED = (
    "شما کلید عبور دارید: برای افزودن کلیدی دیگر، نخست با همان کلید عبور تأیید کنید که خودتان "
    "هستید (در همین دستگاه یا با گوشی‌تان). اگر آن را گم کرده‌اید، شعبهٔ تأمین اجتماعی می‌تواند "
    "آن را حذف کند؛ سپس می‌توانید کلید تازه‌ای بسازید."
)


def test_an_sms_only_session_cannot_add_a_passkey_while_one_exists(
    app, signed_in, make_citizen, clock
):
    assert register(signed_in, SoftAuthenticator()).status_code == 201
    clock.move(minutes=2)  # the next SMS code may be sent
    stranger = make_citizen()  # whoever holds the mobile, on another device
    assert stranger.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    refused = stranger.post("/api/auth/passkeys/register/options")
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "passkey_needed", "message": NEEDED}
    with app.app_context():
        assert len(db.session.scalars(select(Passkey.id)).all()) == 1


def test_a_passkey_made_meanwhile_closes_an_sms_only_registration(
    app, signed_in, make_citizen, clock
):
    clock.move(minutes=2)  # the next SMS code may be sent
    other = make_citizen()
    assert other.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    ceremony = other.post("/api/auth/passkeys/register/options").get_json()  # none exists yet
    assert register(signed_in, SoftAuthenticator()).status_code == 201
    late = other.post(
        "/api/auth/passkeys/register/verify",
        {"state": ceremony["state"], "credential": SoftAuthenticator().create(ceremony["options"])},
    )
    assert (late.status_code, late.get_json()["error"]) == (400, "passkey_needed")
    with app.app_context():
        assert len(db.session.scalars(select(Passkey.id)).all()) == 1


def test_a_passkey_session_adds_another_and_the_mobile_and_other_devices_are_told(
    app, signed_in, make_citizen
):
    from server.auth.sessions import device_key
    from server.models import DeviceSession, OutboxEvent

    phone = SoftAuthenticator()
    register(signed_in, phone)
    laptop = make_citizen()
    assert login(laptop, phone).status_code == 200  # the phone's passkey, by QR code
    assert register(laptop, SoftAuthenticator(), "رایانه").status_code == 201
    sms = laptop.last_sms()
    assert sms["to"] == INSURED_MOBILE and sms["code"] is None
    assert "کلید عبور" in sms["text"] and "۱۴۲۰" in sms["text"]
    with app.app_context():
        assert len(db.session.scalars(select(Passkey.id)).all()) == 2
        newest = db.session.scalars(select(DeviceSession).order_by(DeviceSession.created_at))
        told = db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).all()[-1]
        assert told.new["event"] == "passkey"
        assert told.new["device_key"] == device_key(list(newest)[-1].id)  # all but the laptop
