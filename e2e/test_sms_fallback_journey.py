"""A pensioner with no push subscription learns by SMS that his cover ended: a real registry
import ends it, the real worker sends the SMS through the `kavenegar` backend to a local server
that speaks Kavenegar's HTTP API (tests/kavenegar_fake.py) — once, however often the worker runs.
And the settings screen's SMS choice, at 360×740 and at 320 px with 200 % text."""

from pathlib import Path

from browser import sign_in_by_sms
from kavenegar_fake import KavenegarFake
from more_families import PENSIONER, PENSIONER_MOBILE

KEY = "e2e-kavenegar-key"
INSURED_CSV = "national_code,insurance_number,kind,start_date,end_date"
ENDED = "درمان من: حمایت درمانی شما در ۳۰ آبان ۱۴۰۵ پایان یافت."
DEFAULT_CHOICE = "در برنامه، و اگر نرسید با پیامک"


def pension(server, folder: Path, end_date: str) -> None:
    """Import Hassan's pension record with this end date ('' for none)."""
    folder.mkdir(exist_ok=True)
    (folder / "insured.csv").write_text(
        f"{INSURED_CSV}\n{PENSIONER},2000000001,pensioner,2020-01-01,{end_date}\n",
        encoding="utf-8",
    )
    server.flask("darman", "import", str(folder))


def test_a_pensioner_without_push_learns_by_sms_that_his_cover_ended(page, server, shoot, tmp_path):
    sign_in_by_sms(page, server, PENSIONER, PENSIONER_MOBILE)
    page.get_by_role("link", name="تنظیمات", exact=True).click()
    choice = page.get_by_role("radio", name=DEFAULT_CHOICE)
    choice.wait_for()
    assert choice.is_checked()  # push then SMS, the default
    page.get_by_role("radio", name="با پیامک هم").check()
    saved = page.locator(".sms-choice .saved[role=status]")
    saved.filter(has_text="با پیامک هم").wait_for()
    assert saved.inner_text().startswith("ذخیره شد:")
    page.reload()
    page.get_by_role("radio", name="با پیامک هم").wait_for()
    assert page.get_by_role("radio", name="با پیامک هم").is_checked()  # kept by the server
    choice.check()
    saved.filter(has_text=DEFAULT_CHOICE).wait_for()
    page.locator(".sms-choice").scroll_into_view_if_needed()
    shoot(page, "settings-sms-choice")
    page.set_viewport_size({"width": 320, "height": 640})
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth <= 320")
    picture = shoot(page, "settings-sms-choice-320-200")
    page.locator(".sms-choice").screenshot(path=str(picture.with_name(f"close-{picture.name}")))
    page.evaluate("document.documentElement.style.fontSize = ''")

    # What other journeys wrote under his code is texted first (to the SMS file), so that this
    # journey's texts are its own; the cap is raised for the same reason (it is tested apart).
    many = {"DARMAN_SMS_FALLBACK_PER_DAY": "100"}
    server.flask("darman", "worker", "--once", **many)
    with KavenegarFake({KEY}, set()) as kavenegar:
        backend = {
            **many,
            "DARMAN_SMS_BACKEND": "kavenegar",
            "DARMAN_KAVENEGAR_API_KEY": KEY,
            "DARMAN_KAVENEGAR_TEMPLATE": "unused-here",
            "DARMAN_KAVENEGAR_URL": kavenegar.base_url,
        }
        try:
            pension(server, tmp_path / "ended", "2026-11-21")  # the pension ended on 30 Aban
            server.flask("darman", "worker", "--once", **backend)
            server.flask("darman", "worker", "--once", **backend)
            server.flask("darman", "daily", **backend)
            server.flask("darman", "worker", "--once", **backend)
        finally:
            pension(server, tmp_path / "again", "")  # the other tests' Hassan is covered again
        mine = [sent.message for sent in kavenegar.sent if sent.receptor == PENSIONER_MOBILE]
        assert {sent.key for sent in kavenegar.sent} == {KEY}
        # His own cover, and his wife's and son's (he is their main insured): each told once.
        assert len(mine) == 3 and len(set(mine)) == 3, mine
        assert [text for text in mine if text.startswith(ENDED)] == [
            f"{ENDED} علت را در برنامهٔ درمان من ببینید یا با ۱۴۲۰ تماس بگیرید."
        ]
        dependants = ("رضا کریمی", "مریم کریمی")  # each named in one SMS of its own
        named = sorted(name for name in dependants for text in mine if name in text)
        assert named == sorted(dependants), mine
    server.flask("darman", "worker", "--once")  # "covered again" goes to the SMS file
