"""Allergies, coded diagnoses and the printed prescription in Chromium, at 1280×800 and 768×1024:
a doctor records a penicillin allergy during a visit, picks an ICD-10 diagnosis as she types, and
is stopped before amoxicillin — on the desktop she writes it with a reason, prints the A5 page,
and a pharmacy's scanner types its code and sees the reason; on the tablet she removes the item
and writes the rest. The patient sees the allergy and the diagnosis in the PWA at 360×740."""

import re

import pytest
from browser import add_passkey_device, sign_in_by_sms
from families import SON, WIFE, WIFE_MOBILE
from more_families import NEW_MOBILE_PERSON, WIFE_INSURED, WIFE_INSURED_MOBILE
from test_prescribing import PERSIAN, SON_MOBILE, choose_item, sign_in_confirmed

AMOXICILLIN, METFORMIN = "آموکسی‌سیلین ۵۰۰ میلی‌گرم", "متفورمین ۵۰۰ میلی‌گرم"
LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
SUFFIX = {"desktop": "یک", "tablet": "دو"}
PATIENTS = {"desktop": WIFE_INSURED, "tablet": NEW_MOBILE_PERSON}  # in no other prescribing


@pytest.fixture(params=[(1280, 800), (768, 1024)], ids=["desktop", "tablet"])
def size(request):
    """A desktop's or a tablet's screen, and its name."""
    return request.param, request.node.callspec.id


def open_page(browser, server, width: int, height: int):
    """A fresh profile of this size, in Persian, with a virtual authenticator."""
    profile = browser.new_context(
        viewport={"width": width, "height": height}, locale="fa-IR", base_url=server.url
    )
    page = profile.new_page()
    add_passkey_device(page)
    return page


def record_penicillin_allergy(doctor, patient: str, shoot) -> None:
    """From the eligibility answer, the allergy page: penicillins, hives, severe."""
    doctor.get_by_label("کد ملی بیمار").fill(patient.translate(PERSIAN))
    doctor.get_by_label("کد ملی بیمار").press("Enter")
    doctor.get_by_role("link", name="حساسیت‌های دارویی").click()
    doctor.get_by_role("heading", name="حساسیت‌های دارویی بیمار").wait_for()
    doctor.get_by_label("مادهٔ مؤثره یا گروه دارویی").fill("penicillins")
    doctor.get_by_label("واکنش").fill("کهیر و تنگی نفس")
    doctor.get_by_label("شدت").select_option("severe")
    doctor.get_by_role("button", name="ثبت حساسیت").click()
    doctor.get_by_text("حساسیت ثبت شد.", exact=False).wait_for()
    assert "penicillins" in doctor.locator("table").inner_text()
    shoot(doctor, "allergy-recorded")


def stopped_before_amoxicillin(doctor, shoot) -> None:
    """A new prescription: amoxicillin and an ICD-10 code picked as typed; saving is stopped."""
    doctor.get_by_role("link", name="نسخهٔ جدید").first.click()
    doctor.get_by_role("heading", name="نسخهٔ جدید").wait_for()
    choose_item(doctor, 0, "آموکسی", AMOXICILLIN)
    doctor.get_by_label("تعداد").nth(0).fill("۲۰")
    search = doctor.get_by_label("جست‌وجوی تشخیص با کد یا عنوان")
    search.fill("acute sinusitis")
    doctor.get_by_role("button", name=re.compile(r"^J01\.9 — ")).click()
    assert doctor.get_by_label("تشخیص‌ها (کدهای ICD-10)").input_value() == "J01.9"
    assert "Acute sinusitis, unspecified" in doctor.locator(".diagnosis-titles").inner_text()
    doctor.get_by_role("button", name="ثبت نسخه").click()
    box = doctor.locator("#allergy-answer")
    box.wait_for()
    assert AMOXICILLIN in box.inner_text() and "penicillins" in box.inner_text()
    assert doctor.get_by_label("تشخیص‌ها (کدهای ICD-10)").input_value() == "J01.9"  # kept
    shoot(doctor, "allergy-stopped")


