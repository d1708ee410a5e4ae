"""Medical staff approve or reject the doctors who register on the web, view their documents in
the browser only, and suspend active centres; every step is audited, and only they can do it."""

import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from sqlalchemy import func, select

from server.extensions import db
from server.models import (
    CentreDocument,
    MemberSession,
    Person,
    Provider,
    ProviderToken,
    StaffAudit,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "centres"))
import documents  # noqa: E402  (tests/centres: real PDF and PNG bytes)
from centres.centre_browser import CentreBrowser  # noqa: E402
from centres.test_registration import confirm_mobile, details, send  # noqa: E402

TEHRAN_ADDRESS = "5.160.0.10"  # the staff browsers' address (tests/staff/conftest.py)


def register(app, national_code: str, mobile: str, **changes) -> CentreBrowser:
    """A doctor registers an office on /centre/register; their browser, at «در حال بررسی»."""
    browser = CentreBrowser(app, app.test_client())
    confirm_mobile(browser, national_code, mobile)
    sent = send(browser, details(**changes))
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/centre/waiting")
    return browser


def centre_of(app, name: str) -> Provider:
    """The centre with this name, as stored now."""
    with app.app_context():
        centre = db.session.scalar(select(Provider).where(Provider.name == name))
        db.session.expunge(centre)
        return centre


def audit_rows(app, action: str) -> list[StaffAudit]:
    """The audit rows of one action, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(StaffAudit).where(StaffAudit.action == action).order_by(StaffAudit.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def doctor_id(app) -> int:
    """Ali Rezaei's person id (the registering doctor)."""
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.national_code == INSURED))


def sms_lines(app) -> int:
    """How many texts the file backend has written."""
    path = Path(app.config["DARMAN_SMS_BACKEND"].removeprefix("file:"))
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


@pytest.fixture
def flask_command(runner):
    """Run `flask darman …` and return its stdout; fails the test on a non-zero exit."""

    def run(*args: str) -> str:
        result = runner.invoke(args=["darman", *args])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    return run


@pytest.fixture
def doctor(app, family):
    """Ali Rezaei has registered «مطب دکتر رضایی»; his browser."""
    return register(app, INSURED, INSURED_MOBILE)


@pytest.fixture
def centre_id(app, doctor) -> int:
    """The pending office's id."""
    return centre_of(app, "مطب دکتر رضایی").id


def test_the_queue_lists_waiting_registrations_oldest_first(app, doctor, signed_in):
    register(
        app,
        WIFE,
        WIFE_MOBILE,
        first_name="زهرا",
        medical_council_number="654321",
        office_name="مطب دکتر زهرا رضایی",
        specialty="متخصص کودکان",
        city="اصفهان",
    )
    page = signed_in("medical").get("/staff/medical").get_data(as_text=True)
    pending = page.split("مراکز فعال")[0]
    assert pending.index("مطب دکتر رضایی") < pending.index("مطب دکتر زهرا رضایی")
    assert "متخصص کودکان" in pending and "اصفهان" in pending and "امروز" in pending


def test_a_registration_shows_the_doctor_the_office_and_the_four_documents(
    app, centre_id, signed_in
):
    medical = signed_in("medical")
    page = medical.get(f"/staff/medical/centres/{centre_id}").get_data(as_text=True)
    for text in ("علی رضایی", "۱۲۳۴۵۶", "پزشک عمومی", "مطب دکتر رضایی", "تهران"):
        assert text in page
    assert "خیابان آزادی، پلاک ۱۰" in page and "درخواست شده" in page
    assert "۰۰۱***۶۷۹" in page  # masked …
    assert INSURED not in page and "۰۰۱۲۳۴۵۶۷۹" not in page  # … never whole
    for label in ("کارت نظام پزشکی", "کارت ملی", "پروانهٔ", "مطب"):
        assert label in page
    assert page.count(f"/staff/medical/centres/{centre_id}/documents/") == 4
    assert "کارت ملی.png" in unquote(page)  # each tab is titled by its document, not «4»
    number = f"{centre_id:06d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert number in page  # the tracking number the doctor was given
    [viewed] = audit_rows(app, "centre_viewed")
    assert viewed.subject == f"centre:{centre_id}" and viewed.address == TEHRAN_ADDRESS
    assert viewed.person_id == doctor_id(app)


