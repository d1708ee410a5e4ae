"""Prescribing and delivering in Chromium, at 1280×800 and 768×1024: a doctor finds warfarin and
aspirin as she types, keeps them as a favourite, starts a prescription from it in one step, is
stopped by the major interaction, gives a reason and saves; one pharmacy delivers part by the
patient's national code, another the rest by the code of the patient's SMS, each prints a
receipt; the patient's record shows both deliveries. And a doctor stopped by two findings swaps
the drug that caused one, is asked the reasons of the items now on the form, and saves."""

import json
import re

import pytest
from browser import (
    add_passkey_device,
    keep_for_sync,
    sign_in_by_sms,
    sync_passkeys,
    wait_until,
)
from families import FATHER, INSURED, INSURED_MOBILE, SON, WIFE, WIFE_MOBILE
from more_families import PENSIONER, PENSIONER_MOBILE, PENSIONER_WIFE, SON_TURNING_19

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
WARFARIN, ASPIRIN = "وارفارین ۵ میلی‌گرم", "آسپرین ۸۰ میلی‌گرم"
AMOXICILLIN, IBUPROFEN = "آموکسی‌سیلین ۵۰۰ میلی‌گرم", "ایبوپروفن ۴۰۰ میلی‌گرم"
ACETAMINOPHEN = "استامینوفن ۵۰۰ میلی‌گرم"
SON_MOBILE, FATHER_MOBILE = "09131111111", "09141111111"
SUFFIX = {"desktop": "یک", "tablet": "دو"}  # one set of centres per screen size
PATIENTS = {"desktop": (PENSIONER, PENSIONER_MOBILE), "tablet": (INSURED, INSURED_MOBILE)}


@pytest.fixture(params=[(1280, 800), (768, 1024)], ids=["desktop", "tablet"])
def size(request):
    """A desktop's or a tablet's screen, and its name."""
    return request.param, request.node.callspec.id


def open_page(browser, server, size):
    """A fresh profile of this screen size, in Persian, with a virtual authenticator."""
    (width, height), _ = size
    profile = browser.new_context(
        viewport={"width": width, "height": height}, locale="fa-IR", base_url=server.url
    )
    page = profile.new_page()
    add_passkey_device(page)
    return page


def sign_in_confirmed(page, server, national_code: str, mobile: str, centre: str) -> None:
    """The SMS sign-in typed with Persian digits and Enter, the centre, and a passkey."""
    page.goto("/centre/sign-in")
    page.get_by_label("کد ملی").fill(national_code.translate(PERSIAN))
    page.get_by_label("شمارهٔ همراه").fill(mobile.translate(PERSIAN))
    page.get_by_label("شمارهٔ همراه").press("Enter")
    page.get_by_label("کد پیامک‌شده").fill(server.last_code())
    page.get_by_label("کد پیامک‌شده").press("Enter")
    page.wait_for_url(re.compile(r"/centre/(eligibility|choose)$"))
    if page.url.endswith("/choose"):
        page.get_by_role("button", name=re.compile(centre)).click()
        page.wait_for_url(re.compile(r"/centre/eligibility$"))
    sync_passkeys(page, national_code)  # made in another browser of the run, if so
    page.get_by_role("link", name="تأیید با کلید عبور").click()
    page.locator("#passkey-start").click()
    page.get_by_text("تأییدشده با کلید عبور").wait_for()
    keep_for_sync(page, national_code)


def choose_item(page, row: int, typed: str, name: str) -> None:
    """Type part of a name in an item field; the search fills its list; pick the item (its name
    goes in the field, its code on it)."""
    page.wait_for_load_state()  # the page's script listens to the field
    field = page.locator(f"#items-{row}-code")
    field.fill(typed)
    page.locator(f'#items-{row}-code-list option[value="{name}"]').wait_for(state="attached")
    field.fill(name)  # what choosing the option puts in the field
    page.locator(f"#items-{row}-code[data-code]").wait_for(state="attached")


def sms_prescription_code(server, mobile: str) -> str:
    """The prescription code of the last SMS sent to this mobile, as the patient reads it."""
    for line in reversed(server.sms.read_text(encoding="utf-8").splitlines()):
        message = json.loads(line)
        found = re.search(r"[۰-۹]{12}", message["text"])
        if message["to"] == mobile and found:
            return found.group()
    raise AssertionError(f"no prescription SMS to {mobile}")


