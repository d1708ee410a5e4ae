"""Every screen of the citizen's app, in Persian and in English, through the screen check
(screen_check.py, run by `shoot` beside axe-core at 360 px and at 320 px with 200 % text): a
pensioner's home, his family and each member's card and next steps, his record and its detail,
medicines, who saw it, notices, settings, help and the objection form — reached by tapping, as a
person would, so that each screen is also entered by navigation and must open at its top."""

import pytest
from browser import pin_today, sign_in_by_sms
from more_families import PENSIONER, PENSIONER_MOBILE
from test_records import prescribe, provider_call


@pytest.fixture(scope="module")
def record(server) -> None:
    """A prescription in the pensioner's record, opened and partly delivered by a pharmacy (so
    that his record, its detail, his medicines and who saw them all have something to show)."""
    server.flask("darman", "catalogue", "import")
    doctor = server.flask("darman", "provider", "create", "دکتر مینا احمدی", "--kind", "doctor")
    pharmacy = server.flask("darman", "provider", "create", "داروخانه امید", "--kind", "pharmacy")
    items = [{"code": "D1002", "quantity": 60, "instructions": "روزی دو بار"}]
    code = prescribe(server, doctor.strip(), PENSIONER, "drug", items)["code"]
    path = f"/api/provider/prescriptions/{code}"
    provider_call(server, pharmacy.strip(), "GET", path)
    delivered = {"items": [{"code": "D1002", "quantity": 30}]}
    provider_call(server, pharmacy.strip(), "POST", f"{path}/dispense", delivered)


def in_language(page, language: str) -> None:
    """The app in this language from now on (the choice the settings screen keeps)."""
    page.evaluate(f"localStorage.setItem('darman.lang', {language!r})")
    page.reload()
    page.locator("article.card").wait_for()


def tab(page, name: str) -> None:
    """Tap a tab and wait for its screen."""
    page.locator(f"#tabs a.tab-{name}").click()
    page.wait_for_function(f"location.hash.startsWith('#/{name}')")
    page.locator("main h2").first.wait_for()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_family_screens(page, server, shoot, language):
    pin_today(page)
    sign_in_by_sms(page, server, PENSIONER, PENSIONER_MOBILE)
    in_language(page, language)
    shoot(page, f"{language}-home")
    tab(page, "family")
    shoot(page, f"{language}-family")
    members = page.locator("a.member")
    for index in range(members.count()):
        members.nth(index).click()
        page.locator("article.card").wait_for()
        page.wait_for_load_state("networkidle")
        shoot(page, f"{language}-member-{index}")
        page.go_back()
        page.locator("a.member").first.wait_for()


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_record_notices_settings_and_help(page, server, record, shoot, language):
    sign_in_by_sms(page, server, PENSIONER, PENSIONER_MOBILE)
    in_language(page, language)
    tab(page, "records")
    shoot(page, f"{language}-records")
    first = page.locator("main a[href^='#/records/']").first
    first.click()
    page.wait_for_function("/^#\\/records\\/\\d+/.test(location.hash)")
    page.locator("main h2").first.wait_for()
    page.wait_for_load_state("networkidle")
    shoot(page, f"{language}-record-detail")
    for screen in ("#/medicines", "#/access-log"):
        tab(page, "records")
        page.locator(f"main a[href='{screen}']").first.click()
        page.wait_for_function(f"location.hash === {screen!r}")
        page.wait_for_load_state("networkidle")
        shoot(page, f"{language}-{screen[2:]}")
    tab(page, "notices")
    shoot(page, f"{language}-notices")
    tab(page, "settings")
    shoot(page, f"{language}-settings")
    for screen in ("#/help", "#/objection"):  # help from settings, the objection from help
        page.locator(f"main a[href^='{screen}']").first.click()
        page.wait_for_function(f"location.hash.startsWith({screen!r})")
        page.locator("main h2").first.wait_for()
        page.wait_for_load_state("networkidle")
        shoot(page, f"{language}-{screen[2:]}")
