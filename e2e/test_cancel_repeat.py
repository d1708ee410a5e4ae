"""Cancel and repeat prescriptions in Chromium at 1280×800 (the patient's record at 360×740): a
doctor cancels a prescription and a pharmacy can no longer serve it; a doctor writes a six-month
metformin repeat, a pharmacy serves part 1, is refused part 2 as not due (with its Jalali date),
and — a month later on the app's clock — serves part 2; the patient sees the next part's day."""

import re

import pytest
from browser import add_passkey_device, sign_in_by_sms
from families import SON, WIFE, WIFE_MOBILE
from more_families import NEW_MOBILE_PERSON, WIFE_INSURED, WIFE_INSURED_MOBILE
from test_prescribing import PERSIAN, SON_MOBILE, choose_item, sign_in_confirmed

DESKTOP = {"width": 1280, "height": 800}
OFFICE, PHARMACY = "مطب دکتر نوبت", "داروخانه نوبت"
# Omeprazole, not amoxicillin: the allergy journey records a penicillin allergy for this patient.
OMEPRAZOLE, METFORMIN = "امپرازول ۲۰ میلی‌گرم", "متفورمین ۵۰۰ میلی‌گرم"
PART_2 = "2026-12-22"  # 1 Dey 1405, a Jalali month after the day written


@pytest.fixture(scope="module")
def centres(server) -> None:
    """The doctor's office (Zahra) and the pharmacy (Mohammad), the catalogue loaded."""
    server.flask("darman", "catalogue", "import")
    for centre, (who, mobile), role, kind in (
        (OFFICE, (WIFE, WIFE_MOBILE), "doctor", "doctor"),
        (PHARMACY, (SON, SON_MOBILE), "pharmacist", "pharmacy"),
    ):
        admin = ["--admin", f"{who}:{mobile}", "--admin-role", role]
        server.flask("darman", "centre", "create", centre, "--kind", kind, *admin)


def open_page(browser, server, viewport=DESKTOP):
    """A fresh profile in Persian, with a virtual authenticator."""
    page = browser.new_context(viewport=viewport, locale="fa-IR", base_url=server.url).new_page()
    add_passkey_device(page)
    return page


def write(page, patient: str, drug: tuple[str, str], quantity: str, parts: str = "1") -> str:
    """The doctor asks the patient's eligibility and writes one drug; the code shown."""
    page.get_by_role("link", name="استعلام").first.click()
    page.get_by_label("کد ملی بیمار").fill(patient.translate(PERSIAN))
    page.get_by_label("کد ملی بیمار").press("Enter")
    page.get_by_role("link", name="نسخهٔ جدید").first.click()
    page.get_by_role("heading", name="نسخهٔ جدید").wait_for()
    choose_item(page, 0, *drug)
    page.get_by_label("تعداد").nth(0).fill(quantity)
    page.get_by_label("نوبت‌های ماهانه").select_option(parts)
    page.get_by_role("button", name="ثبت نسخه").first.click()
    page.get_by_text("نسخه ثبت شد.").wait_for()
    return page.locator("#prescription-code").inner_text()


def look_up(page, typed: str):
    """The pharmacy's delivery page for a national or prescription code."""
    page.get_by_role("link", name="تحویل نسخه").click()
    page.get_by_label("کد ملی بیمار یا کد نسخه").fill(typed)
    page.get_by_label("کد ملی بیمار یا کد نسخه").press("Enter")


def test_a_doctor_cancels_and_the_pharmacy_cannot_serve_it(browser, server, centres, shoot):
    doctor = open_page(browser, server)
    sign_in_confirmed(doctor, server, WIFE, WIFE_MOBILE, OFFICE)
    code = write(doctor, NEW_MOBILE_PERSON, ("امپرا", OMEPRAZOLE), "۱۰")
    doctor.get_by_label("دلیل لغو").fill("دوز اشتباه نوشته شد")
    shoot(doctor, "before-cancel")
    doctor.get_by_role("button", name="لغو نسخه").click()
    doctor.get_by_text("نسخه لغو شد و به بیمار خبر داده شد.").wait_for()
    answer = doctor.locator("#answer").inner_text()
    assert "لغو شده" in answer and "دوز اشتباه نوشته شد" in answer
    assert doctor.get_by_role("button", name="لغو نسخه").count() == 0
    shoot(doctor, "cancelled")
    doctor.context.close()

    pharmacy = open_page(browser, server)
    sign_in_confirmed(pharmacy, server, SON, SON_MOBILE, PHARMACY)
    look_up(pharmacy, code.replace(" ", ""))
    article = pharmacy.locator("article", has_text=code)
    assert "پزشک این نسخه را لغو کرده است" in article.inner_text()
    assert "دوز اشتباه نوشته شد" in article.inner_text()
    assert article.get_by_role("button", name="ثبت تحویل").count() == 0  # nothing to serve
    assert article.get_by_label(f"تعداد تحویلی {OMEPRAZOLE}").count() == 0
    shoot(pharmacy, "refused")
    pharmacy.context.close()


def deliver_part(page, patient: str, shoot=None, name: str = ""):
    """Look the patient up and deliver the metformin offered (or typed); the page after."""
    look_up(page, patient.translate(PERSIAN))
    field = page.get_by_label(f"تعداد تحویلی {METFORMIN}")
    if not field.input_value():
        field.fill("۶۰")  # nothing is due now: the pharmacist types a month's anyway
    if shoot:
        shoot(page, name)
    field.press("Enter")


def test_a_six_month_metformin_repeat_is_served_month_by_month(browser, server, centres, shoot):
    doctor = open_page(browser, server)
    sign_in_confirmed(doctor, server, WIFE, WIFE_MOBILE, OFFICE)
    write(doctor, WIFE_INSURED, ("متفور", METFORMIN), "۶۰", parts="6")
    assert "۶ نوبت ماهانه" in doctor.locator("#parts").inner_text()
    assert "۱ دی ۱۴۰۵" in doctor.locator("#parts").inner_text()
    shoot(doctor, "repeat-written")
    doctor.context.close()

    pharmacy = open_page(browser, server)
    sign_in_confirmed(pharmacy, server, SON, SON_MOBILE, PHARMACY)
    deliver_part(pharmacy, WIFE_INSURED, shoot, "part-1")
    pharmacy.get_by_role("heading", name="رسید تحویل").wait_for()
    deliver_part(pharmacy, WIFE_INSURED)
    refused = pharmacy.locator("#refused")
    refused.wait_for()
    assert "۱ دی ۱۴۰۵" in refused.inner_text() and "نه زودتر" in refused.inner_text()
    shoot(pharmacy, "part-2-not-due")

    citizen = open_page(browser, server, {"width": 360, "height": 740})
    sign_in_by_sms(citizen, server, WIFE_INSURED, WIFE_INSURED_MOBILE)
    citizen.get_by_role("link", name="پرونده", exact=True).click()
    citizen.locator("a.record", has_text=METFORMIN).first.click()
    facts = citizen.locator(".record-facts")
    facts.wait_for()
    assert re.search("نوبت بعدی از", facts.inner_text()) and "۱ دی ۱۴۰۵" in facts.inner_text()
    shoot(citizen, "record-next-part")
    citizen.context.close()

    with server.on_day(PART_2):
        pharmacy.goto("/centre/deliver")  # not a reload: that would send the refused form again
        deliver_part(pharmacy, WIFE_INSURED, shoot, "part-2-due")
        pharmacy.get_by_role("heading", name="رسید تحویل").wait_for()
        assert "۶۰" in pharmacy.locator(".receipt").inner_text()
    pharmacy.context.close()
