"""Money from the counter to the month's close, in Chromium at 1280×800 (and the new screens at
768 wide): on 30 Aban 1405 a contracted doctor writes a prescription and a contracted pharmacy
serves it, the shares on the receipt; that night's `settle` pays each of them 80 % of SSO's
share, which each sees on its statement; on 1 Azar (the server restarted on the next day) a
claims staff member opens the pharmacy's Aban, deducts from its line with a reason and closes
the month; the pharmacy sees the deduction and its final payment, and the insured sees in the
app what they paid and what SSO paid."""

import re

import pytest
from browser import add_passkey_device, sign_in_by_sms
from families import INSURED, INSURED_MOBILE, SON, WIFE, WIFE_MOBILE
from live_server import Server
from test_prescribing import AMOXICILLIN, PERSIAN, choose_item, sign_in_confirmed
from test_staff import TABLET, WIDE, staff_sign_in

OFFICE, PHARMACY = "مطب دکتر مریم", "داروخانه شفا"
SON_MOBILE = "09131111111"
CLAIMS_STAFF = ("0087123452", "09121110021")
LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٬", "0123456789,")


@pytest.fixture(scope="module")
def money_server(tmp_path_factory):
    """An app of its own (it is restarted into the next day): 30 Aban 1405, the last of the
    month; the catalogue and its prices loaded; the office and the pharmacy contracted."""
    running = Server(tmp_path_factory.mktemp("money"))
    running.env["DARMAN_TODAY"] = "2026-11-21"
    try:
        running.start()
        running.flask("darman", "catalogue", "import")
        running.flask("darman", "tariffs", "import")
        for centre, kind, (who, mobile), role in (
            (OFFICE, "doctor", (WIFE, WIFE_MOBILE), "doctor"),
            (PHARMACY, "pharmacy", (SON, SON_MOBILE), "pharmacist"),
        ):
            admin = ["--admin", f"{who}:{mobile}", "--admin-role", role]
            running.flask("darman", "centre", "create", centre, "--kind", kind, *admin,
                          "--contracted")  # fmt: skip
        yield running
    finally:
        running.stop()


def open_page(browser, server, viewport=WIDE):
    """A fresh Persian profile with a virtual authenticator."""
    profile = browser.new_context(
        viewport=viewport, locale="fa-IR", base_url=server.url, device_scale_factor=1
    )
    page = profile.new_page()
    add_passkey_device(page)
    return page


def rials(text: str) -> int:
    """An amount as shown («۱٬۲۳۴ ریال») as a number."""
    return int(re.sub(r"[^0-9]", "", text.translate(LATIN)))


def totals(page) -> dict[str, int]:
    """The statement's totals by their Persian label."""
    terms = page.locator("dl.totals").first.locator("dt").all_inner_texts()
    amounts = page.locator("dl.totals").first.locator("dd").all_inner_texts()
    return {term: rials(amount) for term, amount in zip(terms, amounts, strict=True)}


def write_and_serve(browser, server, shoot) -> dict[str, int]:
    """The doctor writes amoxicillin for the insured; the pharmacy serves it; the receipt's
    totals by label."""
    doctor = open_page(browser, server)
    sign_in_confirmed(doctor, server, WIFE, WIFE_MOBILE, OFFICE)
    doctor.get_by_label("کد ملی بیمار").fill(INSURED.translate(PERSIAN))
    doctor.get_by_label("کد ملی بیمار").press("Enter")
    doctor.get_by_role("link", name="نسخهٔ جدید").first.click()
    choose_item(doctor, 0, "آموکسی", AMOXICILLIN)
    doctor.get_by_label("تعداد").nth(0).fill("۲۰")
    doctor.get_by_role("button", name="ثبت نسخه").click()
    doctor.get_by_text("نسخه ثبت شد.").wait_for()
    doctor.context.close()

    pharmacy = open_page(browser, server)
    sign_in_confirmed(pharmacy, server, SON, SON_MOBILE, PHARMACY)
    pharmacy.get_by_role("link", name="تحویل نسخه").click()
    pharmacy.get_by_label("کد ملی بیمار یا کد نسخه").fill(INSURED.translate(PERSIAN))
    pharmacy.get_by_label("کد ملی بیمار یا کد نسخه").press("Enter")
    pharmacy.get_by_label(f"تعداد تحویلی {AMOXICILLIN}").fill("۲۰")
    pharmacy.get_by_label(f"تعداد تحویلی {AMOXICILLIN}").press("Enter")
    pharmacy.get_by_role("heading", name="رسید تحویل").wait_for()
    receipt = totals(pharmacy)
    shoot(pharmacy, "receipt")
    pharmacy.context.close()
    return receipt


def statement_of(browser, server, who, mobile, centre, shoot, name, viewport=WIDE):
    """The centre's statement page, signed in as its admin (left open)."""
    page = open_page(browser, server, viewport)
    sign_in_confirmed(page, server, who, mobile, centre)
    page.goto("/centre/statements?from=2026-11-01&to=2026-11-22")
    page.get_by_role("heading", name=re.compile("صورت‌حساب")).wait_for()
    shoot(page, name)
    return page


