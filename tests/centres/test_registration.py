"""Doctors register an office with the four documents (checked by content, kept outside the web
root), wait «در حال بررسی», and are approved by `centre approve`, which texts them."""

import io
from pathlib import Path

import documents
import pytest
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.extensions import db
from server.models import CentreDocument, CentreMember, Provider

KINDS = ("council_card", "national_card", "medical_licence", "activity_licence")


def details(**changes) -> dict:
    """The details form, right in every field, with a PDF or PNG for each document."""
    fields = {
        "medical_council_number": "۱۲۳۴۵۶",
        "specialty": "پزشک عمومی",
        "office_name": "مطب دکتر رضایی",
        "city": "تهران",
        "address": "خیابان آزادی، پلاک ۱۰",
        "contract_requested": "y",
        "council_card": (io.BytesIO(documents.pdf()), "council.pdf"),
        "national_card": (io.BytesIO(documents.png()), "card.png"),
        "medical_licence": (io.BytesIO(documents.pdf()), "licence.pdf"),
        "activity_licence": (io.BytesIO(documents.png()), "activity.png"),
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


def confirm_mobile(browser, national_code=INSURED, mobile=INSURED_MOBILE) -> None:
    """The registration's SMS step."""
    started = browser.post("/centre/register", {"national_code": national_code, "mobile": mobile})
    assert started.status_code == 302
    code = browser.last_sms()["code"]
    confirmed = browser.post("/centre/register/code", {"code": code}, page="/centre/register/code")
    assert confirmed.headers["Location"].endswith("/centre/register/details")


def send(browser, fields: dict):
    """POST the details form with its files, encoded in memory as a browser sends them.

    (Werkzeug's test client would spool a large body to a temporary file it never closes.)
    """
    values = {"csrf_token": browser.csrf("/centre/register/details")}
    for name, value in fields.items():
        if isinstance(value, tuple):
            value = FileStorage(stream=value[0], filename=value[1])
        values[name] = value
    boundary, body = encode_multipart(values)
    return browser.client.post(
        "/centre/register/details",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def counts(app) -> tuple[int, int, int, int]:
    """Centres, members, documents, and stored files."""
    with app.app_context():
        folder = Path(app.instance_path) / "documents"
        files = len(list(folder.glob("*"))) if folder.exists() else 0
        return (
            db.session.scalar(select(func.count()).select_from(Provider)),
            db.session.scalar(select(func.count()).select_from(CentreMember)),
            db.session.scalar(select(func.count()).select_from(CentreDocument)),
            files,
        )


@pytest.fixture
def registrant(family, centre_browser):
    """A doctor whose mobile is confirmed, at the details form."""
    confirm_mobile(centre_browser)
    return centre_browser


def test_a_doctor_registers_waits_and_is_approved(app, registrant, flask_command):
    sent = send(registrant, details())
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/centre/waiting")
    assert "در حال بررسی" in registrant.get("/centre/waiting").get_data(as_text=True)
    assert registrant.get("/centre/eligibility").headers["Location"].endswith("/centre/waiting")
    with app.app_context():
        centre = db.session.execute(select(Provider)).scalar_one()
        member = db.session.execute(select(CentreMember)).scalar_one()
        stored = db.session.scalars(select(CentreDocument)).all()
    assert (centre.kind, centre.status, centre.city) == ("doctor", "pending", "تهران")
    assert centre.contract_requested is True
    assert (member.role, member.is_admin, member.medical_council_number) == (
        "doctor",
        True,
        "123456",
    )
    assert sorted(d.kind for d in stored) == sorted(KINDS)
    assert {d.media_type for d in stored} == {"application/pdf", "image/png"}
    folder = Path(app.instance_path) / "documents"
    assert (folder / stored[0].stored_as).read_bytes()[:5] in (b"%PDF-", b"\x89PNG\r")
    assert "pwa" not in str(folder.resolve())
    flask_command("centre", "approve", str(centre.id))
    sms = registrant.last_sms()
    assert sms["to"] == INSURED_MOBILE and "تأیید شد" in sms["text"]
    assert registrant.get("/centre/eligibility").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"council_card": (io.BytesIO(documents.executable()), "council.pdf")},
            "council_card",
            "باید از نوع PDF، JPEG یا PNG باشد",
            id="renamed-executable",
        ),
        pytest.param(
            {"national_card": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)), "big.pdf")},
            "national_card",
            "بیش از ۵ مگابایت",
            id="too-large",
        ),
        pytest.param({"activity_licence": None}, "activity_licence", "را پیوست کنید", id="missing"),
    ],
)
def test_a_wrong_application_is_told_in_persian_and_nothing_is_kept(
    app, registrant, changes, field, message
):
    files_before = counts(app)[3]
    page = send(registrant, details(**changes))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert message in text
    assert f'id="{field}-error"' in text
    assert counts(app) == (0, 0, 0, files_before)


