"""Centres deliver in the browser: national code → the open prescriptions this kind of centre may
serve → quantities (part allowed, the rest for another centre) → a printable receipt; over-delivery
and expired prescriptions refused with the amounts and dates, nothing written."""

import re

import pytest
from catalogue_loading import load_small_catalogue
from families import INSURED, INSURED_MOBILE, SON
from patient_view import readers_seen
from sqlalchemy import func, select
from web_prescribing import (
    SON_MOBILE,
    add_member,
    confirmed,
    items,
    make_doctor,
    make_pharmacist,
    visit,
)

from server.domain.tracking import new_tracking_code
from server.extensions import db
from server.models import Dispensing, OutboxEvent, Prescription, Provider, RecordAccess

AMOXICILLIN, OMEPRAZOLE = "D1001", "D1008"


@pytest.fixture
def doctor(app, clinic, family, runner, tmp_path, make_browser):
    """Zahra, the clinic's doctor, with the small catalogue loaded."""
    load_small_catalogue(runner, tmp_path)
    return make_doctor(app, clinic, make_browser())


@pytest.fixture
def code(app, doctor):
    """A drug prescription for Ali written in the web: 20 amoxicillin and 14 omeprazole."""
    inquiry_id = visit(doctor, INSURED)
    url = f"/centre/prescriptions/new/{inquiry_id}"
    fields = {"type": "drug", "action": "save"}
    fields |= items((AMOXICILLIN, "20", ""), (OMEPRAZOLE, "14", ""))
    saved = doctor.post(url, fields, page=url)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        return db.session.scalar(select(Prescription.code))


@pytest.fixture
def razi(app, flask_command, make_browser, code):
    """Razi pharmacy's pharmacist, confirmed with a passkey."""
    return make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")


def look_up(browser, code: str = INSURED):
    """Find the patient's open prescriptions by national code (or one by its code); the answer."""
    return browser.post("/centre/deliver", {"code": code}, page="/centre/deliver")


def deliver(browser, code: str, **quantities: str):
    """Deliver quantities by item code; the answer."""
    fields = {f"qty-{item}": quantity for item, quantity in quantities.items()}
    return browser.post(f"/centre/deliver/{code}", fields, page="/centre/deliver")


def delivered(app) -> list[tuple[int, int]]:
    """(provider, quantity) of every delivery."""
    with app.app_context():
        return [(row.provider_id, row.quantity) for row in db.session.scalars(select(Dispensing))]


def test_a_pharmacy_serves_part_another_the_rest_and_the_citizen_sees_both(
    app, code, razi, flask_command, make_browser, citizen
):
    page = look_up(razi).get_data(as_text=True)
    assert "آموکسی‌سیلین" in page and f'name="qty-{AMOXICILLIN}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordAccess)) == 1
    served = deliver(razi, code, **{AMOXICILLIN: "۱۰", OMEPRAZOLE: "14"})  # Persian digits
    assert served.status_code == 302
    receipt = razi.get(served.headers["Location"]).get_data(as_text=True)
    assert "رسید تحویل" in receipt and "داروخانه رازی" in receipt and 'id="print"' in receipt
    assert "۱۰" in receipt and "باقی‌مانده" in receipt
    sina = make_pharmacist(app, flask_command, make_browser(), "داروخانه سینا", "son")
    rest = look_up(sina).get_data(as_text=True)
    assert f'name="qty-{AMOXICILLIN}" value="۱۰"' in rest  # what remains, ready to deliver
    assert f'name="qty-{OMEPRAZOLE}"' not in rest  # fully delivered by Razi
    assert deliver(sina, code, **{AMOXICILLIN: "10"}).status_code == 302
    assert sorted(quantity for _, quantity in delivered(app)) == [10, 10, 14]
    assert "نسخهٔ بازی ندارد" in look_up(sina).get_data(as_text=True)
    citizen.sign_in(INSURED, INSURED_MOBILE)
    listed = citizen.get("/api/records").get_json()
    record_id = listed["records"][0]["id"]
    record = citizen.get(f"/api/records/{record_id}").get_json()
    amoxicillin = next(item for item in record["items"] if item["code"] == AMOXICILLIN)
    centres = [delivery["center"] for delivery in amoxicillin["dispensing"]]
    assert centres == ["داروخانه رازی", "داروخانه سینا"]