def test_a_doctor_writes_from_a_favourite_through_a_major_interaction_and_two_pharmacies_serve_it(
    browser, server, size, shoot
):
    (_, _), name = size
    patient, patient_mobile = PATIENTS[name]
    server.flask("darman", "catalogue", "import")
    office, razi, sina = (
        f"{centre} {SUFFIX[name]}" for centre in ("مطب دکتر زهرا", "داروخانه رازی", "داروخانه سینا")
    )
    for centre, (who, mobile), role in (
        (office, (WIFE, WIFE_MOBILE), "doctor"),
        (razi, (SON, SON_MOBILE), "pharmacist"),
        (sina, (FATHER, FATHER_MOBILE), "pharmacist"),
    ):
        kind = "doctor" if role == "doctor" else "pharmacy"
        admin = ["--admin", f"{who}:{mobile}", "--admin-role", role]
        server.flask("darman", "centre", "create", centre, "--kind", kind, *admin)

    doctor = open_page(browser, server, size)
    sign_in_confirmed(doctor, server, WIFE, WIFE_MOBILE, office)
    doctor.get_by_label("کد ملی بیمار").fill(patient.translate(PERSIAN))
    doctor.get_by_label("کد ملی بیمار").press("Enter")
    doctor.get_by_role("link", name="نسخهٔ جدید").first.click()
    doctor.get_by_role("heading", name="نسخهٔ جدید").wait_for()
    choose_item(doctor, 0, "وارفا", WARFARIN)
    assert "Warfarin 5 mg" in doctor.locator("#items-0-code-name").inner_text()
    doctor.get_by_label("تعداد").nth(0).fill("۳۰")
    doctor.get_by_label("دستور مصرف").nth(0).fill("روزی یک عدد")
    choose_item(doctor, 1, "aspir", ASPIRIN)
    doctor.get_by_label("تعداد").nth(1).fill("۳۰")
    live = doctor.locator("#live-findings")
    live.get_by_text(re.compile("خونریزی")).wait_for()  # told as it arises, before saving
    assert "هنگام ثبت، دلیل لازم است" in live.inner_text()
    shoot(doctor, "new-prescription")
    doctor.get_by_text("ذخیرهٔ این اقلام به‌عنوان نسخهٔ پرکاربرد").click()
    doctor.get_by_label("نام نسخهٔ پرکاربرد").fill("قلب و عروق")
    doctor.get_by_role("button", name="ذخیره به‌عنوان پرکاربرد").click()
    doctor.get_by_text("به‌عنوان نسخهٔ پرکاربرد «قلب و عروق» ذخیره شد.").wait_for()

    doctor.get_by_role(
        "link", name="استعلام"
    ).click()  # the next visit: one step from the favourite
    doctor.get_by_role("link", name="نسخهٔ جدید").first.click()
    doctor.get_by_role("link", name="قلب و عروق").click()
    assert doctor.locator("#items-0-code").input_value() == WARFARIN  # by name, not code
    doctor.get_by_label("تشخیص", exact=True).fill("فیبریلاسیون دهلیزی")
    doctor.get_by_label("تشخیص", exact=True).press("Enter")  # Enter saves
    doctor.get_by_role("heading", name="تداخل جدی: برای هر مورد دلیلی بنویسید").wait_for()
    assert "خونریزی" in doctor.locator(".pairs").inner_text()
    reason = doctor.get_by_label("دلیل تجویز هر دو")
    wait_until(doctor, "document.activeElement.id === 'acknowledgements-0-reason'")  # its script
    shoot(doctor, "interaction")
    reason.fill("بیمار تحت پایش INR است")
    reason.press("Enter")
    doctor.get_by_text("نسخه ثبت شد.").wait_for()
    code = doctor.locator("#prescription-code").inner_text()
    assert re.fullmatch(r"[۰-۹]{4} [۰-۹]{4} [۰-۹]{4}", code)
    assert "بیمار تحت پایش INR است" in doctor.content()
    shoot(doctor, "written")
    doctor.get_by_role("link", name="نسخه‌های امروز").first.click()
    assert code in doctor.locator("table").inner_text()
    shoot(doctor, "today")
    doctor.context.close()

    by_sms = sms_prescription_code(server, patient_mobile)
    assert by_sms == code.replace(" ", "")
    for centre, (who, mobile), amounts, typed in (
        (razi, (SON, SON_MOBILE), ("۱۰", "۳۰"), patient.translate(PERSIAN)),
        (sina, (FATHER, FATHER_MOBILE), ("۲۰", None), by_sms),  # the code the patient was sent
    ):
        pharmacy = open_page(browser, server, size)
        sign_in_confirmed(pharmacy, server, who, mobile, centre)
        pharmacy.get_by_role("link", name="تحویل نسخه").click()
        pharmacy.get_by_label("کد ملی بیمار یا کد نسخه").fill(typed)
        pharmacy.get_by_label("کد ملی بیمار یا کد نسخه").press("Enter")
        article = pharmacy.locator("article", has_text=code)
        assert "بیمار تحت پایش INR است" in article.inner_text()  # the doctor's reason, shown
        warfarin = article.get_by_label(f"تعداد تحویلی {WARFARIN}")
        warfarin.fill(amounts[0])
        if amounts[1] is not None:
            article.get_by_label(f"تعداد تحویلی {ASPIRIN}").fill(amounts[1])
        else:
            assert article.get_by_label(f"تعداد تحویلی {ASPIRIN}").count() == 0  # all delivered
        shoot(pharmacy, f"deliver-{centre.split()[1]}")
        warfarin.press("Enter")
        pharmacy.get_by_role("heading", name="رسید تحویل").wait_for()
        assert centre in pharmacy.locator(".receipt").inner_text()
        shoot(pharmacy, f"receipt-{centre.split()[1]}")
        pharmacy.emulate_media(media="print")
        assert pharmacy.locator("header.bar").is_hidden()  # the print CSS keeps the receipt only
        pharmacy.context.close()

    citizen = open_page(browser, server, ((360, 740), name))
    sign_in_by_sms(citizen, server, patient, patient_mobile)
    citizen.get_by_role("link", name="پرونده", exact=True).click()
    citizen.locator("a.record", has_text=WARFARIN).first.click()
    item = citizen.locator("li.record-item", has_text=WARFARIN)
    item.wait_for()
    deliveries = item.inner_text().replace("\u2068", "").replace("\u2069", "")
    assert razi in deliveries and sina in deliveries
    citizen.context.close()


