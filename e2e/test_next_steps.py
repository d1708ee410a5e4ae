"""The citizen app tells people what they have, until when, and what to do next (issue 12): a
pensioner of 60, a mother of a newborn, a son about to turn 19, a worker whose cover ends soon —
in Persian at 360×740, with axe-core on every screen shot (e2e/conftest.py)."""

import re
from pathlib import Path

from browser import pin_today, sign_in_by_sms, wait_until
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from more_families import DAUGHTER_OVER_18, PENSIONER, PENSIONER_MOBILE

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ENDING = "حمایت درمانی دارد — به‌زودی پایان می‌یابد"
GROUPED_CODE = re.compile(r"[۰-۹]{4} [۰-۹]{4} [۰-۹]{4}")


def text(locator) -> str:
    """What a locator shows, without the isolates (FSI…PDI) around filled-in words."""
    return locator.inner_text().replace("\u2068", "").replace("\u2069", "")


def test_a_pensioner_is_told_the_cover_renews_with_no_countdown(page, server, shoot):
    pin_today(page)
    sign_in_by_sms(page, server, PENSIONER, PENSIONER_MOBILE)
    card = page.locator("article.card")
    assert card.locator(".status").inner_text().strip() == "حمایت درمانی دارد"
    assert "تا وقتی مستمری شما پرداخت می‌شود" in card.inner_text()
    assert "روز باقی مانده" not in card.inner_text()
    assert "۳۰ دی ۱۴۰۵" in card.inner_text()  # the end of the next Jalali month
    shoot(page, "pensioner-home")


def test_a_worker_with_30_days_left_sees_ending_soon_and_what_to_do(page, server, shoot):
    pin_today(page)
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    card = page.locator("article.card")
    assert card.get_attribute("class") == "card ending"
    assert card.locator(".status").inner_text().strip() == ENDING  # words, not colour alone
    assert card.locator(".status svg.icon-ending").count() == 1
    assert "۳۰ روز باقی مانده" in card.inner_text()
    steps = card.locator(".next-steps")
    assert "فهرست ماهانهٔ بیمه" in steps.inner_text()  # a worker: the employer's list
    assert steps.get_by_role("link", name="تماس با ۱۴۲۰").get_attribute("href") == "tel:1420"
    assert GROUPED_CODE.search(card.locator(".tracking .code").inner_text())
    shoot(page, "worker-ending-soon")


def test_days_left_are_counted_on_the_phone_and_an_old_answer_is_greyed(
    page, context, server, shoot
):
    pin_today(page)
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    assert "۳۰ روز باقی مانده" in page.locator("article.card").inner_text()
    context.set_offline(True)
    page.clock.fast_forward(5 * 24 * 3600 * 1000)  # five days on, still offline
    page.reload()
    card = page.locator("article.card")
    card.wait_for()
    assert "۲۵ روز باقی مانده" in card.inner_text()  # not the server's 30 of five days ago
    assert "stale" in card.get_attribute("class")
    line = page.locator(".checked.stale")
    assert "۱ آذر ۱۴۰۵" in line.inner_text() and "ممکن است تغییر کرده باشد" in line.inner_text()
    shoot(page, "home-offline-five-days-on")
    context.set_offline(False)