def test_a_doctor_records_a_penicillin_allergy_and_is_stopped_before_amoxicillin(
    browser, server, size, shoot
):
    (width, height), name = size
    patient = PATIENTS[name]
    server.flask("darman", "catalogue", "import")
    office, pharmacy_name = f"مطب حساسیت {SUFFIX[name]}", f"داروخانه اسکن {SUFFIX[name]}"
    server.flask(
        "darman", "centre", "create", office, "--kind", "doctor",
        "--admin", f"{WIFE}:{WIFE_MOBILE}", "--admin-role", "doctor",
    )  # fmt: skip
    server.flask(
        "darman", "centre", "create", pharmacy_name, "--kind", "pharmacy",
        "--admin", f"{SON}:{SON_MOBILE}", "--admin-role", "pharmacist",
    )  # fmt: skip
    doctor = open_page(browser, server, width, height)
    sign_in_confirmed(doctor, server, WIFE, WIFE_MOBILE, office)
    record_penicillin_allergy(doctor, patient, shoot)
    stopped_before_amoxicillin(doctor, shoot)
    if name == "tablet":  # the other way out: the item removed, the rest written
        doctor.get_by_role("button", name="حذف قلم ۱").click()
        choose_item(doctor, 0, "متفور", METFORMIN)
        doctor.get_by_label("تعداد").nth(0).fill("۶۰")
        doctor.get_by_role("button", name="ثبت نسخه").click()
        doctor.get_by_text("نسخه ثبت شد.").wait_for()
        assert "حساسیت" not in doctor.locator("main").inner_text()
        doctor.context.close()
        return
    reason = doctor.get_by_label("دلیل تجویز با وجود حساسیت")
    reason.fill("تست پوستی منفی؛ زیر نظر تجویز می‌شود")
    reason.press("Enter")
    doctor.get_by_text("نسخه ثبت شد.").wait_for()
    assert "J01.9 Acute sinusitis, unspecified" in doctor.locator("main").inner_text()
    shoot(doctor, "written-despite-allergy")
    doctor.get_by_role("link", name=re.compile("چاپ برای بیمار بدون تلفن همراه")).click()
    doctor.locator("svg.segno").wait_for()
    assert re.search(r"/centre/prescriptions/\d{12}/print$", doctor.url)
    assert patient not in doctor.url
    code = doctor.locator("#prescription-code").inner_text().translate(LATIN).replace(" ", "")
    assert re.fullmatch(r"\d{12}", code)
    shoot(doctor, "printed-a5")
    doctor.emulate_media(media="print")
    assert doctor.locator("header.bar").is_hidden() and doctor.locator("#print").is_hidden()
    doctor.context.close()

    pharmacy = open_page(browser, server, width, height)
    sign_in_confirmed(pharmacy, server, SON, SON_MOBILE, pharmacy_name)
    pharmacy.get_by_role("link", name="تحویل نسخه").click()
    field = pharmacy.get_by_label("کد ملی بیمار یا کد نسخه")
    field.focus()
    pharmacy.keyboard.type(code + "\n")  # a USB scanner: the digits, then Enter
    article = pharmacy.locator("article", has_text=AMOXICILLIN)
    article.wait_for()
    assert "تست پوستی منفی؛ زیر نظر تجویز می‌شود" in article.inner_text()
    assert "penicillins" in article.inner_text()
    assert pharmacy.locator("#scan").is_hidden()  # no BarcodeDetector in this Chromium
    shoot(pharmacy, "deliver-sees-allergy-reason")
    pharmacy.context.close()

    citizen = open_page(browser, server, 360, 740)
    sign_in_by_sms(citizen, server, WIFE_INSURED, WIFE_INSURED_MOBILE)
    citizen.get_by_role("link", name="پرونده", exact=True).click()
    allergies = citizen.locator("section.allergies")
    allergies.wait_for()
    assert "penicillins" in allergies.inner_text() and "کهیر و تنگی نفس" in allergies.inner_text()
    shoot(citizen, "record-allergies")
    citizen.locator("a.record", has_text=AMOXICILLIN).first.click()
    citizen.locator("ul.diagnoses").wait_for()
    assert "J01.9 Acute sinusitis, unspecified" in citizen.locator("ul.diagnoses").inner_text()
    shoot(citizen, "record-diagnoses")
    citizen.context.close()