def test_documents_open_in_the_browser_never_cached_and_sandboxed(app, centre_id, signed_in):
    medical = signed_in("medical")
    with app.app_context():
        stored = db.session.scalars(
            select(CentreDocument).where(CentreDocument.provider_id == centre_id)
        ).all()
    sent = {"council_card": documents.pdf(), "national_card": documents.png()}
    for document in stored:
        answer = medical.get(f"/staff/medical/centres/{centre_id}/documents/{document.id}")
        assert answer.status_code == 200
        assert answer.mimetype == document.media_type
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["Content-Disposition"] == "inline"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Content-Security-Policy"].startswith("sandbox;")
        if document.kind in sent:
            assert answer.data == sent[document.kind]
    viewed = audit_rows(app, "document_viewed")
    assert {row.person_id for row in viewed} == {doctor_id(app)}
    kinds = sorted(row.detail["kind"] for row in viewed)
    assert kinds == sorted(document.kind for document in stored)
    assert (
        medical.get(f"/staff/medical/centres/{centre_id + 1}/documents/{stored[0].id}").status_code
        == 404
    )
    assert medical.get(f"/staff/medical/centres/{centre_id}/documents/99999").status_code == 404


def test_documents_are_not_under_the_web_root(app, centre_id, client):
    with app.app_context():
        name = db.session.scalar(select(CentreDocument.stored_as))
    for prefix in ("/", "/static/", "/centre/static/", "/staff/static/", "/documents/"):
        assert client.get(prefix + name).status_code == 404


def test_approval_activates_the_centre_texts_the_doctor_and_is_audited(
    app, doctor, centre_id, make_staff, staff_browser, clock
):
    staff_id, national_code, mobile = make_staff("medical")
    medical = staff_browser()
    medical.sign_in(national_code, mobile)
    answer = medical.post(f"/staff/medical/centres/{centre_id}/approve")
    assert answer.status_code == 303 and answer.location.endswith("/staff/medical")
    assert "تأیید شد" in medical.get("/staff/medical").get_data(as_text=True)
    centre = centre_of(app, "مطب دکتر رضایی")
    assert (centre.status, centre.approved_by) == ("active", staff_id)
    sms = doctor.last_sms()
    assert sms["to"] == INSURED_MOBILE and "تأیید شد" in sms["text"]
    [row] = audit_rows(app, "centre_approved")
    assert (row.staff_id, row.subject, row.address) == (
        staff_id,
        f"centre:{centre_id}",
        TEHRAN_ADDRESS,
    )
    assert row.person_id == doctor_id(app) and row.at is not None
    # The doctor's session now works, and a new sign-in does too.
    assert doctor.get("/centre/eligibility").status_code == 200
    clock.move(minutes=2)  # past the SMS codes' minute between two asks
    again = CentreBrowser(app, app.test_client()).sign_in(INSURED, INSURED_MOBILE)
    assert again.status_code == 302 and again.headers["Location"].endswith("/centre/eligibility")


def test_a_decided_registration_cannot_be_decided_again(app, centre_id, signed_in):
    medical = signed_in("medical")
    assert medical.post(f"/staff/medical/centres/{centre_id}/approve").status_code == 303
    before = (sms_lines(app), len(audit_rows(app, "centre_approved")))
    again = medical.post(f"/staff/medical/centres/{centre_id}/approve")
    assert again.status_code == 409
    assert "دیگر در انتظار تصمیم نیست" in again.get_data(as_text=True)
    refused = medical.post(
        f"/staff/medical/centres/{centre_id}/reject", {"reason": "مدارک ناخوانا"}
    )
    assert refused.status_code == 409
    assert centre_of(app, "مطب دکتر رضایی").status == "active"
    assert (sms_lines(app), len(audit_rows(app, "centre_approved"))) == before
    assert audit_rows(app, "centre_rejected") == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(
    app, centre_id, signed_in, reason
):
    medical = signed_in("medical")
    texts = sms_lines(app)
    answer = medical.post(f"/staff/medical/centres/{centre_id}/reject", {"reason": reason})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert ("لطفاً دلیل را بنویسید" in page) or ("۵۰۰" in page)
    assert 'aria-invalid="true"' in page
    assert centre_of(app, "مطب دکتر رضایی").status == "pending"
    assert sms_lines(app) == texts and audit_rows(app, "centre_rejected") == []


