"""Helpers of the prescribing tests: the catalogue loaded with the real commands, a doctor and
pharmacists confirmed with passkeys, and the forms they send."""

import re

from authenticator import SoftAuthenticator
from families import FATHER, SON, WIFE, WIFE_MOBILE

from server.centres import accounts
from server.extensions import db

FATHER_MOBILE = "09141111111"
SON_MOBILE = "09131111111"
INQUIRY_LINK = re.compile(r"/centre/prescriptions/new/(\d+)")


def add_member(app, centre_id: int, national_code: str, mobile: str, role: str) -> None:
    """Add a person to a centre in a role, as an admin would."""
    with app.app_context():
        person = accounts.find_person(national_code, mobile)
        extra = {"medical_council_number": "12345"} if role == "doctor" else {}
        accounts.add_member(centre_id, person.id, role, **extra)
        db.session.commit()


def confirmed(browser, national_code: str, mobile: str):
    """Sign in by SMS and confirm the session with a new passkey."""
    browser.sign_in(national_code, mobile)
    browser.authenticator = SoftAuthenticator()
    browser.confirm_with_passkey(browser.authenticator)
    return browser


def make_doctor(app, clinic, browser):
    """Zahra, a doctor of the clinic, confirmed with a passkey."""
    add_member(app, clinic, WIFE, WIFE_MOBILE, "doctor")
    return confirmed(browser, WIFE, WIFE_MOBILE)


def make_pharmacist(app, flask_command, browser, name: str, who: str):
    """A pharmacy (made with the real command) and its pharmacist (Hossein or Mohammad)."""
    national_code, mobile = {"father": (FATHER, FATHER_MOBILE), "son": (SON, SON_MOBILE)}[who]
    from families import INSURED, INSURED_MOBILE

    centre = int(
        flask_command(
            "centre", "create", name, "--kind", "pharmacy", "--admin", f"{INSURED}:{INSURED_MOBILE}"
        )
    )
    add_member(app, centre, national_code, mobile, "pharmacist")
    return confirmed(browser, national_code, mobile)


def visit(doctor, national_code: str) -> int:
    """Check the patient's eligibility; the id of the inquiry the «نسخهٔ جدید» link names."""
    page = doctor.post("/centre/eligibility", {"national_code": national_code})
    found = INQUIRY_LINK.search(page.get_data(as_text=True))
    assert found, "no «نسخهٔ جدید» link on a covered answer"
    return int(found.group(1))


def items(*rows: tuple[str, str, str]) -> dict:
    """Item rows of the form: (code or name, quantity, instructions)."""
    fields = {}
    for index, (code, quantity, instructions) in enumerate(rows):
        fields[f"items-{index}-code"] = code
        fields[f"items-{index}-quantity"] = quantity
        fields[f"items-{index}-instructions"] = instructions
    return fields
