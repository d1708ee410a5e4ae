"""A centre's admin confirms with a passkey, then adds and removes members and makes and
revokes API tokens; a revoked token is refused at once."""

import re

import pytest
from authenticator import SoftAuthenticator
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from sqlalchemy import select

from server.extensions import db
from server.models import CentreMember, MemberPasskey, ProviderToken


def test_an_sms_only_session_is_sent_to_confirm_with_a_passkey(app, clinic, centre_browser):
    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    tried = centre_browser.post("/centre/tokens", {"name": "نرم‌افزار", "scopes": "eligibility"})
    assert tried.status_code == 302 and "/centre/passkey" in tried.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(ProviderToken.id)) is None


def test_the_first_passkey_is_kept_and_used_at_the_next_sign_in(app, admin, make_browser, clock):
    with app.app_context():
        assert db.session.scalar(select(MemberPasskey.person_id)) is not None
    clock.move(minutes=2)  # the next SMS code may be sent
    later = make_browser()
    later.sign_in(INSURED, INSURED_MOBILE)
    ceremony = later.post_json("/centre/passkey/options", {}).get_json()
    assert ceremony["mode"] == "login"
    assert len(ceremony["options"]["allowCredentials"]) == 1
    later.confirm_with_passkey(admin.authenticator)
    assert "تأییدشده با کلید عبور" in later.get("/centre/eligibility").get_data(as_text=True)


def test_another_person_s_passkey_is_refused(app, admin, flask_command, make_browser):
    wife = make_browser()
    flask_command(
        "centre", "create", "مطب دیگر", "--kind", "doctor", "--admin", f"{WIFE}:{WIFE_MOBILE}"
    )
    wife.sign_in(WIFE, WIFE_MOBILE)
    wife.confirm_with_passkey(SoftAuthenticator())  # her own first passkey
    ceremony = wife.post_json("/centre/passkey/options", {}).get_json()
    forged = admin.authenticator.get(ceremony["options"])  # Ali's key, for her challenge
    refused = wife.post_json(
        "/centre/passkey/verify", {"state": ceremony["state"], "credential": forged}
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "passkey_refused"


def test_a_ceremony_cannot_be_replayed(admin):
    ceremony = admin.post_json("/centre/passkey/options", {}).get_json()
    credential = admin.authenticator.get(ceremony["options"])
    body = {"state": ceremony["state"], "credential": credential}
    assert admin.post_json("/centre/passkey/verify", body).status_code == 200
    assert admin.post_json("/centre/passkey/verify", body).status_code == 400


def test_an_admin_makes_a_token_shown_once_that_works_then_revokes_it(app, admin):
    made = admin.post(
        "/centre/tokens", {"name": "نرم‌افزار مطب", "scopes": ["eligibility", "records"]}
    )
    page = made.get_data(as_text=True)
    token = re.search(r'<code id="new-token" dir="ltr">([^<]+)</code>', page).group(1)
    headers = {"Authorization": f"Bearer {token}"}
    body = {"national_code": WIFE}
    asked = admin.client.post("/api/provider/eligibility", json=body, headers=headers)
    assert asked.status_code == 200
    listed = admin.get("/centre/tokens").get_data(as_text=True)
    assert token not in listed and "نرم‌افزار مطب" in listed
    with app.app_context():
        stored = db.session.execute(select(ProviderToken)).scalar_one()
    assert stored.scopes == "eligibility,records"
    admin.post(f"/centre/tokens/{stored.id}/revoke", page="/centre/tokens")
    refused = admin.client.post("/api/provider/eligibility", json=body, headers=headers)
    assert refused.status_code == 401


def test_a_token_needs_a_permission(app, admin):
    page = admin.post("/centre/tokens", {"name": "بی‌دسترسی"}).get_data(as_text=True)
    assert "دست‌کم یکی از دسترسی‌ها" in page
    with app.app_context():
        assert db.session.scalar(select(ProviderToken.id)) is None


def test_another_centre_s_token_cannot_be_revoked(app, admin, flask_command):
    other = flask_command("provider", "create", "داروخانه دیگر", "--kind", "pharmacy")
    with app.app_context():
        other_id = db.session.scalar(select(ProviderToken.id))
    admin.post(f"/centre/tokens/{other_id}/revoke", page="/centre/tokens")
    asked = admin.client.post(
        "/api/provider/eligibility",
        json={"national_code": WIFE},
        headers={"Authorization": f"Bearer {other}"},
    )
    assert asked.status_code == 200


def test_an_admin_adds_a_doctor_who_can_then_sign_in(app, admin, make_browser):
    added = admin.post(
        "/centre/members",
        {"national_code": WIFE, "mobile": WIFE_MOBILE, "role": "doctor",
         "medical_council_number": "۱۲۳۴۵", "specialty": "داخلی"},
    )  # fmt: skip
    assert added.status_code == 302
    with app.app_context():
        member = db.session.execute(
            select(CentreMember).where(CentreMember.role == "doctor")
        ).scalar_one()
    assert member.medical_council_number == "12345"
    wife = make_browser()
    assert wife.sign_in(WIFE, WIFE_MOBILE).headers["Location"].endswith("/centre/eligibility")
    assert wife.get("/centre/members").status_code == 403  # not an admin


def test_a_member_with_a_wrong_mobile_is_not_added(app, admin):
    page = admin.post(
        "/centre/members", {"national_code": WIFE, "mobile": "09120000000", "role": "reception"}
    ).get_data(as_text=True)
    assert "مطابقت ندارند" in page
    with app.app_context():
        assert (
            db.session.scalar(select(CentreMember.id).where(CentreMember.role == "reception"))
            is None
        )


def test_a_removed_member_is_signed_out_at_once(app, admin, make_browser):
    admin.post(
        "/centre/members", {"national_code": WIFE, "mobile": WIFE_MOBILE, "role": "reception"}
    )
    wife = make_browser()
    wife.sign_in(WIFE, WIFE_MOBILE)
    with app.app_context():
        member_id = db.session.scalar(
            select(CentreMember.id).where(CentreMember.role == "reception")
        )
    admin.post(f"/centre/members/{member_id}/remove", page="/centre/members")
    assert wife.get("/centre/eligibility").status_code == 302


def test_the_last_admin_cannot_be_removed(app, clinic):
    from server.centres import accounts
    from server.domain.refusal import Conflict

    with app.app_context():
        admin_id = db.session.scalar(select(CentreMember.id))
        with pytest.raises(Conflict) as refused:
            accounts.remove_member(clinic, admin_id)
        assert refused.value.code == "last_admin"


def test_a_passkey_on_a_new_device_needs_a_recent_sign_in(app, admin, clock):
    clock.move(minutes=11)  # the admin's session is confirmed by a passkey, but not recent
    ceremony = admin.post_json("/centre/passkey/options", {"new_device": True}).get_json()
    assert ceremony["mode"] == "register"
    assert len(ceremony["options"]["excludeCredentials"]) == 1  # the desktop's
    credential = SoftAuthenticator().create(ceremony["options"])
    late = admin.post_json(
        "/centre/passkey/verify", {"state": ceremony["state"], "credential": credential}
    )
    assert late.status_code == 401
    assert late.get_json()["error"] == "reauthentication_required"
    with app.app_context():
        assert len(db.session.scalars(select(MemberPasskey.id)).all()) == 1
