"""One web shell for the web for centres and the staff console: one layout, one field macro,
one set of form fields with one wording, one file of design tokens, one postJSON."""

import re
from datetime import date
from pathlib import Path

import pytest
from jinja2 import nodes
from werkzeug.datastructures import MultiDict
from wtforms import Form

from server.web.fields import DayField, MobileField, NationalCodeField, SmsCodeField

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
SIGN_IN = {"centres": "/centre/sign-in", "staff": "/staff/sign-in"}
OWN_SHEET = {"centres": "/centre/static/centres.css", "staff": "/staff/static/staff.css"}
REALM_TEMPLATES = {
    "centres": ROOT / "server/centres/templates",
    "staff": ROOT / "server/staff/templates",
}
STYLESHEETS = (
    "pwa/styles.css",
    "server/web/static/shell.css",
    "server/centres/static/centres.css",
    "server/staff/static/staff.css",
)
COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklch|color)\(|"
    r"\b(?:white|black|red|green|blue|yellow|orange|gray|grey)\b\s*[;!}]"
)


def sign_in_refused(client, realm: str) -> str:
    """The realm's sign-in page after a bad national code and no mobile."""
    url = SIGN_IN[realm]
    token = CSRF.search(client.get(url).get_data(as_text=True)).group(1)
    page = client.post(url, data={"csrf_token": token, "national_code": "123", "mobile": ""})
    return page.get_data(as_text=True)  # re-shown (200, or 400 in the console): the content counts


def field_markup(page: str, name: str) -> str:
    """One field's <div>, without the attributes a page may choose (autofocus, autocomplete)."""
    block = re.search(rf'<div class="field[^"]*">\s*<label for="{name}">.*?</div>', page, re.S)
    return re.sub(r' autofocus| autocomplete="[^"]*"', "", block.group(0))


def layout_root(env, name: str) -> str:
    """The template a page finally extends (its layout's layout...); a shared page shape that
    extends `layout` extends the one the realm's page names (`{% set layout = ... %}`)."""
    named = {}
    while True:
        tree = env.parse(env.loader.get_source(env, name)[0])
        for node in tree.body:  # the page's own top-level `set`s, not those inside a block
            if isinstance(node, nodes.Assign) and getattr(node.target, "name", "") == "layout":
                named.setdefault("layout", node.node.value)
        extends = next(iter(tree.find_all(nodes.Extends)), None)
        if extends is None:
            return name
        template = extends.template
        name = named["layout"] if isinstance(template, nodes.Name) else template.value


def test_a_field_error_has_the_same_markup_and_wording_in_both_realms(client):
    centres, staff = (sign_in_refused(client, realm) for realm in ("centres", "staff"))
    for name in ("national_code", "mobile"):
        assert field_markup(centres, name) == field_markup(staff, name)
    field = field_markup(centres, "national_code")
    assert 'aria-invalid="true"' in field and 'aria-describedby="national_code-error"' in field
    assert '<p class="error" id="national_code-error">کد ملی واردشده معتبر نیست.' in field
    assert '<p class="error" id="mobile-error">لطفاً این بخش را پر کنید.</p>' in staff


def test_both_realms_render_the_one_layout_with_tokens_shell_and_their_own_sheet(client):
    for realm, url in SIGN_IN.items():
        page = client.get(url).get_data(as_text=True)
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
        assert links == ["/css/tokens.css", "/web/shell.css", OWN_SHEET[realm]]
        assert '<script type="module" src="/web/shell.js"></script>' in page
        assert '<a class="skip" href="#main">' in page and '<header class="bar">' in page
        assert '<html lang="fa" dir="rtl">' in page


@pytest.mark.parametrize("realm", sorted(REALM_TEMPLATES))
def test_every_page_of_both_realms_extends_the_one_base_layout(app, realm):
    folder = REALM_TEMPLATES[realm] / realm
    assert not (folder / "base.html").exists() and not (folder / "macros.html").exists()
    for path in sorted(folder.glob("*.html")):
        assert layout_root(app.jinja_env, f"{realm}/{path.name}") == "web/base.html", path.name
        assert "macros.html" not in path.read_text() or "web/macros.html" in path.read_text()


def test_the_web_shell_files_are_served_under_the_strict_csp(client):
    for url, kind in (
        ("/css/tokens.css", "text/css"),
        ("/web/shell.css", "text/css"),
        ("/web/shell.js", "text/javascript"),
        ("/web/post-json.js", "text/javascript"),
    ):
        answer = client.get(url)
        answer.close()  # a file: closed, not read
        assert answer.status_code == 200 and answer.mimetype == kind, url
    page = client.get(SIGN_IN["staff"])
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in page.get_data(as_text=True) and "style=" not in page.get_data(
        as_text=True
    )


def test_the_app_links_the_same_tokens_and_its_service_worker_keeps_them(client):
    answer = client.get("/")
    index = answer.get_data(as_text=True)
    answer.close()
    assert index.index('href="/css/tokens.css"') < index.index('href="/styles.css"')
    worker = client.get("/service-worker.js").get_data(as_text=True)
    assert '"/css/tokens.css"' in worker


@pytest.mark.parametrize("sheet", STYLESHEETS)
def test_no_stylesheet_names_a_colour_or_a_font_of_its_own(sheet):
    text = re.sub(r"/\*.*?\*/", "", (ROOT / sheet).read_text(encoding="utf-8"), flags=re.S)
    assert COLOUR.findall(text) == []
    assert "@font-face" not in text and "Vazirmatn" not in text and ":root" not in text


