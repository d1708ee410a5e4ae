"""USSD: each menu path as the gateway calls it, the mismatched number, the signature, the
per-number limits, and every page within one USSD page."""

import re
import urllib.parse

import pytest
from channel_testing import SECRET, app_timestamp, inquiries_logged, inquiry_count, sign, signed
from families import (
    DAUGHTER,
    INSURED,
    INSURED_MOBILE,
    SON,
    UNKNOWN,
    WIFE,
    WIFE_MOBILE,
)

from server.domain.digits import to_latin_digits
from server.domain.tracking import is_valid_tracking_code

COVERED = "حمایت درمانی دارد"
NOT_COVERED = "حمایت درمانی ندارد"
MISMATCH = (
    "کد ملی با شمارهٔ تلفن همراه مطابقت ندارد. برای ثبت‌نام و احراز هویت با شمارهٔ همراه، "
    "به یکی از شعب سازمان مراجعه کنید."
)
INVALID_CODE = "کد ملی واردشده معتبر نیست. لطفاً دوباره بررسی کنید."
NOT_A_NEWBORN = (
    "تاریخ تولدی که بیش از یک سال پیش باشد، تاریخ تولد نوزاد نیست. "
    "لطفاً با کد ملی خود کودک استعلام کنید."
)
STRANGER = "+989350000000"  # in no one's record
PAGE_LIMIT = 160


def tracking_code_on(page: str) -> str:
    """The 12-digit tracking code a page shows (in Persian digits), in Latin digits."""
    found = re.findall(r"[۰-۹]{12}", page)
    assert len(found) == 1, page
    return to_latin_digits(found[0])


def test_the_first_page_is_the_menu(gateway):
    page = gateway.page(STRANGER, "")
    assert page.startswith("CON ")
    assert "درمان من" in page
    for option in ("۱. استحقاق من", "۲. استعلام برای دیگری", "۳. نوزاد"):
        assert option in page


@pytest.mark.parametrize("service_code", ["*1420*4#", "*1666#"])
def test_my_eligibility_from_my_own_phone(app, family, gateway, service_code):
    pages = gateway.session("+98 912 123 4567", "1", INSURED, service_code=service_code)

    assert [page[:4] for page in pages] == ["CON ", "CON ", "END "]
    assert pages[1] == "CON کد ملی خود را وارد کنید:"
    answer = pages[2]
    assert COVERED in answer
    assert "تاریخ پایان اعتبار استحقاق درمان: ۳۰ آذر ۱۴۰۵" in answer
    tracking_code = tracking_code_on(answer)
    assert is_valid_tracking_code(tracking_code)
    [logged] = inquiries_logged(app)
    assert (logged.tracking_code, logged.channel, logged.national_code, logged.covered) == (
        tracking_code,
        "ussd",
        INSURED,
        True,
    )


def test_my_eligibility_when_not_covered_says_why_and_gives_no_date(app, family, gateway):
    answer = gateway.session("09131111111", "1", SON)[-1]
    assert answer.startswith("END ")
    assert NOT_COVERED in answer
    assert "گواهی تحصیلی" in answer  # student_certificate_missing, in words
    assert "تاریخ پایان اعتبار" not in answer
    assert "۱۴۲۰" in answer  # where to object (seed 000 item 4)
    assert inquiries_logged(app)[0].covered is False


@pytest.mark.parametrize(
    ("phone", "national_code"),
    [
        pytest.param(WIFE_MOBILE, INSURED, id="another-family-members-phone"),
        pytest.param(STRANGER, INSURED, id="a-strangers-phone"),
        pytest.param(INSURED_MOBILE, DAUGHTER, id="a-code-without-a-mobile"),
        pytest.param(INSURED_MOBILE, UNKNOWN, id="a-code-not-in-the-registry"),
    ],
)
def test_my_eligibility_from_a_number_that_is_not_mine(app, family, gateway, phone, national_code):
    answer = gateway.session(phone, "1", national_code)[-1]
    assert answer == f"END {MISMATCH}"  # seed 000 note 1, and nothing else
    assert inquiry_count(app) == 0


