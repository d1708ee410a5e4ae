"""Inbound SMS: a national code in a text is answered through the SMS backend (the test app's
`file:` backend) with the general inquiry, or the owner's full answer from their own mobile."""

import json
import re
import socket

import pytest
from channel_testing import inquiries_logged, inquiry_count, signed
from families import INSURED, INSURED_MOBILE, SON, UNKNOWN

from server.domain.digits import to_latin_digits

COVERED = "حمایت درمانی دارد"
NOT_COVERED = "حمایت درمانی ندارد"
STRANGER = "09350000000"
AS_OF_NOTE = "این تاریخ بر اساس شرایط بیمه‌پردازی"
OBJECTION = "با سامانهٔ ۱۴۲۰ تماس بگیرید"


def tracking_code_in(text: str) -> str:
    """The tracking code a reply gives (Persian digits), in Latin digits."""
    return to_latin_digits(re.search(r"کد رهگیری: ([۰-۹]{12})", text).group(1))


def test_a_national_code_gets_the_general_answer_by_sms(app, family, gateway):
    response = gateway.sms(STRANGER, f"استعلام {SON}")
    assert (response.status_code, response.get_json()) == (200, {"replied": True})

    [reply] = gateway.sent()
    assert (reply["to"], reply["code"]) == (STRANGER, None)
    assert NOT_COVERED in reply["text"]
    assert "۰۰۳۴۵۶۷۸۹۵" in reply["text"]  # which code the answer is for
    assert "گواهی" not in reply["text"] and AS_OF_NOTE not in reply["text"]  # seed 000 2-a only
    [logged] = inquiries_logged(app)
    assert (logged.channel, logged.national_code, logged.covered) == ("sms", SON, False)
    assert logged.tracking_code == tracking_code_in(reply["text"])


def test_the_owners_own_mobile_gets_the_full_answer(app, family, gateway):
    assert gateway.sms("+98 912 123 4567", "۰۰۱۲۳۴۵۶۷۹").status_code == 200

    [reply] = gateway.sent()
    assert reply["to"] == INSURED_MOBILE
    text = reply["text"]
    assert COVERED in text
    assert "تاریخ پایان اعتبار استحقاق درمان: ۳۰ آذر ۱۴۰۵" in text
    assert AS_OF_NOTE in text and OBJECTION in text
    assert inquiries_logged(app)[0].tracking_code == tracking_code_in(text)


def test_the_owners_answer_without_cover_gives_the_reason_and_the_seeds_procedure(family, gateway):
    gateway.sms("09131111111", SON)

    text = gateway.sent()[-1]["text"]
    assert NOT_COVERED in text
    assert "گواهی تحصیلی معتبر دانشگاهی ثبت نشده است." in text
    assert "طبق ضوابط و روال جاری" in text  # seed 000 item 5
    assert "تاریخ پایان اعتبار" not in text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("0012345679", id="alone"),
        pytest.param("کد ملی: 001-234567-9", id="with-dashes"),
        pytest.param("۰۰۱ ۲۳۴ ۵۶۷۹", id="persian-digits-spaced"),
        pytest.param("12345679", id="leading-zeros-dropped"),
        pytest.param("سلام. کد 0012345679 تلفن 09350000000", id="among-other-numbers"),
    ],
)
def test_the_code_is_found_however_it_is_typed(app, family, gateway, text):
    gateway.sms(STRANGER, text)
    assert inquiries_logged(app)[0].national_code == INSURED
    assert COVERED in gateway.sent()[-1]["text"]


