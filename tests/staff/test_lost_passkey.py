"""The one passkey rule in the staff console, and the staff action for a lost device in every
realm: the passkeys go (audited, the mobile told), then the SMS path may make a first one."""

import json

import families
import pytest
from auth.authenticator import SoftAuthenticator
from centres.centre_browser import CentreBrowser
from sqlalchemy import select

from server.extensions import db
from server.models import MemberPasskey, Passkey, Person, StaffAudit, StaffPasskey, StaffSession

DOCUMENT = {"document_kind": "national_card", "document_number": "A123"}


def _count(app, model) -> int:
    """How many rows a table holds."""
    with app.app_context():
        return len(db.session.scalars(select(model.id)).all())


def _sms(app) -> list[dict]:
    """Every SMS the file backend wrote."""
    path = app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream.read().splitlines()]


def _up_to_passkey(browser, national_code: str, mobile: str) -> dict:
    """The SMS steps; the passkey step's options."""
    browser.start(national_code, mobile)
    browser.post("/staff/sign-in/code", {"code": browser.last_sms()["code"]})
    return browser.post_json("/staff/sign-in/passkey/options").get_json()


def test_a_staff_sms_only_session_cannot_add_a_passkey_while_one_exists(
    app, make_staff, staff_browser, clock
):
    _, national_code, mobile = make_staff("admin")
    first, second = staff_browser(), staff_browser()
    first.start(national_code, mobile)
    first.post("/staff/sign-in/code", {"code": first.last_sms()["code"]})
    ceremony = _up_to_passkey(second, national_code, mobile)
    assert ceremony["mode"] == "register"  # none exists yet
    assert first.passkey().status_code == 200  # the first browser makes it meanwhile
    late = second.post_json(
        "/staff/sign-in/passkey/verify",
        {
            "state": ceremony["state"],
            "credential": second.authenticator.create(ceremony["options"]),
        },
    )
    assert (late.status_code, late.get_json()["error"]) == (400, "passkey_needed")
    assert _count(app, StaffPasskey) == 1
    assert second.get("/staff/audit").status_code == 302  # not signed in
    clock.move(minutes=2)
    third = staff_browser()
    assert _up_to_passkey(third, national_code, mobile)["mode"] == "login"  # never "register"


def test_a_staff_member_s_first_passkey_is_told_to_their_mobile(app, make_staff, staff_browser):
    _, national_code, mobile = make_staff("branch")
    staff_browser().sign_in(national_code, mobile)
    told = _sms(app)[-1]
    assert told["to"] == mobile and "میز کار کارکنان" in told["text"]


def test_the_cli_removes_a_staff_member_s_passkeys_then_the_sms_path_makes_one(
    app, runner, make_staff, staff_browser, clock
):
    staff_id, national_code, mobile = make_staff("medical")
    lost = staff_browser()
    lost.sign_in(national_code, mobile)
    result = runner.invoke(args=["darman", "staff", "revoke-passkeys", national_code])
    assert result.exception is None, repr(result.exception)
    assert (result.exit_code, result.output.strip()) == (0, "1")
    assert "۱۴۲۰" in _sms(app)[-1]["text"] and _sms(app)[-1]["to"] == mobile
    assert lost.get("/staff/medical").status_code == 302  # its session ended
    with app.app_context():
        audit = db.session.scalars(select(StaffAudit).order_by(StaffAudit.id)).all()[-1]
        assert (audit.action, audit.detail["realm"], audit.detail["by"]) == (
            "passkeys_revoked", "staff", "cli"
        )  # fmt: skip
        assert db.session.scalar(select(StaffSession.ended_at)) is not None
    clock.move(minutes=2)
    again = staff_browser()  # a new device
    assert again.sign_in(national_code, mobile).status_code == 200
    assert _count(app, StaffPasskey) == 1