def test_family_is_a_short_list_with_problems_first_and_a_card_per_member(page, server, shoot):
    pin_today(page)
    sign_in_by_sms(page, server, PENSIONER, PENSIONER_MOBILE)
    page.get_by_role("link", name="خانواده").click()
    rows = page.locator("ul.members a.member")
    rows.first.wait_for()
    assert rows.count() == 3
    first = rows.nth(0)
    assert "ندا کریمی" in first.inner_text() and "حمایت درمانی ندارد" in first.inner_text()
    son = page.locator("a.member", has_text="رضا کریمی")
    assert "تا ۱۰ دی ۱۴۰۵ — پس از آن با گواهی تحصیلی" in text(son)
    assert page.locator(".tracking").count() == 0  # the list draws no tracking code
    shoot(page, "family-list")
    first.click()
    card = page.locator("article.card")
    card.wait_for()
    assert "اصل شناسنامه را در یکی از شعب" in card.locator(".next-steps").inner_text()
    assert "طبق ضوابط و روال جاری" in card.inner_text()
    assert GROUPED_CODE.search(card.locator(".tracking .code").inner_text())
    objection = card.get_by_role("link", name="اعتراض به وضعیت استحقاق")
    href = objection.get_attribute("href")
    assert href == f"#/objection?subject=dependant_cover&national_code={DAUGHTER_OVER_18}"
    shoot(page, "family-member-not-covered")
    objection.click()  # the objection form, for this dependant, with 1420 beside it
    page.locator("#objection-code").wait_for()
    assert page.locator("input[name=subject][value=dependant_cover]").is_checked()
    assert page.locator("#objection-code").input_value() == DAUGHTER_OVER_18
    assert page.locator("a[href='tel:1420']").count() >= 1


def test_a_son_about_to_turn_19_says_so_on_his_card(page, server, shoot):
    pin_today(page)
    sign_in_by_sms(page, server, PENSIONER, PENSIONER_MOBILE)
    page.goto("/#/family")
    page.locator("a.member", has_text="رضا کریمی").click()
    card = page.locator("article.card")
    card.wait_for()
    assert "تا ۱۰ دی ۱۴۰۵ — پس از آن با گواهی تحصیلی" in text(card)
    shoot(page, "son-turning-19")


def test_a_mother_who_is_a_dependant_sees_her_newborn(page, server, shoot):
    pin_today(page)
    sign_in_by_sms(page, server, WIFE, WIFE_MOBILE)
    page.get_by_role("link", name="خانواده").click()
    newborn = page.locator("a.member", has_text="نوزاد پسر")
    newborn.wait_for()
    assert "حمایت درمانی" in newborn.inner_text()
    assert page.locator("a.member", has_text="خودم").count() == 1
    shoot(page, "mother-family")
    newborn.click()
    card = page.locator("article.card")
    card.wait_for()
    shown = text(card)
    assert "تاریخ تولد: ۲۱ آبان ۱۴۰۵" in shown
    assert "برای نوزاد پیش از ۲۰ آذر ۱۴۰۵ کد ملی بگیرید." in shown
    assert "نوزاد تا یک ماه پس از تولد با کد ملی مادر" in shown
    assert "کد ملی بگیرید و او را" in text(card.locator(".next-steps"))
    shoot(page, "mother-newborn-card")


def test_latin_text_keeps_its_order_inside_persian(page, server, shoot):
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    for screen in ("#/home", "#/help"):
        page.goto(f"/{screen}")
        link = page.locator(".objection a[href='https://1420.tamin.ir']")
        link.wait_for()
        assert link.inner_text() == "1420.tamin.ir"
        style = link.evaluate(
            "a => [getComputedStyle(a).direction, getComputedStyle(a).unicodeBidi]"
        )
        assert style == ["ltr", "isolate"]
        # Rendered left to right: "1420" lies left of "tamin" on the line.
        order = link.evaluate(
            "a => { const r = document.createRange(); const t = a.firstChild;"
            " r.setStart(t, 0); r.setEnd(t, 4); const digits = r.getBoundingClientRect().left;"
            " r.setStart(t, 5); r.setEnd(t, 10); return digits < r.getBoundingClientRect().left; }"
        )
        assert order, f"1420.tamin.ir is reordered on {screen}"
        call = page.locator(".objection a[href='tel:1420']")
        assert call.count() == 1  # 1420 is tappable in the sentence
    shoot(page, "help")