SWAP_PATIENTS = {"desktop": PENSIONER_WIFE, "tablet": SON_TURNING_19}  # no one else's journey
PAIR = ".pairs .pair:not([hidden])"


def visible_pairs(page) -> list[str]:
    """The pairs the page asks a reason for, as it shows them."""
    return [
        text.replace("\u2068", "").replace("\u2069", "")
        for text in page.locator(PAIR).all_inner_texts()
    ]


def reason_of(page, drug: str, other: str):
    """The reason field of the pair naming these two drugs (in either order)."""
    named = re.compile(
        f"{re.escape(drug)} — {re.escape(other)}|{re.escape(other)} — {re.escape(drug)}"
    )
    pair = page.locator(PAIR, has_text=named)
    return pair.get_by_label("دلیل تجویز هر دو")


def prescribe(page, rows: list[tuple[str, str, str]]) -> None:
    """A new prescription for the patient asked about last, its rows chosen as typed."""
    page.get_by_role("link", name="استعلام").first.click()
    page.get_by_role("link", name="نسخهٔ جدید").first.click()
    page.get_by_role("heading", name="نسخهٔ جدید").wait_for()
    for index, (typed, name, quantity) in enumerate(rows):
        if index >= page.locator(".item-row").count():
            page.get_by_role("button", name="ردیف دیگر").click()
        choose_item(page, index, typed, name)
        page.get_by_label("تعداد").nth(index).fill(quantity)