@pytest.mark.parametrize(
    ("national_code", "label"),
    [
        pytest.param(INSURED, COVERED, id="covered"),
        pytest.param(SON, NOT_COVERED, id="not-covered"),
        pytest.param(UNKNOWN, NOT_COVERED, id="not-in-the-registry"),
        pytest.param("۰۰۱۲۳۴۵۶۷۹", COVERED, id="persian-digits"),
        pytest.param("12345679", COVERED, id="leading-zeros-dropped"),
    ],
)
def test_someone_elses_eligibility_is_has_or_has_not(app, family, gateway, national_code, label):
    pages = gateway.session(STRANGER, "2", national_code)
    assert pages[1] == "CON کد ملی فرد موردنظر را وارد کنید:"
    answer = pages[2]
    assert answer.startswith("END ")
    assert answer.splitlines()[0] == f"END {label}"
    assert "آذر" not in answer and "گواهی" not in answer  # no expiry, no reasons (seed 000 2-a)
    [logged] = inquiries_logged(app)
    assert (logged.tracking_code, logged.channel) == (tracking_code_on(answer), "ussd")


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(["1405/08/21"], id="latin"),
        pytest.param(["۱۴۰۵/۰۸/۲۱"], id="persian-digits"),
        pytest.param(["۱۴۰۵/۸/۲۱"], id="short-month"),
        pytest.param(["14050821"], id="keypad-digits-only"),
        pytest.param(["1405", "08", "21"], id="keypad-stars"),
        pytest.param(["1405-08-21"], id="dashes"),
        pytest.param(["2026-11-12"], id="gregorian-iso"),
    ],
)
def test_a_newborn_by_the_mothers_code_and_birth_date(app, family, gateway, typed):
    pages = gateway.session(STRANGER, "3", WIFE, *typed)
    assert pages[1] == "CON کد ملی مادر را وارد کنید:"
    assert pages[2].startswith("CON تاریخ تولد نوزاد")
    answer = pages[-1]
    assert answer.splitlines()[0] == f"END {COVERED}"
    [logged] = inquiries_logged(app)
    assert (logged.channel, logged.national_code) == ("ussd", WIFE)
    assert logged.newborn_birth_date.isoformat() == "2026-11-12"
    assert logged.tracking_code == tracking_code_on(answer)


def test_a_persian_keypad_works_from_the_menu_choice_on(app, family, gateway):
    assert gateway.page(STRANGER, "۲*۰۰۱۲۳۴۵۶۷۹").startswith(f"END {COVERED}")
    assert gateway.page(STRANGER, "۳*۰۰۲۳۴۵۶۷۸۷*۱۴۰۵۰۸۲۱").startswith(f"END {COVERED}")
    assert gateway.page("۰۹۱۲۱۲۳۴۵۶۷", "۱*۰۰۱۲۳۴۵۶۷۹").startswith(f"END {COVERED}")
    assert [row.national_code for row in inquiries_logged(app)] == [INSURED, WIFE, INSURED]


def test_a_newborn_past_the_first_month_is_not_covered(app, family, gateway):
    answer = gateway.session(STRANGER, "3", WIFE, "1405/07/01")[-1]
    assert answer.splitlines()[0] == f"END {NOT_COVERED}"


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("1405/07/31", id="mehr-has-30-days"),
        pytest.param("1405/13/01", id="no-13th-month"),
        pytest.param("05/08/21", id="two-digit-year"),
        pytest.param("yesterday", id="words"),
        pytest.param("2026-02-30", id="gregorian-that-does-not-exist"),
    ],
)
def test_a_birth_date_that_does_not_exist_is_refused(app, family, gateway, typed):
    answer = gateway.page(STRANGER, f"3*{WIFE}*{typed}")
    assert answer == "END تاریخ تولد معتبر نیست. لطفاً آن را به شکل ۱۴۰۵/۰۸/۲۱ وارد کنید."
    assert inquiry_count(app) == 0


def test_a_birth_date_after_today_is_refused(app, family, gateway):
    answer = gateway.page(STRANGER, f"3*{WIFE}*1405/09/02")  # 23 Nov 2026, today is 22 Nov
    assert answer == "END تاریخ تولد نمی‌تواند بعد از امروز باشد."
    assert inquiry_count(app) == 0