def register(browser, authenticator: SoftAuthenticator):
    """A citizen's passkey registration; the verify answer."""
    ceremony = browser.post("/api/auth/passkeys/register/options").get_json()
    credential = authenticator.create(ceremony["options"])
    body = {"state": ceremony["state"], "credential": credential}
    return browser.post("/api/auth/passkeys/register/verify", body)


@pytest.fixture
def branch(signed_in, family):
    """A branch member, signed in, with the Rezaei family in the registry."""
    return signed_in("branch")


def _person_id(app, national_code: str) -> int:
    """A registry person's id."""
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.national_code == national_code))


def test_the_branch_removes_a_citizen_s_passkeys_then_the_sms_path_makes_one(
    app, branch, citizen, make_citizen, clock
):
    citizen.sign_in(families.INSURED, families.INSURED_MOBILE)
    assert register(citizen, SoftAuthenticator()).status_code == 201
    person_id = _person_id(app, families.INSURED)
    removed = branch.post(
        branch.person_url(families.INSURED) + "/passkeys", {"realm": "citizen", **DOCUMENT}
    )
    assert removed.status_code == 303
    assert _count(app, Passkey) == 0
    assert "کلیدهای عبور" in _sms(app)[-1]["text"]
    assert citizen.get("/api/me").status_code == 401  # the app's devices are signed out
    with app.app_context():
        audit = db.session.scalars(select(StaffAudit).order_by(StaffAudit.id)).all()[-1]
        assert (audit.action, audit.person_id, audit.detail["realm"]) == (
            "passkeys_revoked", person_id, "citizen"
        )  # fmt: skip
    clock.move(minutes=2)
    phone = make_citizen()
    assert phone.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    assert register(phone, SoftAuthenticator()).status_code == 201


def test_the_branch_removes_a_member_s_passkeys_then_the_sms_path_makes_one(
    app, branch, runner, clock
):
    result = runner.invoke(
        args=["darman", "centre", "create", "مطب سلامت", "--kind", "doctor",
              "--admin", f"{families.INSURED}:{families.INSURED_MOBILE}"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    desk = CentreBrowser(app, app.test_client())
    desk.sign_in(families.INSURED, families.INSURED_MOBILE)
    desk.confirm_with_passkey(SoftAuthenticator())
    clock.move(minutes=2)
    stranger = CentreBrowser(app, app.test_client())
    stranger.sign_in(families.INSURED, families.INSURED_MOBILE)
    assert stranger.post_json("/centre/passkey/options", {"new_device": True}).status_code == 400
    removed = branch.post(
        branch.person_url(families.INSURED) + "/passkeys", {"realm": "centre", **DOCUMENT}
    )
    assert removed.status_code == 303
    assert _count(app, MemberPasskey) == 0
    assert desk.get("/centre/eligibility").status_code == 302  # its session ended
    clock.move(minutes=2)
    tablet = CentreBrowser(app, app.test_client())
    tablet.sign_in(families.INSURED, families.INSURED_MOBILE)
    tablet.confirm_with_passkey(SoftAuthenticator())  # a first passkey again
    assert _count(app, MemberPasskey) == 1


def test_without_a_document_or_a_passkey_the_branch_removes_nothing(app, branch, citizen):
    citizen.sign_in(families.INSURED, families.INSURED_MOBILE)
    url = branch.person_url(families.INSURED) + "/passkeys"
    no_document = branch.post(url, {"realm": "citizen", "document_number": ""})
    assert no_document.status_code == 400
    none_there = branch.post(url, {"realm": "centre", **DOCUMENT})
    assert none_there.status_code == 400
    assert "این شخص در آن بخش کلید عبوری ندارد." in none_there.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(
            select(StaffAudit.id).where(StaffAudit.action == "passkeys_revoked")
        )


def test_only_the_branch_removes_a_person_s_passkeys(app, signed_in, family):
    medical = signed_in("medical")
    person_id = _person_id(app, families.INSURED)
    answer = medical.post(
        f"/staff/branch/people/{person_id}/passkeys", {"realm": "citizen", **DOCUMENT}
    )
    assert answer.status_code == 403