def test_a_doctor_swaps_the_drug_of_a_finding_and_saves_with_the_reasons_still_due(
    browser, server, size, shoot
):
    (_, _), name = size
    patient = SWAP_PATIENTS[name]
    server.flask("darman", "catalogue", "import")
    office = f"مطب جایگزینی {SUFFIX[name]}"
    admin = ["--admin", f"{WIFE}:{WIFE_MOBILE}", "--admin-role", "doctor"]
    server.flask("darman", "centre", "create", office, "--kind", "doctor", *admin)
    doctor = open_page(browser, server, size)
    sign_in_confirmed(doctor, server, WIFE, WIFE_MOBILE, office)
    doctor.get_by_label("کد ملی بیمار").fill(patient.translate(PERSIAN))
    doctor.get_by_label("کد ملی بیمار").press("Enter")
    # Last week's painkillers: ibuprofen and acetaminophen are the patient's current medicines.
    doctor.get_by_role("link", name="نسخهٔ جدید").first.click()
    choose_item(doctor, 0, "ایبوپرو", IBUPROFEN)
    doctor.get_by_label("تعداد").nth(0).fill("۲۰")
    choose_item(doctor, 1, "استامینوفن", ACETAMINOPHEN)
    doctor.get_by_label("تعداد").nth(1).fill("۲۰")
    doctor.get_by_role("button", name="ثبت نسخه").click()
    doctor.get_by_text("نسخه ثبت شد.").wait_for()

    prescribe(
        doctor,
        [("آموکسی", AMOXICILLIN, "۲۰"), ("وارفا", WARFARIN, "۳۰"), ("ایبوپرو", IBUPROFEN, "۲۰")],
    )
    doctor.get_by_role("button", name="ردیف دیگر").click()  # one row too many, then taken off
    choose_item(doctor, 3, "آسپر", ASPIRIN)
    doctor.get_by_role("button", name="حذف قلم ۴").click()
    wait_until(doctor, "document.querySelectorAll('.item-row').length === 3")
    kept = [doctor.locator(f"#items-{row}-code").input_value() for row in range(3)]
    assert kept == [AMOXICILLIN, WARFARIN, IBUPROFEN]
    doctor.get_by_role("button", name="ثبت نسخه").click()
    doctor.get_by_role("heading", name="تداخل جدی: برای هر مورد دلیلی بنویسید").wait_for()
    assert len(visible_pairs(doctor)) == 2  # ibuprofen twice, and warfarin with ibuprofen
    reason_of(doctor, IBUPROFEN, IBUPROFEN).fill("ایبوپروفن قبلی قطع می‌شود")
    reason_of(doctor, IBUPROFEN, WARFARIN).fill("بیمار تحت پایش INR است")
    shoot(doctor, "two-findings")

    # Better: acetaminophen instead of ibuprofen. Its list puts the plain tablet first.
    field = doctor.locator("#items-2-code")
    field.fill("استامینوفن")
    first = doctor.locator("#items-2-code-list option").first
    first.wait_for(state="attached")
    assert "codeine" not in (first.get_attribute("label") or "")
    choose_item(doctor, 2, "استامینوفن", ACETAMINOPHEN)
    doctor.locator(".pair[data-finding$=':ibuprofen']").wait_for(state="hidden")  # set aside
    doctor.get_by_role("button", name="ثبت نسخه").click()
    doctor.get_by_role("heading", name="تداخل جدی: برای هر مورد دلیلی بنویسید").wait_for()
    pairs = visible_pairs(doctor)
    assert len(pairs) == 2, pairs  # the pairs of the items now on the form, and only they
    assert not any(f"{IBUPROFEN} — {IBUPROFEN}" in pair for pair in pairs)
    current = next(pair for pair in pairs if WARFARIN in pair)
    assert "داروهای فعلی بیمار" in current  # the ibuprofen is the one the patient takes
    assert reason_of(doctor, IBUPROFEN, WARFARIN).input_value() == "بیمار تحت پایش INR است"
    again = reason_of(doctor, ACETAMINOPHEN, ACETAMINOPHEN)
    wait_until(doctor, "document.activeElement.value === ''")  # the reason still due
    assert again.evaluate("field => field === document.activeElement")
    shoot(doctor, "swapped")
    again.fill("استامینوفن قبلی تمام شده است")
    again.press("Enter")
    doctor.get_by_text("نسخه ثبت شد.").wait_for()
    written = doctor.locator("main").inner_text()
    assert "بیمار تحت پایش INR است" in written and "استامینوفن قبلی تمام شده است" in written
    assert "ایبوپروفن قبلی قطع می‌شود" not in written
    shoot(doctor, "swapped-written")
    doctor.context.close()
