"""Documents online in a real Chromium: a father sends his son's student certificate from the
PWA (offline, the screen says sending needs a connection), a staff member with the insurance
role accepts it in the console, and the son's card turns «حمایت درمانی دارد» on the father's
phone at once, while his mother, who has no push subscription, is told by SMS. The citizen's
screens are shot at 360×740 and at 320 px with 200 % text."""

import json
import re
from pathlib import Path

from browser import pin_today, sign_in_by_sms
from more_families import (
    FATHER_OF_STUDENT,
    FATHER_OF_STUDENT_MOBILE,
    MOTHER_OF_STUDENT,
    MOTHER_OF_STUDENT_MOBILE,
)
from test_staff import WIDE, make_staff, staff_page, staff_sign_in  # noqa: F401 (a fixture)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
REVIEWER = ("0089345614", "09121110021")  # national code and mobile of the insurance staff


def shoot_narrow(page, name: str) -> None:
    """The screen at 320 px with 200 % text, saved beside the others (the screen check runs
    there too, inside `shoot`)."""
    before = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 740})
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    try:
        page.screenshot(path=str(ARTIFACTS / f"320px-200pct-{name}.png"), full_page=True)
    finally:
        page.evaluate("document.documentElement.style.fontSize = ''")
        page.set_viewport_size(before)


def open_son(page) -> None:
    """The father's family screen, then Amir's full card."""
    page.goto("/#/family")
    page.locator("a.member", has_text="امیر صادقی").click()
    page.get_by_role("heading", name="امیر صادقی").wait_for()
    page.locator("article.card").wait_for()


def send_certificate(page, context, shoot) -> str:
    """From Amir's card to the sending screen; offline first (told), then sent; its number."""
    card = page.locator("article.card")
    assert "حمایت درمانی ندارد" in card.inner_text()
    steps = card.locator(".next-steps")
    assert "نیازی به رفتن به شعبه نیست" in steps.inner_text()  # the app is offered first
    steps.get_by_role("link", name="فرستادن مدرک در برنامه").click()
    page.get_by_role("heading", name=re.compile("فرستادن مدرک برای")).wait_for()
    assert page.get_by_label("گواهی تحصیلی دانشگاهی").is_checked()
    page.get_by_label("دانشگاه", exact=True).fill("دانشگاه صنعتی شریف")
    page.get_by_label("معتبر تا (همان‌گونه که در مدرک نوشته شده، اختیاری)").fill("۱۴۰۶/۰۶/۳۱")
    chosen = page.locator(".document-form .file-name")
    assert chosen.inner_text() == "فایلی انتخاب نشده است"  # our words, not the browser's
    page.get_by_label("عکس یا فایل PDF مدرک").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert chosen.inner_text() == "certificate.pdf"
    shoot(page, "document-form")
    shoot_narrow(page, "document-form")
    context.set_offline(True)
    offline_note = page.get_by_text("فرستادن مدرک به اینترنت نیاز دارد").first
    offline_note.wait_for()
    page.get_by_role("button", name="فرستادن مدرک").click()
    assert "به اینترنت نیاز دارد" in page.locator(".document-form .error").inner_text()
    shoot(page, "document-form-offline")
    context.set_offline(False)
    offline_note.wait_for(state="hidden")  # back online: the screen says so by itself
    page.get_by_role("button", name="فرستادن مدرک").click()
    sent = page.get_by_role("heading", name="مدرک شما فرستاده شد")
    sent.or_(page.locator(".document-form .error:not(:empty)")).first.wait_for()
    assert sent.is_visible(), page.locator(".document-form .error").inner_text()
    shoot(page, "document-sent")
    shoot_narrow(page, "document-sent")
    page.get_by_role("link", name="مدارک فرستاده‌شده").click()
    listed = page.locator(".document-list li").first
    listed.wait_for()
    assert "در انتظار بررسی" in listed.inner_text() and "امیر صادقی" in listed.inner_text()
    shoot(page, "documents-pending")
    return re.search(r"[۰-۹]{12}", listed.inner_text()).group(0)


def accept_in_console(console, server, shoot) -> None:
    """The insurance staff member opens the queue and accepts the certificate for a year."""
    make_staff(server, *REVIEWER, "insurance")
    staff_sign_in(console, server, *REVIEWER)
    console.get_by_role("link", name="مدارک برای بررسی").first.click()
    console.get_by_role("heading", name="مدارک برای بررسی").wait_for()
    shoot(console, "documents-queue")
    console.locator("tbody a").first.click()
    console.get_by_role("heading", name="آنچه خانواده فرستاده است").wait_for()
    main = console.inner_text("main")
    assert "امیر صادقی" in main and "دانشگاه صنعتی شریف" in main and "حمایت درمانی ندارد" in main
    shoot(console, "document-review")
    console.get_by_label("نخستین روز اعتبار مدرک").fill("۱۴۰۵/۰۷/۰۱")
    console.get_by_label("آخرین روز (خالی: بدون پایان)").fill("1406/06/31")
    console.get_by_role("button", name="پذیرفتن مدرک", exact=True).click()
    console.get_by_text("مدرک پذیرفته شد و حمایت درمانی به‌روز شد").wait_for()
    shoot(console, "document-accepted")


def test_a_father_sends_his_sons_certificate_and_the_card_turns_covered(
    context,
    page,
    staff_page,  # noqa: F811 (the fixture imported above)
    server,
    shoot,
):
    mother = context.browser.new_context(locale="fa-IR", base_url=server.url).new_page()
    sign_in_by_sms(mother, server, MOTHER_OF_STUDENT, MOTHER_OF_STUDENT_MOBILE)  # no push
    mother.context.close()
    pin_today(page)
    sign_in_by_sms(page, server, FATHER_OF_STUDENT, FATHER_OF_STUDENT_MOBILE)
    open_son(page)
    shoot(page, "son-not-covered")
    number = send_certificate(page, context, shoot)

    accept_in_console(staff_page(WIDE), server, shoot)

    open_son(page)  # the father's phone, the same hour: no import, no `daily`
    card = page.locator("article.card")
    assert "حمایت درمانی دارد" in card.inner_text()
    shoot(page, "son-covered")
    shoot_narrow(page, "son-covered")
    page.goto("/#/documents")
    listed = page.locator(".document-list li").first
    listed.wait_for()
    assert "پذیرفته‌شده" in listed.inner_text() and number in listed.inner_text()
    shoot(page, "documents-accepted")

    server.flask("darman", "worker", "--once")  # the notices, and the SMS of those push missed
    texts = [json.loads(line) for line in server.sms.read_text(encoding="utf-8").splitlines()]
    to_mother = [sms["text"] for sms in texts if sms["to"] == MOTHER_OF_STUDENT_MOBILE]
    assert to_mother[-1].startswith("درمان من") and "امیر صادقی" in to_mother[-1]
    assert "دانشجو" not in to_mother[-1]  # what the document was is not said
    server.flask("darman", "worker", "--once")
    again = [json.loads(line) for line in server.sms.read_text(encoding="utf-8").splitlines()]
    assert len(again) == len(texts)  # nothing sent twice