def test_over_delivery_is_refused_with_what_remains(app, code, razi):
    refused = deliver(razi, code, **{AMOXICILLIN: "21"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    error = re.search(rf'id="qty-{code}-{AMOXICILLIN}-error">([^<]+)<', page)
    assert error and "۲۰" in error.group(1), page
    assert "آموکسی‌سیلین ۵۰۰ میلی‌گرم" in error.group(1)  # the drug as it is named, not its code
    assert AMOXICILLIN not in error.group(1)
    assert delivered(app) == []


def test_an_expired_prescription_is_refused_with_its_date(app, code, razi, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-01-23")  # written 2026-11-22, +62 days
    page = look_up(razi).get_data(as_text=True)
    assert "منقضی شده" in page and f'name="qty-{AMOXICILLIN}"' not in page
    refused = deliver(razi, code, **{AMOXICILLIN: "5"})
    assert refused.status_code == 409 and "منقضی شده" in refused.get_data(as_text=True)
    assert delivered(app) == []


@pytest.mark.parametrize("quantity", ["", "0", "دو", "-3"])
def test_nothing_or_a_bad_number_writes_nothing(app, code, razi, quantity):
    refused = deliver(razi, code, **{AMOXICILLIN: quantity})
    assert refused.status_code == 400 and delivered(app) == []


def test_a_bad_national_code_is_told_by_the_field(razi):
    refused = look_up(razi, "1234567890")
    assert refused.status_code == 400 and "کد ملی ده‌رقمی بیمار یا کد دوازده‌رقمی نسخه" in (
        refused.get_data(as_text=True)
    )


def grouped_in_persian(code: str) -> str:
    """A code as the patient's SMS shows it: Persian digits in groups of four."""
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    return " ".join(persian[start : start + 4] for start in range(0, len(persian), 4))


def test_the_prescription_code_of_the_sms_finds_that_prescription(app, doctor, code, razi):
    inquiry_id = visit(doctor, INSURED)  # a second prescription, not asked for
    url = f"/centre/prescriptions/new/{inquiry_id}"
    fields = {"type": "drug", "action": "save", **items(("D1002", "30", ""))}
    assert doctor.post(url, fields, page=url).status_code == 302
    found = look_up(razi, grouped_in_persian(code))
    page = found.get_data(as_text=True)
    assert found.status_code == 200, page
    assert "علی رضایی" in page and f'name="qty-{AMOXICILLIN}"' in page
    assert 'name="qty-D1002"' not in page  # only the prescription asked for
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordAccess)) == 1
    assert deliver(razi, code, **{AMOXICILLIN: "20"}).status_code == 302


def test_a_prescription_code_finding_nothing_says_so_by_the_field(app, code, razi):
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)  # its check digit is wrong
    for typed in (wrong, "0" * 11 + "0"):
        refused = look_up(razi, typed)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 404
        error = re.search(r'id="code-error">([^<]+)<', page)
        assert error and "نسخه‌ای با این کد" in error.group(1), page
        assert "علی رضایی" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordAccess)) == 0


def test_a_doctor_cannot_deliver(doctor):
    assert doctor.get("/centre/deliver").status_code == 403


def test_a_refused_delivery_shows_the_patient_only_as_a_logged_read(
    app, code, razi, citizen, runner
):
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    nothing = deliver(razi, code)  # no quantities: the page again, with the open prescriptions
    assert nothing.status_code == 400 and "آموکسی‌سیلین" in nothing.get_data(as_text=True)
    over = deliver(razi, code, **{AMOXICILLIN: "21"})
    assert over.status_code == 409 and "آموکسی‌سیلین" in over.get_data(as_text=True)
    who, told = readers_seen(citizen, runner)
    assert (len(who), told) == (2, 2)  # each page a read, although neither delivered
    assert all("داروخانه رازی" in reader for reader in who)
    assert delivered(app) == []
    with app.app_context():  # each notice says the counter looked up the open prescriptions
        told_what = db.session.scalars(
            select(OutboxEvent.new).where(OutboxEvent.kind == "record_read")
        ).all()
    assert [event["what"] for event in told_what] == ["open_prescriptions"] * 2


def test_a_members_guessed_codes_end_in_a_429_and_hold_only_that_member(
    app, code, razi, make_browser, monkeypatch
):
    monkeypatch.setitem(app.config, "DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR", 3)
    for _ in range(3):
        guess = new_tracking_code()
        assert deliver(razi, guess, **{AMOXICILLIN: "1"}).status_code == 404
    refused = deliver(razi, code, **{AMOXICILLIN: "1"})  # even a right one, while they wait
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "3600"
    assert "کدهای نسخهٔ بسیاری یافت نشدند" in refused.get_data(as_text=True)
    assert "آموکسی‌سیلین" not in refused.get_data(as_text=True)
    with app.app_context():
        centre = db.session.scalar(select(Provider.id).where(Provider.name == "داروخانه رازی"))
    add_member(app, centre, SON, SON_MOBILE, "technician")
    colleague = confirmed(make_browser(), SON, SON_MOBILE)
    assert deliver(colleague, code, **{AMOXICILLIN: "1"}).status_code == 302  # their own count
    assert [quantity for _, quantity in delivered(app)] == [1]


def test_guessed_prescription_codes_in_the_look_up_form_end_in_a_429(app, code, razi, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR", 3)
    for _ in range(3):
        guess = new_tracking_code()
        answer = look_up(razi, guess)
        assert answer.status_code == 404
        assert "نسخه‌ای با این کد" in answer.get_data(as_text=True)
    assert look_up(razi, INSURED).status_code == 200  # a national code is not a guess
    refused = look_up(razi, code)  # even the right prescription code, while they wait
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "3600"
    assert "آموکسی‌سیلین" not in refused.get_data(as_text=True)