def test_a_medical_council_number_registered_twice_is_refused(app, registrant, make_browser, clock):
    files_before = counts(app)[3]
    assert send(registrant, details()).status_code == 302
    second = make_browser()
    confirm_mobile(second, WIFE, WIFE_MOBILE)
    page = send(second, details())
    assert "این شمارهٔ نظام پزشکی پیش‌تر ثبت شده است" in page.get_data(as_text=True)
    assert counts(app) == (1, 1, 4, files_before + 4)


def test_the_name_is_the_registry_s_and_not_asked(registrant):
    page = registrant.get("/centre/register/details").get_data(as_text=True)
    assert "علی رضایی" in page
    assert 'name="first_name"' not in page and 'name="last_name"' not in page


def held_files(app) -> set:
    """The uploads held for registrations still being put right."""
    from server.centres.documents import holding_folder

    with app.app_context():
        return set(holding_folder().glob("*"))


def test_one_bad_file_keeps_the_three_good_ones_and_says_which_to_send_again(app, registrant):
    held_before = held_files(app)
    bad = {"medical_licence": (io.BytesIO(documents.executable()), "licence.pdf")}
    page = send(registrant, details(**bad)).get_data(as_text=True)
    assert 'id="medical_licence-error"' in page
    kept = page.split('class="held-summary"', 1)[1].split("</div>", 1)[0]
    assert "نگه داشته شد" in kept
    for label in ("کارت نظام پزشکی", "کارت ملی", "پروانهٔ فعالیت (مطب)"):
        assert label in kept.split("لطفاً دوباره بفرستید")[0]
    assert "پروانهٔ دائم یا موقت پزشکی" in kept.split("لطفاً دوباره بفرستید")[1]
    again = {kind: None for kind in KINDS} | {
        "medical_licence": (io.BytesIO(documents.pdf()), "licence.pdf")
    }
    sent = send(registrant, details(**again))  # only the one file that was refused
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/centre/waiting")
    assert counts(app)[:3] == (1, 1, 4)
    assert held_files(app) == held_before  # nothing held once the office is made


def test_held_files_are_not_kept_for_another_registrant(app, registrant, make_browser):
    send(registrant, details(council_card=None))
    other = make_browser()
    confirm_mobile(other, WIFE, WIFE_MOBILE)
    page = send(other, details(**{kind: None for kind in KINDS})).get_data(as_text=True)
    assert page.count('class="error"') == 4 and "held-summary" not in page


def test_a_doctor_not_in_the_registry_is_told_what_a_doctor_should_do(family, centre_browser):
    page = centre_browser.post(
        "/centre/register", {"national_code": "0000000604", "mobile": "09120000000"}
    ).get_data(as_text=True)
    assert "ادارهٔ کل درمان تأمین اجتماعی استان" in page
    assert "برای ثبت‌نام و احراز هویت با شمارهٔ همراه" not in page  # the citizen's words


def test_after_sending_the_doctor_gets_a_tracking_number_the_time_and_whom_to_call(app, registrant):
    send(registrant, details())
    page = registrant.get("/centre/waiting").get_data(as_text=True)
    with app.app_context():
        centre_id = db.session.scalar(select(Provider.id))
    number = f"{centre_id:06d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f'id="registration-number" dir="ltr">{number}<' in page
    assert "حداکثر ۳ روز کاری" in page and "۱۴۲۰" in page


def test_the_details_need_a_confirmed_mobile(centre_browser):
    assert (
        centre_browser.get("/centre/register/details")
        .headers["Location"]
        .endswith("/centre/register")
    )


def test_a_rejected_registration_stays_out(app, registrant, flask_command):
    send(registrant, details())
    with app.app_context():
        centre_id = db.session.scalar(select(Provider.id))
    flask_command("centre", "reject", str(centre_id), "--reason", "مدارک ناخوانا")
    assert registrant.get("/centre/eligibility").status_code == 302


def test_held_files_nobody_came_back_for_are_swept(app, registrant):
    import os

    send(registrant, details(council_card=None))  # three held
    held = held_files(app)
    for path in held:
        os.utime(path, (0, 0))  # written long ago
    page = send(registrant, details(**{kind: None for kind in KINDS})).get_data(as_text=True)
    assert not held & held_files(app)
    assert page.count('class="error"') == 4  # all four to be sent again
