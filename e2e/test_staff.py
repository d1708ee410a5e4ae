"""The staff console in a real Chromium: the branch registers a mobile and answers an objection
filed in the app; the admin reads the audit and the import history; the medical role's screen.
Staff screens are shot at 1280×800 and 768×1024, the citizen's at 360×740."""

import pytest
from browser import add_passkey_device, sign_in_by_sms
from families import FATHER, SON
from more_families import NEW_MOBILE_PERSON

WIDE = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def to_persian(text: str) -> str:
    """ASCII digits as Persian ones, as a person may type them."""
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


@pytest.fixture
def staff_page(browser, server):
    """A staff browser at a given size: staff_page(WIDE)."""
    contexts = []

    def make(viewport: dict):
        context = browser.new_context(
            viewport=viewport, locale="fa-IR", base_url=server.url, device_scale_factor=1
        )
        contexts.append(context)
        page = context.new_page()
        add_passkey_device(page)
        return page

    yield make
    for context in contexts:
        context.close()


def make_staff(server, national_code: str, mobile: str, role: str) -> None:
    """`flask darman staff create`."""
    server.flask("darman", "staff", "create", national_code, mobile, "--role", role)


def staff_sign_in(page, server, national_code: str, mobile: str, shoot=None) -> None:
    """National code and mobile, the SMS code, then the passkey (made the first time)."""
    page.goto("/staff/")
    page.get_by_role("heading", name="ورود کارکنان").wait_for()
    page.get_by_label("کد ملی").fill(to_persian(national_code))
    page.get_by_label("شمارهٔ همراه").fill(mobile)
    if shoot:
        shoot(page, "staff-sign-in")
    page.get_by_role("button", name="فرستادن کد").click()
    page.get_by_label("کد پیامک‌شده").fill(to_persian(server.last_code()))
    page.keyboard.press("Enter")  # Enter submits
    page.get_by_role("heading", name="کلید عبور").wait_for()
    if shoot:
        shoot(page, "staff-passkey")
    page.locator("#passkey").click()
    page.get_by_role("heading", name="میز کار").wait_for()


def test_the_branch_registers_a_new_mobile_and_the_person_signs_in_with_it(
    staff_page, page, server, shoot
):
    sign_in_by_sms(page, server, NEW_MOBILE_PERSON, "09151111111")  # his app, open on the old one
    make_staff(server, "0499370899", "09121110001", "branch")
    console = staff_page(WIDE)
    staff_sign_in(console, server, "0499370899", "09121110001", shoot)
    shoot(console, "branch-home")
    console.get_by_role("link", name="ثبت شمارهٔ همراه").first.click()
    console.get_by_label("نام", exact=True).fill("مهدی")
    console.get_by_label("نام خانوادگی").fill("نو")
    console.get_by_role("button", name="جستجو با نام").click()
    people = console.locator("#people")
    assert "مهدی نوری" in people.inner_text()
    shoot(console, "branch-found-by-name")
    console.get_by_label("کد ملی").fill(to_persian(NEW_MOBILE_PERSON))
    console.keyboard.press("Enter")
    console.get_by_role("heading", name="مهدی نوری").wait_for()
    assert "۰۹۱۵***۱۱۱۱" in console.inner_text("main")
    console.get_by_label("شمارهٔ همراه تازه", exact=True).fill("0915111111")
    console.get_by_label("تکرار شمارهٔ همراه تازه").fill("0915111111")
    console.get_by_label("شمارهٔ مدرک").fill("12345")
    console.get_by_role("button", name="ثبت شماره").click()
    error = console.locator(".error").first
    error.wait_for()
    assert "شمارهٔ همراه معتبر نیست" in error.inner_text()
    assert console.get_by_label("شمارهٔ مدرک").input_value() == "12345"  # nothing lost
    shoot(console, "branch-mobile-refused")
    console.get_by_label("شمارهٔ همراه تازه", exact=True).fill("۰۹۳۵۷۷۷۶۶۵۵")
    console.get_by_label("تکرار شمارهٔ همراه تازه").fill("۰۹۳۵۷۷۷۶۶۵۴")  # a typo: told
    console.get_by_role("button", name="ثبت شماره").click()
    assert "یکسان نیستند" in console.locator("#mobile_again-error").inner_text()
    console.get_by_label("تکرار شمارهٔ همراه تازه").fill("۰۹۳۵۷۷۷۶۶۵۵")
    console.get_by_role("button", name="ثبت شماره").click()
    console.get_by_text("شمارهٔ همراه تازه ثبت شد").wait_for()
    assert "۰۹۳۵***۶۶۵۵" in console.inner_text("main")
    shoot(console, "branch-mobile-registered")
    page.get_by_role("button", name="استعلام دوباره").click()  # the open app: told why, and how
    page.get_by_role("heading", name="از حساب خارج شدید").wait_for()
    assert "در شعبه تغییر کرد" in page.inner_text("main")
    assert page.locator("article.card").count() == 0  # nothing of the old session stays
    shoot(page, "signed-out-after-new-mobile")
    page.get_by_role("link", name="ورود دوباره").click()
    page.get_by_label("کد ملی").wait_for()
    sign_in_by_sms(page, server, NEW_MOBILE_PERSON, "09357776655")  # the person, in the app
    assert "مهدی" in page.inner_text("main") or page.locator("article.card").is_visible()