def review_the_month(browser, server, shoot, deduction: int) -> None:
    """The claims staff member finds the pharmacy's Aban in the queue, is told a deduction needs
    a reason, deducts with one and closes the month."""
    server.flask("darman", "staff", "create", *CLAIMS_STAFF, "--role", "claims")
    console = open_page(browser, server)
    staff_sign_in(console, server, *CLAIMS_STAFF)
    console.get_by_role("link", name="ماه‌های در انتظار رسیدگی").first.click()
    shoot(console, "queue")
    row = console.locator("tr", has_text=PHARMACY)
    assert "آبان ۱۴۰۵" in row.inner_text()
    row.get_by_role("link", name=PHARMACY).click()
    console.get_by_role("heading", name=re.compile("آبان ۱۴۰۵")).wait_for()
    console.locator("table a").first.click()  # the line's number fills the form
    console.get_by_label("مبلغ کسر (ریال)").fill(f"{deduction:,}".translate(PERSIAN))
    console.get_by_role("button", name="ثبت کسر").click()
    error = console.locator("#reason-error")
    error.wait_for()
    assert "دلیل" in error.inner_text()
    console.get_by_label("دلیل کسر").fill("مصرف بیش از دوز مجاز")
    console.get_by_role("button", name="ثبت کسر").click()
    console.get_by_text(re.compile("کسر از ردیف .* ثبت شد")).wait_for()
    shoot(console, "month")
    console.set_viewport_size({"width": TABLET["width"], "height": TABLET["height"]})
    shoot(console, "month-768")
    console.set_viewport_size(WIDE)
    console.get_by_role("button", name="بستن ماه").click()
    console.get_by_text("ماه بسته شد و با پیامک به مرکز اطلاع داده شد.").wait_for()
    assert "دیگر تغییرپذیر نیست" in console.inner_text("main")
    shoot(console, "closed")
    console.get_by_role("link", name="تسویه‌های شبانه").first.click()
    console.get_by_label("روز").fill("۱۴۰۵/۰۸/۳۰")
    console.get_by_role("button", name="نمایش").click()
    console.get_by_role("heading", name="تسویهٔ ۳۰ آبان ۱۴۰۵").wait_for()
    shoot(console, "settlement-day")
    console.context.close()


def test_from_the_counter_to_the_months_close(browser, money_server, shoot):
    server = money_server
    receipt = write_and_serve(browser, server, shoot)
    patient_paid, sso_paid = receipt["پرداختی بیمار"], receipt["پرداختی سازمان"]
    assert sso_paid > 0 and patient_paid > 0
    assert "settled now" in server.flask("darman", "settle", "--date", "2026-11-21")

    shares = {}
    for who, mobile, centre in ((WIFE, WIFE_MOBILE, OFFICE), (SON, SON_MOBILE, PHARMACY)):
        page = statement_of(browser, server, who, mobile, centre, shoot, f"advance-{centre}")
        shown = totals(page)
        advance = shown["پرداخت علی‌الحساب"]
        assert advance == shown["جمع سهم سازمان"] * 80 // 100 > 0
        shares[centre] = shown["جمع سهم سازمان"]
        page.context.close()
    pharmacy_share = sso_paid
    assert shares[PHARMACY] == pharmacy_share

    server.restart("2026-11-22")  # midnight has passed: Aban is over
    deduction = pharmacy_share // 10
    review_the_month(browser, server, shoot, deduction)
    sms = server.sms.read_text(encoding="utf-8").splitlines()[-1]
    assert "آبان ۱۴۰۵" in sms and PHARMACY in sms

    for viewport, name in ((WIDE, "reviewed"), (TABLET, "reviewed-768")):
        page = statement_of(browser, server, SON, SON_MOBILE, PHARMACY, shoot, name, viewport)
        month = page.locator("section.reviewed-month")
        assert "رسیدگی سازمان به آبان ۱۴۰۵" in month.inner_text()
        assert "مصرف بیش از دوز مجاز" in month.inner_text()
        figures = totals(month)
        assert figures["کسورات"] == deduction
        assert figures["پذیرفته‌شده"] == pharmacy_share - deduction
        advance = pharmacy_share * 80 // 100
        assert figures["پرداخت نهایی"] == pharmacy_share - deduction - advance
        page.context.close()

    citizen = open_page(browser, server, {"width": 360, "height": 740})
    sign_in_by_sms(citizen, server, INSURED, INSURED_MOBILE)
    citizen.get_by_role("link", name="پرونده", exact=True).click()
    line = citizen.locator(".paid-this-year")
    line.wait_for()
    sso, mine = (rials(amount) for amount in line.locator(".amount").all_inner_texts())
    assert sso == shares[OFFICE] + pharmacy_share - deduction  # SSO's share, less what it cut
    assert mine > patient_paid  # the pharmacy's and the visit's patient shares
    shoot(citizen, "paid-this-year")
    citizen.locator("a.record", has_text=AMOXICILLIN).first.click()
    shares = citizen.locator("li.record-item", has_text=AMOXICILLIN).locator(".shares")
    shares.wait_for()
    assert [rials(text) for text in shares.locator(".amount").all_inner_texts()] == [
        patient_paid, pharmacy_share - deduction
    ]  # fmt: skip
    shoot(citizen, "delivery-shares")
    citizen.context.close()
