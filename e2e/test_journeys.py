"""Journeys of an insured person through the PWA, in a real Chromium."""

import re

from browser import (
    add_passkey_device,
    pin_today,
    sign_in_by_sms,
    wait_for_service_worker,
    wait_until,
)
from families import INSURED, INSURED_MOBILE, WIFE

COVERED = "حمایت درمانی دارد"
NOT_COVERED = "حمایت درمانی ندارد"
MISMATCH = "کد ملی با شمارهٔ تلفن همراه مطابقت ندارد."


def to_persian(text: str) -> str:
    """ASCII digits as Persian ones, as a person may type them."""
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_register_make_a_passkey_sign_out_and_back_in_with_it(page, server, shoot):
    pin_today(page)
    add_passkey_device(page)
    page.goto("/")
    shoot(page, "welcome")
    page.get_by_role("link", name="ورود یا ثبت‌نام با کد ملی").click()
    page.get_by_label("کد ملی").fill(to_persian(INSURED))
    page.get_by_label("شمارهٔ همراه").fill(to_persian(INSURED_MOBILE))
    shoot(page, "sign-in")
    page.get_by_role("button", name="فرستادن کد").click()
    page.get_by_label("کد پیامک").wait_for()
    page.get_by_label("کد پیامک").fill(to_persian(server.last_code()))
    shoot(page, "code")
    page.get_by_role("button", name="ورود", exact=True).click()
    page.get_by_role("heading", name="دفعهٔ بعد سریع‌تر وارد شوید").wait_for()
    shoot(page, "passkey-offer")
    page.get_by_role("button", name="ساختن کلید عبور").click()
    card = page.locator("article.card")
    card.wait_for()
    assert card.locator(".status").inner_text().strip().startswith(COVERED)  # ending soon
    assert "۳۰ آذر ۱۴۰۵" in card.inner_text()  # 60 days paid to Aban → end of Azar 1405
    assert "۳۰ روز باقی مانده" in card.inner_text()
    assert re.search(r"کد رهگیری:\s*[۰-۹]{4} [۰-۹]{4} [۰-۹]{4}", card.inner_text())
    shoot(page, "home")
    page.get_by_role("link", name="تنظیمات", exact=True).click()
    page.get_by_role("heading", name="کلیدهای عبور").wait_for()
    shoot(page, "settings")
    page.get_by_role("button", name="خروج از حساب در این دستگاه").click()
    # This phone has a passkey now: the welcome screen leads with it.
    passkey = page.get_by_role("button", name="ورود با کلید عبور")
    assert "primary" in passkey.get_attribute("class")
    passkey.click()  # nothing typed
    page.locator("article.card").wait_for()
    assert page.locator("article.card .status").inner_text().strip().startswith(COVERED)


def test_a_bad_national_code_and_a_mismatched_mobile_are_explained(page, server, shoot):
    page.goto("/#/sign-in")
    page.get_by_label("کد ملی").fill("0012345678")
    invalid = page.locator("#national-code-error")
    assert invalid.inner_text() == "کد ملی واردشده معتبر نیست. لطفاً دوباره بررسی کنید."
    shoot(page, "bad-national-code")
    page.get_by_label("کد ملی").fill(INSURED)
    assert invalid.inner_text() == ""
    page.get_by_label("شمارهٔ همراه").fill("09120000000")
    page.get_by_role("button", name="فرستادن کد").click()
    alert = page.get_by_role("alert").filter(has_text=MISMATCH)
    alert.wait_for()
    assert "به یکی از شعب سازمان مراجعه کنید" in alert.inner_text()
    shoot(page, "mismatch")


def test_family_shows_a_son_without_a_certificate(page, server, shoot):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    page.get_by_role("link", name="خانواده").click()
    son = page.locator("a.member", has_text="محمد رضایی")
    son.wait_for()
    assert NOT_COVERED in son.inner_text()
    newborn = page.locator("a.member", has_text="نوزاد پسر")
    assert NOT_COVERED not in newborn.inner_text()
    shoot(page, "family")
    son.click()
    card = page.locator("article.card")
    card.wait_for()
    assert card.locator(".status").inner_text().strip() == NOT_COVERED
    assert "گواهی تحصیلی معتبر دانشگاهی ثبت نشده است." in card.inner_text()
    assert "طبق ضوابط و روال جاری" in card.inner_text()
    shoot(page, "family-son")


def test_offline_the_last_answer_is_shown_and_marked(page, context, server, shoot):
    sign_in_by_sms(page, server, WIFE, "09127654321")
    wait_for_service_worker(page)
    tracking = page.locator(".tracking .code").inner_text()
    context.set_offline(True)
    page.reload()
    page.locator("article.card").wait_for()
    assert page.locator(".tracking .code").inner_text() == tracking  # the kept answer
    assert "اکنون آفلاین هستید" in page.locator(".checked").inner_text()
    assert page.locator("#network").is_visible()
    shoot(page, "home-offline")
    context.set_offline(False)
    page.get_by_role("button", name="استعلام دوباره").click()
    wait_until(page, "!document.querySelector('.checked').classList.contains('offline')")
    assert page.locator(".tracking .code").inner_text() != tracking  # a fresh inquiry
    assert not page.locator("#network").is_visible()


def test_signing_out_wipes_what_was_kept(page, context, server):
    sign_in_by_sms(page, server, WIFE, "09127654321")
    kept = (
        "new Promise(r => { const o = indexedDB.open('darman'); o.onsuccess = () => {"
        " const q = o.result.transaction('answers').objectStore('answers').count();"
        " q.onsuccess = () => r(q.result); }; })"
    )
    assert page.evaluate(kept) > 0
    page.goto("/#/settings")
    page.get_by_role("button", name="خروج از حساب در این دستگاه").click()
    page.get_by_role("heading", name="به «درمان من» خوش آمدید").wait_for()
    assert page.evaluate(kept) == 0


def test_switching_to_english_flips_direction_and_digits(page, server, shoot):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    page.goto("/#/settings")
    page.get_by_label("English").check()
    page.get_by_role("heading", name="Settings").wait_for()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "en",
        "ltr",
    ]
    # The account keeps the choice, so notices come in English too.
    wait_until(page, "fetch('/api/me').then(r => r.json()).then(me => me.locale === 'en')")
    page.get_by_role("link", name="Home").click()
    card = page.locator("article.card")
    card.wait_for()
    assert "Azar 30, 1405" in card.inner_text()
    assert re.search(r"Tracking code:\s*\d{4} \d{4} \d{4}", card.inner_text())
    assert not re.search(r"[۰-۹]", card.inner_text())
    shoot(page, "home-english")
    page.goto("/#/settings")
    page.get_by_label("فارسی").check()
    page.get_by_role("heading", name="تنظیمات").wait_for()
    assert page.evaluate("document.documentElement.dir") == "rtl"
