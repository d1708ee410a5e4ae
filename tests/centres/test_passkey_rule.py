"""The one passkey rule in the web for centres: a member who has a passkey adds another only
from a session confirmed with it; the mobile and the person's app are told of a new one."""

from authenticator import SoftAuthenticator
from families import INSURED, INSURED_MOBILE
from sqlalchemy import select

from server.extensions import db
from server.models import MemberPasskey, OutboxEvent


def passkeys(app) -> int:
    """How many member passkeys are stored."""
    with app.app_context():
        return len(db.session.scalars(select(MemberPasskey.id)).all())


def test_an_sms_only_session_cannot_make_a_new_device_passkey(app, admin, make_browser, clock):
    clock.move(minutes=2)  # the next SMS code may be sent
    stranger = make_browser()  # whoever holds the doctor's mobile
    stranger.sign_in(INSURED, INSURED_MOBILE)
    refused = stranger.post_json("/centre/passkey/options", {"new_device": True})
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "passkey_needed"
    assert "شعبهٔ تأمین اجتماعی" in refused.get_json()["message"]
    assert passkeys(app) == 1
    writes = stranger.post("/centre/tokens", {"name": "نرم‌افزار", "scopes": "eligibility"})
    assert "/centre/passkey" in writes.headers["Location"]  # still may not write


def test_a_passkey_made_meanwhile_closes_an_sms_only_registration(app, clinic, make_browser, clock):
    first, second = make_browser(), make_browser()
    first.sign_in(INSURED, INSURED_MOBILE)
    clock.move(minutes=2)
    second.sign_in(INSURED, INSURED_MOBILE)
    ceremony = second.post_json("/centre/passkey/options", {}).get_json()
    assert ceremony["mode"] == "register"  # none exists yet
    first.confirm_with_passkey(SoftAuthenticator())
    late = second.post_json(
        "/centre/passkey/verify",
        {"state": ceremony["state"], "credential": SoftAuthenticator().create(ceremony["options"])},
    )
    assert (late.status_code, late.get_json()["error"]) == (400, "passkey_needed")
    assert passkeys(app) == 1
    assert "/centre/passkey" in second.post("/centre/tokens", {}).headers["Location"]


def test_a_confirmed_session_adds_a_device_and_the_mobile_and_app_are_told(app, admin):
    ceremony = admin.post_json("/centre/passkey/options", {"new_device": True}).get_json()
    assert ceremony["mode"] == "register"
    tablet = SoftAuthenticator()
    made = admin.post_json(
        "/centre/passkey/verify",
        {"state": ceremony["state"], "credential": tablet.create(ceremony["options"])},
    )
    assert made.status_code == 200, made.get_json()
    assert passkeys(app) == 2
    sms = admin.last_sms()
    assert sms["to"] == INSURED_MOBILE and "مراکز درمانی" in sms["text"]
    with app.app_context():
        told = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "sign_in")).all()
        assert [event.new["event"] for event in told] == ["passkey", "passkey"]  # both devices


def test_a_ceremony_state_of_another_realm_is_refused(admin, citizen):
    citizens = citizen.post("/api/auth/passkeys/login/options").get_json()  # salt: citizen
    credential = admin.authenticator.get(citizens["options"])
    refused = admin.post_json(
        "/centre/passkey/verify", {"state": citizens["state"], "credential": credential}
    )
    assert (refused.status_code, refused.get_json()["error"]) == (400, "passkey_expired")