@pytest.mark.parametrize(
    ("mother", "typed"),
    [
        pytest.param(WIFE, "1363/12/12", id="the-day-the-mother-was-born"),  # 1985-03-03
        pytest.param(WIFE, "1900-01-01", id="before-the-calendar"),
        pytest.param(UNKNOWN, "1404/08/29", id="367-days-ago"),  # 2025-11-20
    ],
)
def test_a_birth_date_more_than_a_year_ago_is_refused(app, family, gateway, mother, typed):
    answer = gateway.page(STRANGER, f"3*{mother}*{typed}")
    assert answer == f"END {NOT_A_NEWBORN}"
    assert inquiry_count(app) == 0


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1*0012345678", id="mine-bad-check-digit"),
        pytest.param("2*123", id="someone-else-too-short"),
        pytest.param("2*1111111111", id="equal-digits"),
        pytest.param("2*", id="nothing-typed"),
        pytest.param("3*00123abc79", id="mother-letters"),
    ],
)
def test_an_invalid_national_code_ends_the_session(app, family, gateway, text):
    assert gateway.page(INSURED_MOBILE, text) == f"END {INVALID_CODE}"
    assert inquiry_count(app) == 0


@pytest.mark.parametrize("text", ["4", "0", "#", "1*0012345679*9"])
def test_an_unknown_choice_ends_the_session(app, family, gateway, text):
    page = gateway.page(INSURED_MOBILE, text)
    assert page.startswith("END ")
    assert inquiry_count(app) == 0


def _with(headers: dict[str, str], **changes: str | None) -> dict[str, str]:
    """The headers with some replaced (a value) or left out (None)."""
    names = {"timestamp": "X-Timestamp", "nonce": "X-Nonce", "signature": "X-Signature"}
    changed = dict(headers)
    for name, value in changes.items():
        changed.pop(names[name])
        if value is not None:
            changed[names[name]] = value
    return changed


def _resigned(headers: dict[str, str], body: bytes, secret: str = SECRET) -> dict[str, str]:
    """The headers with a signature of another body or with another secret."""
    return _with(headers, signature=sign(headers["X-Timestamp"], headers["X-Nonce"], body, secret))