def test_an_objection_goes_from_the_app_to_the_branch_and_back(staff_page, page, server, shoot):
    sign_in_by_sms(page, server, SON, "09131111111")
    page.goto("/#/help")
    page.get_by_role("link", name="ثبت اعتراض در برنامه").click()
    page.get_by_role("heading", name="اعتراض به وضعیت استحقاق").wait_for()
    assert "۱۴۲۰" in page.locator("aside.info").inner_text()  # the phone route stays beside
    page.get_by_label("بنویسید چه مشکلی هست").fill("من دانشجو هستم و گواهی تحصیلی دارم.")
    page.get_by_label("عکس یا فایل PDF (اختیاری)").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    shoot(page, "objection-form")
    page.get_by_role("button", name="فرستادن اعتراض").click()
    page.get_by_role("heading", name="اعتراض شما دریافت شد").wait_for()
    shoot(page, "objection-filed")

    make_staff(server, "0084575948", "09121110002", "branch")
    console = staff_page(TABLET)
    staff_sign_in(console, server, "0084575948", "09121110002")
    console.get_by_role("link", name="اعتراض‌ها").first.click()
    shoot(console, "objection-queue")
    console.locator("tbody a").first.click()
    console.get_by_role("heading", name="وضعیت استحقاق در این لحظه").wait_for()
    assert "حمایت درمانی ندارد" in console.inner_text("main")
    assert "گواهی تحصیلی معتبر دانشگاهی ثبت نشده است." in console.inner_text("main")
    history = console.locator("#history")
    assert "سوابق پرداخت حق بیمه به تفکیک کارگاه" in history.inner_text()
    shoot(console, "objection-detail")
    console.get_by_label("وضعیت").select_option("answered")
    console.get_by_label("پاسخ به بیمه‌شده (به فارسی)").fill(
        "لطفاً گواهی تحصیلی را به نزدیک‌ترین شعبه ببرید تا ثبت شود."
    )
    console.get_by_role("button", name="ذخیره و آگاه کردن بیمه‌شده").click()
    console.get_by_text("اعتراض به‌روز شد").wait_for()
    shoot(console, "objection-answered")
    console.get_by_role("button", name="صفحهٔ محمد رضایی").click()  # by national code
    console.get_by_role("heading", name="محمد رضایی").wait_for()

    page.goto("/#/objections")
    answer = page.locator(".objection-list .answer")
    answer.wait_for()
    assert "گواهی تحصیلی" in answer.inner_text()
    assert "پاسخ داده شد" in page.inner_text("main")
    shoot(page, "objection-list")

    page.goto("/#/records/access-log")  # the branch's read is on the citizen's own log
    staff_read = page.locator("li.read-staff").first
    staff_read.wait_for()
    assert "کارمند شعبهٔ تأمین اجتماعی" in staff_read.inner_text()
    assert "اعتراض شما را برای بررسی باز کرد" in staff_read.inner_text()
    shoot(page, "access-log-staff")


def file_by_api(page, count: int) -> list[int]:
    """File `count` objections as the app's own requests would (CSRF header, JSON)."""
    return page.evaluate(
        """async (count) => {
          const statuses = [];
          for (let i = 0; i < count; i++) {
            const { csrf_token } = await (await fetch('/api/auth/csrf')).json();
            const response = await fetch('/api/objections', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf_token },
              body: JSON.stringify({ subject: 'cover', text: `اعتراض ${i}` }),
            });
            statuses.push(response.status);
          }
          return statuses;
        }""",
        count,
    )


def test_past_the_days_objections_the_app_says_when_to_try_again(page, server, shoot):
    sign_in_by_sms(page, server, FATHER, "09141111111")  # nobody else's journey files for him
    assert file_by_api(page, 5) == [201] * 5
    page.goto("/#/objection")
    page.get_by_label("بنویسید چه مشکلی هست").fill("یک اعتراض دیگر")
    page.get_by_role("button", name="فرستادن اعتراض").click()
    alert = page.locator("p.error[role=alert]")
    alert.get_by_text("اعتراض بعدی را می‌توانید حدود ۲۴ ساعت دیگر ثبت کنید").wait_for()
    shoot(page, "objection-limit")


@pytest.mark.parametrize("viewport", [WIDE, TABLET], ids=["1280x800", "768x1024"])
def test_the_admin_reads_the_audit_and_the_import_history(staff_page, server, shoot, viewport):
    code, mobile = (
        ("0067749828", "09121110003") if viewport == WIDE else ("0010350829", "09121110004")
    )
    make_staff(server, code, mobile, "admin")
    console = staff_page(viewport)
    staff_sign_in(console, server, code, mobile)
    console.get_by_role("link", name="گزارش اقدامات").first.click()
    table = console.locator("table")
    table.wait_for()
    assert "signed_in" in table.inner_text() and "staff_created" in table.inner_text()
    shoot(console, "audit")
    console.get_by_role("link", name="بارگذاری‌های اطلاعات بیمه‌شدگان").first.click()
    console.get_by_text("persons.csv").first.wait_for()
    assert "انجام شد" in console.inner_text("main")
    shoot(console, "imports")
    console.goto("/staff/branch")
    assert "این صفحه برای نقش شما نیست" in console.inner_text("main")
    console.get_by_role("button", name="خروج").click()
    console.get_by_role("heading", name="ورود کارکنان").wait_for()
    staff_sign_in(console, server, code, mobile)  # the passkey made the first time, asked now
    assert console.get_by_role("link", name="گزارش اقدامات").first.is_visible()


def test_the_medical_role_sees_its_screen_only(staff_page, server, shoot):
    make_staff(server, "0075124580", "09121110005", "medical")
    console = staff_page(WIDE)
    staff_sign_in(console, server, "0075124580", "09121110005")
    console.get_by_role("link", name="پزشکان و مراکز").first.click()
    console.get_by_role("heading", name="پزشکان و مراکز").wait_for()
    shoot(console, "medical")
    console.goto("/staff/audit")
    assert "این صفحه برای نقش شما نیست" in console.inner_text("main")
