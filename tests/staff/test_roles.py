"""Each role reaches only its screens; a citizen's session, or none, reaches none."""

import families
import pytest

SCREENS = {
    "branch": ["/staff/branch", "/staff/objections"],
    "medical": ["/staff/medical"],
    "claims": ["/staff/claims", "/staff/claims/days"],
    "admin": ["/staff/audit", "/staff/imports"],
}
EVERY_SCREEN = [url for urls in SCREENS.values() for url in urls]


@pytest.mark.parametrize("role", sorted(SCREENS))
def test_each_role_reaches_its_screens_only(signed_in, role):
    browser = signed_in(role)
    for url in EVERY_SCREEN:
        answer = browser.get(url)
        expected = 200 if url in SCREENS[role] else 403
        assert answer.status_code == expected, (role, url)
        if expected == 403:
            assert "این صفحه برای نقش شما نیست" in answer.get_data(as_text=True)


@pytest.mark.parametrize("role", sorted(SCREENS))
def test_the_home_page_lists_the_roles_screens(signed_in, role):
    page = signed_in(role).get("/staff/").get_data(as_text=True)
    for url in EVERY_SCREEN:
        assert (f'href="{url}"' in page) == (url in SCREENS[role])


def test_a_citizen_session_reaches_no_screen(citizen, family):
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    for url in ["/staff/", *EVERY_SCREEN, "/staff/objections/1", "/staff/branch/people/1"]:
        answer = citizen.get(url)
        assert answer.status_code == 302 and answer.location.endswith("/staff/sign-in"), url


def test_a_role_check_guards_the_forms_too(app, signed_in, family):
    admin = signed_in("admin")
    answer = admin.post("/staff/branch", {"national_code": families.INSURED})
    assert answer.status_code == 403


def test_console_pages_are_never_cached(signed_in):
    answer = signed_in("admin").get("/staff/audit")
    assert answer.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
