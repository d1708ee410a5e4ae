"""The web's admissions (a hospital's member admits and discharges, sees the other insurer
named) and the staff console's overlaps (medical staff mark one resolved with a note, audited)."""

import sys
from pathlib import Path

import pytest
from families import FATHER, INSURED, WIFE, WIFE_MOBILE
from sqlalchemy import func, select

from server.extensions import db
from server.models import Admission, StaffAudit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "centres"))
from centres.centre_browser import CentreBrowser  # noqa: E402
from staff.conftest import TEHRAN_ADDRESS, StaffBrowser  # noqa: E402

TODAY_JALALI = "1405/09/01"


@pytest.fixture
def reception(app, runner, other_insurer) -> CentreBrowser:
    """Zahra, admin of a hospital, signed in on the web for centres."""
    result = runner.invoke(
        args=["darman", "centre", "create", "بیمارستان نور", "--kind", "hospital",
              "--admin", f"{WIFE}:{WIFE_MOBILE}"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    browser = CentreBrowser(app, app.test_client())
    browser.sign_in(WIFE, WIFE_MOBILE)
    return browser


def admit(browser: CentreBrowser, **fields):
    """Send the admission form (Ali today, in ward «جراحی» unless `fields` say otherwise)."""
    form = {"national_code": INSURED, "admitted_on": TODAY_JALALI, "ward": "جراحی"} | fields
    return browser.post("/centre/admissions", form, page="/centre/admissions")


def test_a_hospital_admits_and_sees_the_other_insurer_named(app, reception):
    page = admit(reception)
    assert page.status_code == 201, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    assert "حمایت درمانی دارد" in html and "بیمه سلامت" in html
    assert "قواعد رفع هم‌پوشانی" in html  # the next step
    listed = reception.get("/centre/admissions").get_data(as_text=True)
    assert "جراحی" in listed and "علی رضایی" in listed


def test_a_bad_admission_form_says_why_and_changes_nothing(app, reception):
    page = admit(reception, admitted_on="1405/13/01")
    assert page.status_code == 400 and "این تاریخ درست نیست" in page.get_data(as_text=True)
    page = admit(reception, admitted_on="1405/09/02")
    assert page.status_code == 400
    assert "تاریخ پذیرش نمی‌تواند در آینده باشد" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Admission)) == 0


def test_discharge_in_the_web_once(app, reception):
    assert admit(reception, national_code=FATHER).status_code == 201
    with app.app_context():
        admission = db.session.scalars(select(Admission)).one().id
    url = f"/centre/admissions/{admission}/discharge"
    first = reception.post(url, page="/centre/admissions")
    assert first.status_code == 303
    again = reception.post(url, page="/centre/admissions", follow_redirects=True)
    assert "ترخیص این بیمار پیش‌تر ثبت شده است" in again.get_data(as_text=True)


def test_other_centres_have_no_admissions_page(app, runner, family):
    from families import INSURED_MOBILE

    runner.invoke(
        args=["darman", "centre", "create", "مطب سلامت", "--kind", "doctor",
              "--admin", f"{INSURED}:{INSURED_MOBILE}"]
    )  # fmt: skip
    browser = CentreBrowser(app, app.test_client())
    browser.sign_in(INSURED, INSURED_MOBILE)
    assert browser.get("/centre/admissions").status_code == 404


def test_medical_staff_resolve_an_overlap_with_a_note_audited(app, runner, reception):
    assert admit(reception).status_code == 201
    result = runner.invoke(
        args=["darman", "staff", "create", "0499370899", "09121110001", "--role", "medical"]
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = TEHRAN_ADDRESS
    staff = StaffBrowser(app, client)
    staff.sign_in("0499370899", "09121110001")
    listed = staff.get("/staff/overlaps").get_data(as_text=True)
    assert "بیمه سلامت" in listed and "بیمارستان نور" in listed
    with app.app_context():
        admission = db.session.scalars(select(Admission)).one().id
    token = {f"overlap-{admission}-csrf_token": staff.csrf()}
    empty = staff.post(f"/staff/overlaps/{admission}", {f"overlap-{admission}-note": ""} | token)
    assert empty.status_code == 400 and "لطفاً" in empty.get_data(as_text=True)
    note = "بیمار بیمهٔ سلامت را برای این بستری برگزید"
    done = staff.post(
        f"/staff/overlaps/{admission}",
        {f"overlap-{admission}-note": note} | token,
    )
    assert done.status_code == 303, done.get_data(as_text=True)
    assert "بیمه سلامت" not in staff.get("/staff/overlaps").get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Admission, admission)
        audited = db.session.scalars(
            select(StaffAudit).where(StaffAudit.action == "overlap_resolved")
        ).one()
    assert row.overlap_note == note and row.overlap_resolved_by is not None
    assert audited.subject == f"admission:{admission}"
