"""Usable by everyone: 320 px wide at 200 % text, keyboard focus visible, labels on every field."""

import pytest
from browser import sign_in_by_sms, wait_until
from families import INSURED, INSURED_MOBILE

OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


@pytest.mark.parametrize("screen", ["#/home", "#/family", "#/settings", "#/help"])
def test_every_screen_fits_320px_at_double_text_size(browser, server, screen, shoot):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=server.url)
    try:
        page = context.new_page()
        sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        page.goto(f"/{screen}")
        page.locator("main h2").wait_for()
        page.wait_for_load_state("networkidle")
        assert page.evaluate(OVERFLOW) <= 0, "the page scrolls sideways"
        shoot(page, f"320px-200pct-{screen[2:]}")
    finally:
        context.close()


def test_the_sign_in_form_works_by_keyboard_with_a_visible_focus(page, server):
    page.goto("/#/sign-in")
    page.locator("#national-code").wait_for()
    assert page.locator(".skip").get_attribute("href") == "#main"
    # Each screen puts the focus on its content, so Tab goes to the first field.
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "national-code"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    for field in ("national-code", "mobile"):
        label = page.locator(f"label[for='{field}']")
        assert label.inner_text().strip()
        assert page.locator(f"#{field}").get_attribute("aria-describedby")


def test_status_changes_are_announced(page, server):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    region = page.locator("#announce")
    assert region.get_attribute("aria-live") == "polite"
    page.locator("#announce:not(:empty)").wait_for(state="attached")
    # the status as the card says it (his cover ends within 30 days), in the app's words
    assert region.inner_text() == "حمایت درمانی دارد — به‌زودی پایان می‌یابد"


@pytest.mark.parametrize("sign_in", ["/centre/sign-in", "/staff/sign-in"])
def test_the_web_shell_puts_the_focus_on_the_first_error_it_describes(page, server, sign_in, shoot):
    page.goto(sign_in)
    page.get_by_label("کد ملی").fill("۱۲۳")
    page.get_by_label("کد ملی").press("Enter")  # Enter submits; the mobile is left empty
    page.locator("#mobile-error").wait_for()
    # The shell's script moves the focus once it runs (later than the error shows, when busy).
    wait_until(page, "document.activeElement.id === 'national_code'")
    field = page.locator("#national_code")
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{field.get_attribute('aria-describedby')}")
    assert error.inner_text() == "کد ملی واردشده معتبر نیست. لطفاً دوباره بررسی کنید."
    assert page.get_by_label("کد ملی").input_value() == "۱۲۳"  # nothing lost
    shoot(page, "first-error")
