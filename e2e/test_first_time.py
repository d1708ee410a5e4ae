"""A first-time citizen's journeys that broke with no test noticing (issue 24): what the home of
someone with no cover prints, a husband's next steps, progress on a slow network, waiting
offline, screens opened at their top, and the wording of the card's own date."""

import re

from browser import sign_in_by_sms, wait_until
from families import INSURED, INSURED_MOBILE, SON
from more_families import WIFE_INSURED, WIFE_INSURED_MOBILE

SON_MOBILE = "09131111111"
# What must never be seen on a screen: a value printed as text, or a placeholder left unfilled.
LEAKS = re.compile(r"\b(true|false|undefined|null|NaN)\b|\[object|%\(\w+\)s|\{\w+\}")


def visible_text(page) -> str:
    """The screen's text as a person sees it (the tab bar included)."""
    return page.inner_text("body")


def test_an_uncovered_citizens_home_prints_no_false_and_no_note_about_a_date(page, server, shoot):
    sign_in_by_sms(page, server, SON, SON_MOBILE)
    page.get_by_role("button", name="استعلام دوباره").wait_for()
    text = visible_text(page)
    assert "حمایت درمانی ندارد" in text
    assert not LEAKS.search(text), LEAKS.search(text)
    assert "این تاریخ بر اساس" not in text  # the as-of note is about an expiry he has not
    shoot(page, "uncovered-home")


def test_the_card_for_the_pharmacy_says_whose_date_it_gives(page, server, shoot):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    until = page.locator(".qr-until")
    until.wait_for()
    assert until.inner_text().startswith("اعتبار این کارت برای داروخانه تا")
    assert "این تاریخ بر اساس" in visible_text(page)  # he has a date: the note is his


def test_a_husbands_next_steps_are_persian_and_do_not_repeat_the_reason(page, server, shoot):
    sign_in_by_sms(page, server, WIFE_INSURED, WIFE_INSURED_MOBILE)
    page.goto("/#/family")
    page.locator("a.member", has_text="جعفر احمدی").click()
    steps = page.locator(".next-steps")
    steps.wait_for()
    shown = steps.inner_text().replace("\u2068", "").replace("\u2069", "")
    assert not re.search(r"[A-Za-z]", shown), shown  # no English left inside Persian
    assert "از ۱۱ اسفند ۱۴۰۶، که شرط سنی برقرار می‌شود" in shown
    reason = page.locator(".reasons li").first.inner_text()
    assert "۶۰ سال" in reason and "۶۰" not in shown  # the rule is said once, in the reason
    assert not LEAKS.search(visible_text(page))
    shoot(page, "husband-next-steps")


def test_send_the_code_shows_progress_and_is_sent_once_on_a_slow_network(page, server, shoot):
    held = []
    # the answer waits until the test lets it go
    page.route("**/api/auth/sms/start", lambda route: held.append(route))
    page.goto("/#/sign-in")
    page.get_by_label("کد ملی").fill(INSURED)
    page.get_by_label("شمارهٔ همراه").fill(INSURED_MOBILE)
    send = page.get_by_role("button", name="فرستادن کد")
    send.click()
    page.get_by_role("button", name="در حال فرستادن کد…").wait_for()  # past 300 ms: progress
    button = page.locator("form button[type=submit]")
    assert button.is_disabled() and button.get_attribute("aria-busy") == "true"
    page.get_by_label("شمارهٔ همراه").press("Enter")  # tapped again, and Enter: nothing more
    page.locator("form").evaluate("form => form.requestSubmit()")
    page.wait_for_timeout(200)
    assert len(held) == 1
    shoot(page, "send-code-pending")
    held[0].continue_()
    page.get_by_label("کد پیامک").wait_for()


def test_a_tab_whose_screen_is_slow_says_it_is_loading(page, server):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    held = []
    page.route("**/api/family", lambda route: held.append(route))
    page.get_by_role("link", name="خانواده").click()
    loading = page.locator("main .loading[role=status]")
    loading.wait_for()  # the old screen does not stay as if it were the new one
    assert page.locator("main article.card").count() == 0
    held[0].continue_()
    page.get_by_role("heading", name="خانوادهٔ من").wait_for()
    assert page.locator("main .loading").count() == 0


def test_check_again_offline_says_it_waits_then_checks_when_back(page, context, server, shoot):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    context.set_offline(True)
    page.get_by_role("button", name="استعلام دوباره").click()
    waiting = page.locator(".waiting[role=status]")
    waiting.wait_for()
    assert "به محض اتصال" in waiting.inner_text()
    shoot(page, "check-again-offline")
    context.set_offline(False)
    wait_until(page, "!document.querySelector('.waiting')")
    page.locator(".checked:not(.offline)").wait_for()


def test_a_screen_opened_from_a_tab_starts_at_its_top(page, server):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    page.goto("/#/help")
    page.get_by_role("heading", name="راهنما", exact=True).wait_for()
    page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0
    page.get_by_role("link", name="خانه").click()
    page.locator("article.card").wait_for()
    wait_until(page, "window.scrollY === 0")


def test_help_gives_objecting_in_the_app_its_own_section(page, server, shoot):
    page.goto("/#/help")
    button = page.get_by_role("link", name="ثبت اعتراض در برنامه")
    heading = button.evaluate(
        "a => { let e = a.closest('p');"
        " while (e && e.tagName !== 'H3') e = e.previousElementSibling;"
        " return e && e.textContent; }"
    )
    assert heading == "اعتراض در برنامه"  # not under «registering or changing your mobile»