def test_a_rejected_doctor_is_told_why_and_cannot_sign_in(app, doctor, centre_id, signed_in, clock):
    medical = signed_in("medical")
    answer = medical.post(
        f"/staff/medical/centres/{centre_id}/reject", {"reason": "تصویر کارت نظام پزشکی ناخواناست"}
    )
    assert answer.status_code == 303
    centre = centre_of(app, "مطب دکتر رضایی")
    assert (centre.status, centre.rejection_reason) == (
        "suspended",
        "تصویر کارت نظام پزشکی ناخواناست",
    )
    assert centre.approved_by is None
    sms = doctor.last_sms()
    assert sms["to"] == INSURED_MOBILE
    assert "تأیید نشد" in sms["text"] and "تصویر کارت نظام پزشکی ناخواناست" in sms["text"]
    [row] = audit_rows(app, "centre_rejected")
    assert row.detail == {"reason": "تصویر کارت نظام پزشکی ناخواناست"}
    assert row.subject == f"centre:{centre_id}" and row.address == TEHRAN_ADDRESS
    # The waiting session has ended, and a new sign-in is refused with the reason's whereabouts.
    assert doctor.get("/centre/waiting").headers["Location"].endswith("/centre/sign-in")
    clock.move(minutes=2)
    browser = CentreBrowser(app, app.test_client())
    refused = browser.sign_in(INSURED, INSURED_MOBILE)
    assert refused.status_code == 200
    assert "ثبت‌نام شما تأیید نشد" in refused.get_data(as_text=True)
    assert "darman-centre=" not in refused.headers.get("Set-Cookie", "")
    assert browser.get("/centre/eligibility").headers["Location"].endswith("/centre/sign-in")
    with app.app_context():
        live = db.session.scalar(
            select(func.count()).select_from(MemberSession).where(MemberSession.ended_at.is_(None))
        )
    assert live == 0
    # It leaves the queue and is not among the active centres.
    page = medical.get("/staff/medical").get_data(as_text=True)
    assert "مطب دکتر رضایی" not in page


def test_medical_staff_suspend_an_active_centre_at_once(
    app, family, flask_command, client, signed_in
):
    centre_id = int(
        flask_command(
            "centre",
            "create",
            "داروخانهٔ شفا",
            "--kind",
            "pharmacy",
            "--admin",
            f"{INSURED}:{INSURED_MOBILE}",
        )  # fmt: skip
    )
    token = flask_command(
        "provider", "create", "شفا", "--kind", "pharmacy", "--centre", str(centre_id)
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}

    def ask():
        return client.post(
            "/api/provider/eligibility", json={"national_code": WIFE}, headers=headers
        )

    assert ask().status_code == 200
    pharmacist = CentreBrowser(app, app.test_client())
    assert pharmacist.sign_in(INSURED, INSURED_MOBILE).status_code == 302
    assert pharmacist.get("/centre/eligibility").status_code == 200

    medical = signed_in("medical")
    listing = medical.get("/staff/medical").get_data(as_text=True)
    assert f"/staff/medical/centres/{centre_id}" in listing.split("مراکز فعال", 1)[1]
    page = medical.get(f"/staff/medical/centres/{centre_id}").get_data(as_text=True)
    assert "تعلیق مرکز" in page
    missing = medical.post(f"/staff/medical/centres/{centre_id}/suspend", {"reason": ""})
    assert missing.status_code == 400 and "لطفاً دلیل را بنویسید" in missing.get_data(as_text=True)
    assert centre_of(app, "داروخانهٔ شفا").status == "active"

    answer = medical.post(
        f"/staff/medical/centres/{centre_id}/suspend", {"reason": "گزارش سوءاستفاده"}
    )
    assert answer.status_code == 303
    assert centre_of(app, "داروخانهٔ شفا").status == "suspended"
    assert ask().status_code == 401
    assert pharmacist.get("/centre/eligibility").headers["Location"].endswith("/centre/sign-in")
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ProviderToken)
                .where(ProviderToken.revoked_at.is_(None))
            )
            == 0
        )
    [row] = audit_rows(app, "centre_suspended")
    assert row.detail == {"reason": "گزارش سوءاستفاده"} and row.subject == f"centre:{centre_id}"
    again = medical.post(f"/staff/medical/centres/{centre_id}/suspend", {"reason": "دوباره"})
    assert again.status_code == 409 and len(audit_rows(app, "centre_suspended")) == 1


def test_a_pending_registration_cannot_be_suspended(app, centre_id, signed_in):
    medical = signed_in("medical")
    answer = medical.post(f"/staff/medical/centres/{centre_id}/suspend", {"reason": "آزمایش"})
    assert answer.status_code == 409
    assert "فقط مرکز فعال" in answer.get_data(as_text=True)
    assert centre_of(app, "مطب دکتر رضایی").status == "pending"
    assert audit_rows(app, "centre_suspended") == []


def test_an_unknown_centre_is_not_found(signed_in):
    medical = signed_in("medical")
    assert medical.get("/staff/medical/centres/99999").status_code == 404
    assert medical.post("/staff/medical/centres/99999/approve").status_code == 404