def test_an_unknown_code_is_not_covered(app, family, gateway):
    gateway.sms(STRANGER, UNKNOWN)
    assert NOT_COVERED in gateway.sent()[-1]["text"]
    assert inquiries_logged(app)[0].person_id is None


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        pytest.param("سلام", "برای استعلام استحقاق درمان، کد ملی را بفرستید.", id="no-digits"),
        pytest.param("", "برای استعلام استحقاق درمان، کد ملی را بفرستید.", id="empty"),
        pytest.param(
            "0012345678", "کد ملی واردشده معتبر نیست. لطفاً دوباره بررسی کنید.", id="check-digit"
        ),
    ],
)
def test_a_text_without_a_valid_code_is_told_how_to_ask(app, family, gateway, text, reply):
    assert gateway.sms(STRANGER, text).status_code == 200
    assert gateway.sent()[-1]["text"] == reply
    assert inquiry_count(app) == 0


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda app, body: {}, id="unsigned"),
        pytest.param(lambda app, body: {**signed(app, body), "X-Signature": ""}, id="empty"),
        pytest.param(lambda app, body: signed(app, b"{}"), id="another-body"),
        pytest.param(lambda app, body: signed(app, body, "other"), id="another-secret"),
        pytest.param(lambda app, body: {**signed(app, body), "X-Nonce": "x" * 16}, id="nonce"),
    ],
)  # fmt: skip
def test_a_message_without_the_providers_signature_is_refused(app, family, gateway, headers):
    body = b'{"from": "09350000000", "text": "0012345679"}'
    response = gateway.client.post(
        "/api/sms/inbound", data=body, content_type="application/json", headers=headers(app, body)
    )
    assert response.status_code == 401
    assert response.get_json() == {
        "error": "invalid_signature",
        "message": "امضای درخواست معتبر نیست.",
    }
    assert gateway.sent() == [] and inquiry_count(app) == 0


def test_a_replayed_message_is_refused_and_answered_once(app, family, gateway):
    body = json.dumps({"from": STRANGER, "text": INSURED}).encode()
    headers = signed(app, body)
    first = gateway.client.post(
        "/api/sms/inbound", data=body, content_type="application/json", headers=headers
    )
    assert first.status_code == 200
    again = gateway.client.post(
        "/api/sms/inbound", data=body, content_type="application/json", headers=headers
    )
    assert again.status_code == 401
    assert again.get_json() == {
        "error": "replayed",
        "message": "این درخواست پیش‌تر دریافت شده است.",
    }
    assert len(gateway.sent()) == 1 and inquiry_count(app) == 1


def test_a_stale_message_is_refused(app, family, gateway, clock):
    body = json.dumps({"from": STRANGER, "text": INSURED}).encode()
    headers = signed(app, body)
    clock.move(seconds=301)
    response = gateway.client.post(
        "/api/sms/inbound", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert response.get_json()["error"] == "stale_request"
    assert gateway.sent() == [] and inquiry_count(app) == 0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        pytest.param({"from": "12345", "text": INSURED}, "invalid_mobile", id="bad-sender"),
        pytest.param({"from": STRANGER}, "missing_field", id="no-text"),
        pytest.param({"text": INSURED}, "missing_field", id="no-sender"),
        pytest.param({"from": STRANGER, "text": "x" * 1001}, "invalid_request", id="too-long"),
    ],
)
def test_a_malformed_message_is_a_400_and_nothing_is_sent(app, family, gateway, body, error):
    raw = json.dumps(body).encode()
    response = gateway.client.post(
        "/api/sms/inbound", data=raw, content_type="application/json",
        headers=signed(app, raw),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert any("\u0600" <= ch <= "\u06ff" for ch in response.get_json()["message"])
    assert gateway.sent() == [] and inquiry_count(app) == 0


def test_the_limit_per_number_is_shared_with_ussd(app, family, gateway, clock):
    for _ in range(5):
        assert gateway.page(STRANGER, f"2*{INSURED}").startswith("END ")
    for _ in range(5):
        assert gateway.sms(STRANGER, INSURED).status_code == 200

    refused = gateway.sms(STRANGER, INSURED)
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) == 3600
    assert len(gateway.sent()) == 5 and inquiry_count(app) == 10  # no reply to the refused one

    clock.move(hours=1, seconds=1)
    assert gateway.sms(STRANGER, INSURED).status_code == 200


def test_a_reply_the_provider_cannot_take_is_a_503(app, family, gateway, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "DARMAN_SMS_BACKEND", "kavenegar")
    monkeypatch.setitem(app.config, "DARMAN_KAVENEGAR_API_KEY", "key")
    monkeypatch.setitem(app.config, "DARMAN_KAVENEGAR_TEMPLATE", "darman")
    monkeypatch.setitem(app.config, "DARMAN_KAVENEGAR_URL", f"http://127.0.0.1:{closed_port}")

    response = gateway.sms(STRANGER, INSURED)
    assert response.status_code == 503
    assert response.get_json()["error"] == "sms_unavailable"