def test_the_tokens_hold_the_palette_the_stylesheets_use():
    tokens = (ROOT / "pwa/css/tokens.css").read_text(encoding="utf-8")
    defined = set(re.findall(r"(--[\w-]+):", tokens))
    for sheet in STYLESHEETS:
        used = set(re.findall(r"var\((--[\w-]+)", (ROOT / sheet).read_text(encoding="utf-8")))
        assert used - defined <= {"--tabs-height"}, sheet  # the app sets that one as it lays out


def test_one_post_json_serves_the_front_end():
    webs = sorted(ROOT.glob("server/*/static/*.js"))
    writes = [path.name for path in webs if re.search(r"method: ?'POST'", path.read_text())]
    assert writes == ["post-json.js"]  # both webs' scripts import it
    scripts = [*webs, *ROOT.glob("pwa/**/*.js")]  # the app's writes go through its api.js
    scripts = [path for path in scripts if "vendor" not in path.parts]
    defined = [
        path.name for path in scripts if re.search(r"function post(JSON)?\(", path.read_text())
    ]
    assert defined == ["post-json.js"]
    for script in (
        "centres/static/centres.js",
        "centres/static/prescribe.js",
        "staff/static/passkey.js",
    ):
        assert "from '/web/post-json.js'" in (ROOT / "server" / script).read_text()


class Person(Form):
    """The three shared fields, as a form has them."""

    national_code = NationalCodeField("National code")
    mobile = MobileField("Mobile number")
    code = SmsCodeField("Code sent by SMS")
    mother = NationalCodeField("Mother's national code", required=False)


def test_the_shared_fields_normalise_persian_digits(app):
    typed = {"national_code": "۰۰۱۲۳۴۵۶۷۹", "mobile": "+98 912 000 0000", "code": "۱۲۳۴۵۶"}
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        form = Person(MultiDict({**typed, "mother": ""}))
        assert form.validate(), form.errors
        assert form.data == {
            "national_code": "0012345679",
            "mobile": "09120000000",
            "code": "123456",
            "mother": "",
        }


def test_each_shared_field_fails_with_its_one_persian_message(app):
    typed = {"national_code": "0012345678", "mobile": "0912", "code": "12345", "mother": "1"}
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        form = Person(MultiDict(typed))
        assert not form.validate()
        errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
    invalid_code = "کد ملی واردشده معتبر نیست. لطفاً دوباره بررسی کنید."
    assert errors == {
        "national_code": [invalid_code],
        "mobile": ["شمارهٔ همراه معتبر نیست. لطفاً آن را بررسی کنید: ۱۱ رقم که با ۰۹ آغاز می‌شود."],
        "code": ["لطفاً کد ۶ رقمی پیامک را وارد کنید."],
        "mother": [invalid_code],
    }


class Days(Form):
    """Two of the kit's days, as the staff's forms have them."""

    first = DayField("First day", message="Please write the first day.")
    last = DayField("Last day", required=False)


def test_a_day_is_written_in_jalali_and_shown_back_in_jalali(app):
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        form = Days(MultiDict({"first": "۱۴۰۵/۰۹/۱۶", "last": "1406-6-31"}))
        assert form.validate(), form.errors
        assert (form.first.data, form.last.data) == (date(2026, 12, 7), date(2027, 9, 22))
        shown = form.last()
        # a text input, not the browser's Gregorian picker; the value in Jalali, Persian digits
        assert 'type="text"' in shown and 'value="۱۴۰۶/۰۶/۳۱"' in shown
        assert 'inputmode="numeric"' in shown and 'dir="ltr"' in shown
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert 'value="1406/06/31"' in Days(MultiDict({"last": "۱۴۰۶/۰۶/۳۱"})).last()


def test_a_day_that_is_no_day_is_refused_and_shown_as_typed(app):
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        form = Days(MultiDict({"first": "", "last": "1404/12/30"}))  # 1404 has no 30 Esfand
        assert not form.validate()
        assert form.errors == {
            "first": ["Please write the first day."],
            "last": ["لطفاً روز را به شکل سال/ماه/روز بنویسید؛ مانند ۱۴۰۵/۰۹/۱۶."],
        }
        assert 'value="1404/12/30"' in form.last()


def test_the_days_hint_is_under_the_field_and_said_with_it(app):
    with app.test_request_context(headers={"Accept-Language": "fa"}):
        form = Days(MultiDict({"first": "x"}))
        form.validate()
        macro = app.jinja_env.get_template("web/macros.html").module.field
        html = str(macro(form.first))
    assert '<p class="hint" id="first-hint">سال/ماه/روز؛ مانند ۱۴۰۵/۰۹/۱۶</p>' in html
    assert 'aria-describedby="first-hint first-error"' in html


def test_a_file_input_sits_under_a_persian_button_and_keeps_its_own_label(app):
    from flask_wtf.file import FileField

    class Upload(Form):
        card = FileField("National card")

    with app.test_request_context(headers={"Accept-Language": "fa"}):
        macro = app.jinja_env.get_template("web/macros.html").module.field
        html = str(macro(Upload().card, accept="application/pdf"))
    # the field's own label names the input; ours, for the eye only, says it in Persian
    assert '<label for="card">National card</label>' in html
    assert re.search(r'<input[^>]*class="file-input"[^>]*type="file"', html) or re.search(
        r'<input[^>]*type="file"[^>]*class="file-input"', html
    )
    assert '<label for="card" class="file-button" aria-hidden="true">انتخاب فایل</label>' in html
    assert 'data-none="فایلی انتخاب نشده است"' in html
    assert 'accept="application/pdf"' in html