def test_at_320px_and_200pct_text_the_tab_bar_is_one_row_and_hides_nothing(browser, server, shoot):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=server.url)
    try:
        page = context.new_page()
        sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        headings = {"#/home": "استحقاق درمان من", "#/help": "راهنما", "#/family": "خانوادهٔ من"}
        for screen, heading in headings.items():
            page.goto(f"/{screen}")
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            page.wait_for_load_state("networkidle")
            wait_until(page, "document.getElementById('tabs').classList.contains('compact')")
            tops = page.evaluate("[...document.querySelectorAll('.tab')].map(t => t.offsetTop)")
            assert len(set(tops)) == 1, f"the tab bar wraps on {screen}"
            bar = page.evaluate("document.getElementById('tabs').getBoundingClientRect().height")
            assert bar < 640 * 0.2
            label = page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('.tab span')).fontSize)"
            )
            assert label >= 14
            page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
            hidden = page.evaluate(
                "document.querySelector('main').lastElementChild.lastElementChild"
                ".getBoundingClientRect().bottom - document.getElementById('tabs')"
                ".getBoundingClientRect().top"
            )
            assert hidden <= 0, f"the end of {screen} lies beneath the tab bar"
            bottom = ARTIFACTS / f"320px-200pct-bottom-of-{screen[2:]}.png"
            page.screenshot(path=str(bottom))  # what the eye sees at the end of the page
            shoot(page, f"320px-200pct-tabs-{screen[2:]}")
    finally:
        context.close()


def test_the_code_screen_after_the_last_wrong_code(page, server, shoot):
    page.goto("/#/sign-in")
    page.get_by_label("کد ملی").fill(INSURED)
    page.get_by_label("شمارهٔ همراه").fill(INSURED_MOBILE)
    page.get_by_role("button", name="فرستادن کد").click()
    page.get_by_label("کد پیامک").wait_for()
    first = server.last_code()
    wrong = f"{(int(first) + 1) % 10**6:06d}"
    for _ in range(3):  # a code allows 3 tries
        page.get_by_label("کد پیامک").fill(wrong)
        page.get_by_role("button", name="ورود", exact=True).click()
        page.wait_for_timeout(300)
    alert = page.get_by_role("alert")
    assert "کد تازه بخواهید" in alert.inner_text()
    assert "۰ بار" not in alert.inner_text()
    resend = page.get_by_role("button", name="فرستادن دوبارهٔ کد")
    assert resend.is_enabled()
    assert page.get_by_role("link", name="تغییر شماره").get_attribute("href") == "#/sign-in"
    shoot(page, "code-used-up")
    sent = server.sms.read_text(encoding="utf-8").count("\n")
    resend.click()
    wait_until(page, "document.getElementById('announce').textContent.length > 0")
    deadline = 50
    while server.sms.read_text(encoding="utf-8").count("\n") == sent and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    page.get_by_label("کد پیامک").fill(server.last_code())
    page.get_by_role("button", name="ورود", exact=True).click()
    page.get_by_role("link", name="فعلاً نه").or_(page.locator("article.card")).first.wait_for()


def test_welcome_leads_with_the_national_code_and_shows_the_ways_with_no_internet(
    page, server, shoot
):
    page.goto("/")
    buttons = page.locator(".welcome .button, .welcome button")
    buttons.first.wait_for()
    assert buttons.first.inner_text().strip() == "ورود یا ثبت‌نام با کد ملی"
    ussd = page.locator(".ways a")
    assert [ussd.nth(i).get_attribute("href") for i in range(ussd.count())] == [
        "tel:*1420*4%23",
        "tel:*1666%23",
    ]
    assert ussd.first.inner_text().replace("\u200e", "") == "*۱۴۲۰*۴#"
    left = ussd.first.evaluate(  # dialled left to right: the star before 1420 is leftmost
        "a => { const r = document.createRange(); r.setStart(a.firstChild, 0);"
        " r.setEnd(a.firstChild, 1); return r.getBoundingClientRect().left"
        " - a.getBoundingClientRect().left; }"
    )
    assert left < 2
    shoot(page, "welcome")
    page.goto("/#/sign-in")
    assert "۱۲ رقمی" in page.locator("#national-code-hint").inner_text()