@pytest.mark.parametrize("role", ["branch", "admin"])
def test_other_roles_reach_none_of_it(app, centre_id, signed_in, role):
    other = signed_in(role)
    with app.app_context():
        document_id = db.session.scalar(select(CentreDocument.id))
    base = f"/staff/medical/centres/{centre_id}"
    for url in ("/staff/medical", base, f"{base}/documents/{document_id}"):
        assert other.get(url).status_code == 403, url
    for url in (f"{base}/approve", f"{base}/reject", f"{base}/suspend"):
        assert other.post(url, {"reason": "آزمایش"}).status_code == 403, url
    assert centre_of(app, "مطب دکتر رضایی").status == "pending"
    assert audit_rows(app, "document_viewed") == audit_rows(app, "centre_viewed") == []


def test_citizen_and_centre_sessions_reach_none_of_it(app, doctor, centre_id, citizen, clock):
    import families

    clock.move(minutes=2)
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    with app.app_context():
        document_id = db.session.scalar(select(CentreDocument.id))
    base = f"/staff/medical/centres/{centre_id}"
    for browser in (citizen, doctor):
        for url in ("/staff/medical", base, f"{base}/documents/{document_id}"):
            answer = browser.get(url)
            assert answer.status_code == 302 and answer.location.endswith("/staff/sign-in"), url
    token = doctor.csrf("/centre/waiting")
    answer = doctor.client.post(f"{base}/approve", data={"csrf_token": token})
    assert answer.status_code in (302, 400)
    assert centre_of(app, "مطب دکتر رضایی").status == "pending"


def test_the_cli_approval_records_no_staff_member(app, centre_id, flask_command):
    flask_command("centre", "approve", str(centre_id))
    centre = centre_of(app, "مطب دکتر رضایی")
    assert (centre.status, centre.approved_by) == ("active", None)


def test_the_audit_screen_names_the_medical_actions(app, centre_id, signed_in):
    signed_in("medical").post(f"/staff/medical/centres/{centre_id}/approve")
    page = signed_in("admin").get("/staff/audit").get_data(as_text=True)
    assert "تأیید مرکز" in page


def test_the_active_centres_are_found_by_name(app, family, flask_command, signed_in):
    for name in ("داروخانهٔ شفا", "آزمایشگاه نور", "مطب ۱۰۰%"):
        flask_command("provider", "create", name, "--kind", "pharmacy")
    medical = signed_in("medical")
    found = medical.get("/staff/medical", query_string={"name": "  شفا "}).get_data(as_text=True)
    assert "داروخانهٔ شفا" in found and "آزمایشگاه نور" not in found
    percent = medical.get("/staff/medical", query_string={"name": "%"}).get_data(as_text=True)
    assert "مطب ۱۰۰%" in percent and "آزمایشگاه نور" not in percent  # % is a letter, not a wildcard
    none = medical.get("/staff/medical", query_string={"name": "بیمارستان"}).get_data(as_text=True)
    assert "مرکز فعالی با این نام نیست" in none


def test_medical_pages_commit_nothing_and_a_viewing_or_a_decision_once(
    app, centre_id, signed_in, clock, count_commits
):
    medical = signed_in("medical")
    count_commits.reset()
    assert medical.get("/staff/medical").status_code == 200
    assert count_commits.count == 0, count_commits.statements
    count_commits.reset()
    assert medical.get(f"/staff/medical/centres/{centre_id}").status_code == 200
    assert count_commits.count == 1  # the audit of the viewing
    count_commits.reset()
    assert medical.post(f"/staff/medical/centres/{centre_id}/approve").status_code == 303
    assert count_commits.count == 1, count_commits.statements  # the centre with its audit row
    count_commits.reset()
    assert medical.post(f"/staff/medical/centres/{centre_id}/approve").status_code == 409
    assert count_commits.count == 0


def test_a_decision_whose_audit_fails_is_undone(app, centre_id, signed_in, monkeypatch):
    from server.staff import audit

    medical = signed_in("medical")
    record = audit.record

    def broken(action, **kwargs):
        if action == "centre_suspended":
            raise RuntimeError("the audit cannot be written")
        return record(action, **kwargs)

    assert medical.post(f"/staff/medical/centres/{centre_id}/approve").status_code == 303
    monkeypatch.setattr(audit, "record", broken)
    suspended = medical.post(f"/staff/medical/centres/{centre_id}/suspend", {"reason": "تخلف"})
    assert suspended.status_code == 500
    assert centre_of(app, "مطب دکتر رضایی").status == "active"  # no action without its audit
    assert audit_rows(app, "centre_suspended") == []