def _later(headers: dict[str, str]) -> str:
    """The next second after the signed timestamp."""
    return str(int(headers["X-Timestamp"]) + 1)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda h: _with(h, signature=None), id="no-signature"),
        pytest.param(lambda h: _with(h, signature=""), id="empty"),
        pytest.param(lambda h: _resigned(h, b"sessionId=x"), id="another-body"),
        pytest.param(lambda h: _resigned(h, b"", "another-secret"), id="another-secret"),
        pytest.param(lambda h: _with(h, signature="zz" * 32), id="not-hex"),
        pytest.param(lambda h: _with(h, signature="امضا"), id="not-ascii"),
        pytest.param(lambda h: _with(h, timestamp=None), id="no-timestamp"),
        pytest.param(lambda h: _with(h, nonce=None), id="no-nonce"),
        pytest.param(lambda h: _with(h, timestamp=_later(h)), id="another-time"),
        pytest.param(lambda h: _with(h, nonce=h["X-Nonce"] + "x"), id="another-nonce"),
        pytest.param(lambda h: _with(h, timestamp="۱۷۶۴۶۰۰۰۰۰"), id="persian-digits"),
    ],
)  # fmt: skip
def test_a_call_without_the_gateways_signature_is_refused(app, family, gateway, spoil):
    form = {"sessionId": "s", "phoneNumber": INSURED_MOBILE, "serviceCode": "*1666#",
            "text": f"2*{INSURED}"}  # fmt: skip
    body = urllib.parse.urlencode(form).encode()
    response = gateway.client.post(
        "/api/ussd", data=body, headers=spoil(signed(app, body)),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 401
    assert response.get_data(as_text=True) == "امضای درخواست معتبر نیست."
    assert inquiry_count(app) == 0


@pytest.mark.parametrize("nonce_length", [15, 65])
def test_a_nonce_of_the_wrong_length_is_refused(app, gateway, nonce_length):
    body = urllib.parse.urlencode(
        {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": ""}
    ).encode()
    headers = signed(app, body, nonce="n" * nonce_length)
    response = gateway.client.post(
        "/api/ussd", data=body, headers=headers, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 401


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_request_more_than_300_seconds_off_is_refused(app, gateway, clock, skew):
    body = urllib.parse.urlencode(
        {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": ""}
    ).encode()
    timestamp = str(int(app_timestamp(app)) + skew)
    response = gateway.client.post(
        "/api/ussd", data=body, headers=signed(app, body, timestamp=timestamp),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 401
    assert (
        response.get_data(as_text=True)
        == "زمان درخواست با زمان سامانه فاصلهٔ زیادی دارد. لطفاً ساعت را بررسی کنید."
    )


@pytest.mark.parametrize("skew", [-300, 300])
def test_a_request_within_300_seconds_is_admitted(app, gateway, clock, skew):
    body = urllib.parse.urlencode(
        {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": ""}
    ).encode()
    timestamp = str(int(app_timestamp(app)) + skew)
    response = gateway.client.post(
        "/api/ussd", data=body, headers=signed(app, body, timestamp=timestamp),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200


def test_a_replayed_request_is_refused_for_eleven_minutes(app, family, gateway, clock):
    form = {"sessionId": "s", "phoneNumber": INSURED_MOBILE, "serviceCode": "*1666#",
            "text": f"2*{INSURED}"}  # fmt: skip
    body = urllib.parse.urlencode(form).encode()
    headers = signed(app, body)

    def post():
        """Post the body with the current headers."""
        return gateway.client.post(
            "/api/ussd", data=body, headers=headers,
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip

    assert post().status_code == 200
    replay = post()
    assert replay.status_code == 401
    assert replay.get_data(as_text=True) == "این درخواست پیش‌تر دریافت شده است."
    assert inquiry_count(app) == 1
    # The same nonce, freshly timed and signed, is still refused within eleven minutes (twice
    # the skew and a minute) …
    clock.move(seconds=650)
    headers = signed(app, body, nonce=headers["X-Nonce"])
    assert post().status_code == 401
    # … and admitted after them (a gateway's nonces need only be unique for that long).
    clock.move(seconds=11)
    headers = signed(app, body, nonce=headers["X-Nonce"])
    assert post().status_code == 200
    assert inquiry_count(app) == 2


def _menu_call(gateway, headers: dict) -> tuple[int, str]:
    """The menu's call from a stranger's phone, with these headers: status and text."""
    form = {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": ""}
    response = gateway.client.post(
        "/api/ussd", data=urllib.parse.urlencode(form).encode(), headers=headers,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("skew", "nonce_seconds"),
    [(300, 660), (300, 600), (120, 10)],
    ids=["default", "nonces-kept-as-long-as-the-skew-twice", "nonces-kept-far-too-short"],
)
def test_a_request_stamped_ahead_is_not_replayed_while_its_stamp_is_accepted(
    app, gateway, clock, monkeypatch, skew, nonce_seconds
):
    monkeypatch.setitem(app.config, "DARMAN_GATEWAY_SKEW_SECONDS", skew)
    monkeypatch.setitem(app.config, "DARMAN_GATEWAY_NONCE_SECONDS", nonce_seconds)
    form = {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": ""}
    stamp = int(app_timestamp(app)) + skew  # as far ahead as is accepted
    headers = signed(app, urllib.parse.urlencode(form).encode(), timestamp=str(stamp))
    assert _menu_call(gateway, headers)[0] == 200
    # The last instant the stamp is still accepted: our whole second is `skew` past it.
    clock.move(seconds=stamp + skew + 0.999 - clock.now.timestamp())
    assert _menu_call(gateway, headers) == (401, "این درخواست پیش‌تر دریافت شده است.")
    clock.move(seconds=0.001)  # and from the next second on, the stamp itself is refused
    assert _menu_call(gateway, headers) == (
        401, "زمان درخواست با زمان سامانه فاصلهٔ زیادی دارد. لطفاً ساعت را بررسی کنید."
    )  # fmt: skip


def test_a_tampered_body_is_refused(app, family, gateway):
    form = {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": "2"}
    body = urllib.parse.urlencode(form).encode()
    tampered = body.replace(b"text=2", b"text=2%2A0012345679")
    response = gateway.client.post(
        "/api/ussd", data=tampered, headers=signed(app, body),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 401
    assert inquiry_count(app) == 0


def test_the_signature_may_be_upper_case_hex(app, gateway):
    form = {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": ""}
    body = urllib.parse.urlencode(form).encode()
    headers = signed(app, body)
    headers["X-Signature"] = headers["X-Signature"].upper()
    response = gateway.client.post(
        "/api/ussd", data=body, headers=headers,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200


def test_without_a_configured_secret_the_channel_refuses_everything(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_GATEWAY_SECRET", None)
    body = b"sessionId=s&phoneNumber=09121234567&serviceCode=%2A1666%23&text="
    response = client.post(
        "/api/ussd", data=body, headers=signed(app, body),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 503


@pytest.mark.parametrize("missing", ["sessionId", "phoneNumber", "serviceCode"])
def test_a_gateway_call_without_its_fields_is_a_400(app, gateway, missing):
    form = {"sessionId": "s", "phoneNumber": STRANGER, "serviceCode": "*1666#", "text": ""}
    del form[missing]
    body = urllib.parse.urlencode(form).encode()
    response = gateway.client.post(
        "/api/ussd", data=body, headers=signed(app, body),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "درخواست درگاه ناقص است."


def test_an_unknown_service_code_and_a_foreign_number_end_at_once(app, family, gateway):
    assert gateway.page(STRANGER, "", service_code="*123#") == "END این کد دستوری شناخته‌شده نیست."
    page = gateway.page("+441632960000", f"2*{INSURED}")
    assert page == "END این خدمت برای شماره‌های همراه ایران است."
    assert inquiry_count(app) == 0


def test_ten_inquiries_an_hour_per_number_then_a_wait(app, family, gateway, clock):
    for _ in range(9):
        assert gateway.page(STRANGER, f"2*{INSURED}").startswith(f"END {COVERED}")
    assert gateway.page(STRANGER, f"1*{INSURED}") == f"END {MISMATCH}"  # a try counts too

    refused = gateway.page(STRANGER, f"2*{INSURED}")
    assert (
        refused
        == "END استعلام‌های این شماره بیش از حد مجاز است. لطفاً ۶۰ دقیقهٔ دیگر دوباره تلاش کنید."
    )
    assert inquiry_count(app) == 9
    assert gateway.page(INSURED_MOBILE, f"2*{INSURED}").startswith(f"END {COVERED}")  # others may

    assert gateway.page(STRANGER, "2").startswith("CON ")  # the menu still answers
    clock.move(hours=1, seconds=1)
    assert gateway.page(STRANGER, f"2*{INSURED}").startswith(f"END {COVERED}")


def test_thirty_inquiries_a_day_per_number(app, family, gateway, clock, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_CHANNEL_INQUIRIES_PER_DAY", 3)
    for _ in range(3):
        assert gateway.page(STRANGER, f"2*{SON}").startswith(f"END {NOT_COVERED}")
        clock.move(hours=2)
    assert "بیش از حد مجاز" in gateway.page(STRANGER, f"2*{SON}")
    clock.move(hours=19)  # the first of the three leaves the day's window
    assert gateway.page(STRANGER, f"2*{SON}").startswith(f"END {NOT_COVERED}")


def every_page(gateway, app, monkeypatch) -> list[str]:
    """Every page the menu can show: owners, strangers, bad input, a refused number."""
    sessions = [
        ("09121234567", ["1", INSURED]),
        ("09131111111", ["1", SON]),
        (WIFE_MOBILE, ["1", INSURED]),
        (STRANGER, ["2", INSURED]),
        (STRANGER, ["2", SON]),
        (STRANGER, ["2", UNKNOWN]),
        (STRANGER, ["3", WIFE, "1405/08/21"]),
        (STRANGER, ["3", WIFE, "1405/07/01"]),
        (STRANGER, ["3", WIFE, "1405/07/31"]),
        (STRANGER, ["3", WIFE, "1405/09/02"]),
        (STRANGER, ["2", "123"]),
        (STRANGER, ["9"]),
    ]
    pages = [page for phone, inputs in sessions for page in gateway.session(phone, *inputs)]
    pages.append(gateway.page(STRANGER, "", service_code="*999#"))
    pages.append(gateway.page("+441632960000", ""))
    monkeypatch.setitem(app.config, "DARMAN_CHANNEL_INQUIRIES_PER_HOUR", 0)
    pages.append(gateway.page(STRANGER, f"2*{INSURED}"))
    return pages


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_page_fits_one_ussd_page(app, family, gateway, monkeypatch, language):
    gateway.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    pages = every_page(gateway, app, monkeypatch)
    assert len(pages) == 42
    for page in pages:
        assert page[:4] in ("CON ", "END ")
        shown = page[4:]
        assert shown.strip(), page
        assert len(shown) <= PAGE_LIMIT, (len(shown), shown)
        assert len(shown.encode("utf-16-le")) // 2 <= PAGE_LIMIT, shown
    longest = max(pages, key=len)
    assert len(longest) > 100  # the walk did reach the long pages (note 1, the owner's answer)
