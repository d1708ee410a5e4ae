"""SMS backends: the console, the JSON-lines file, Kavenegar's lookup API (against a real fake)."""

import json
import socket
import traceback
from datetime import datetime

import pytest
from kavenegar_fake import KavenegarFake, LookupRequest, SendRequest

from server.auth.sms import (
    KAVENEGAR_URL,
    ConsoleBackend,
    FileBackend,
    KavenegarBackend,
    SmsDeliveryError,
    backend_from_config,
)

API_KEY = "4A6F-SECRET-KEY-7A2B"
TEMPLATE = "darman-sign-in"
MOBILE = "09121234567"
CODE = "482915"
TEXT = f"کد ورود شما به درمان من: {CODE}"


@pytest.fixture
def kavenegar():
    """The fake Kavenegar, knowing our key and template."""
    with KavenegarFake(keys={API_KEY}, templates={TEMPLATE}) as fake:
        yield fake


def backend(fake: KavenegarFake, **overrides) -> KavenegarBackend:
    """A Kavenegar backend pointed at the fake."""
    options = {"api_key": API_KEY, "template": TEMPLATE, "base_url": fake.base_url} | overrides
    return KavenegarBackend(**options)


def delivery_error(sms: KavenegarBackend) -> SmsDeliveryError:
    """The error sending our code raises."""
    with pytest.raises(SmsDeliveryError) as caught:
        sms.send_code(MOBILE, CODE, TEXT)
    return caught.value


def closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_file_backend_appends_one_json_line_per_message(tmp_path):
    path = tmp_path / "sms.jsonl"
    sms = FileBackend(path)
    sms.send_code(MOBILE, CODE, TEXT)
    sms.send_code("09127654321", "111222", "کد دوم: 111222")

    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert {key: first[key] for key in ("to", "text", "code")} == {
        "to": MOBILE,
        "text": TEXT,
        "code": CODE,
    }
    assert datetime.fromisoformat(first["at"]).tzinfo is not None
    assert json.loads(lines[1])["to"] == "09127654321"


def test_file_backend_keeps_persian_readable(tmp_path):
    path = tmp_path / "sms.jsonl"
    FileBackend(str(path)).send_code(MOBILE, CODE, TEXT)

    assert "کد ورود شما به درمان من" in path.read_text(encoding="utf-8")


def test_console_backend_prints_the_message(capsys):
    ConsoleBackend().send_code(MOBILE, CODE, TEXT)

    assert capsys.readouterr().out == f"SMS to {MOBILE}: {TEXT}\n"


def test_kavenegar_posts_receptor_token_and_template(kavenegar):
    backend(kavenegar).send_code(MOBILE, CODE, TEXT)

    assert kavenegar.requests == [LookupRequest(API_KEY, MOBILE, CODE, TEMPLATE)]


def test_file_backend_writes_a_free_text_with_no_code(tmp_path):
    path = tmp_path / "sms.jsonl"
    FileBackend(path).send_text(MOBILE, "حمایت درمانی دارد")

    message = json.loads(path.read_text(encoding="utf-8"))
    assert {key: message[key] for key in ("to", "text", "code")} == {
        "to": MOBILE,
        "text": "حمایت درمانی دارد",
        "code": None,
    }


def test_console_backend_prints_a_free_text(capsys):
    ConsoleBackend().send_text(MOBILE, "حمایت درمانی دارد")

    assert capsys.readouterr().out == f"SMS to {MOBILE}: حمایت درمانی دارد\n"


def test_kavenegar_sends_a_free_text_from_the_configured_line(kavenegar):
    backend(kavenegar, sender="10004346").send_text(MOBILE, "حمایت درمانی دارد")

    assert kavenegar.sent == [SendRequest(API_KEY, MOBILE, "حمایت درمانی دارد", "10004346")]
    assert kavenegar.requests == []  # not the lookup API


def test_kavenegar_free_text_without_a_sender_uses_the_accounts_line(kavenegar):
    backend(kavenegar).send_text(MOBILE, "متن")

    assert kavenegar.sent == [SendRequest(API_KEY, MOBILE, "متن", None)]


def test_kavenegar_free_text_refused_is_an_error(kavenegar):
    sms = backend(kavenegar, api_key="WRONG-KEY-99")

    with pytest.raises(SmsDeliveryError) as caught:
        sms.send_text(MOBILE, "متن")

    assert caught.value.status == 403
    assert "WRONG-KEY-99" not in str(caught.value)


def test_config_kavenegar_sender(kavenegar):
    sms = backend_from_config(
        {
            "DARMAN_SMS_BACKEND": "kavenegar",
            "DARMAN_KAVENEGAR_API_KEY": API_KEY,
            "DARMAN_KAVENEGAR_TEMPLATE": TEMPLATE,
            "DARMAN_KAVENEGAR_URL": kavenegar.base_url,
            "DARMAN_KAVENEGAR_SENDER": "2000500666",
        }
    )

    sms.send_text(MOBILE, "متن")

    assert kavenegar.sent == [SendRequest(API_KEY, MOBILE, "متن", "2000500666")]


def test_kavenegar_quotes_key_and_template(kavenegar):
    odd_key, odd_template = "key/with space&?", "قالب ورود"
    kavenegar.keys.add(odd_key)
    kavenegar.templates.add(odd_template)

    backend(kavenegar, api_key=odd_key, template=odd_template).send_code(MOBILE, CODE, TEXT)

    assert kavenegar.requests == [LookupRequest(odd_key, MOBILE, CODE, odd_template)]


def test_kavenegar_accepts_base_url_with_trailing_slash(kavenegar):
    backend(kavenegar, base_url=kavenegar.base_url + "/").send_code(MOBILE, CODE, TEXT)

    assert len(kavenegar.requests) == 1


def test_kavenegar_unknown_key_is_403(kavenegar):
    error = delivery_error(backend(kavenegar, api_key="WRONG-KEY-99"))

    assert error.status == 403
    assert "API-Key" in error.detail
    assert "WRONG-KEY-99" not in str(error)


def test_kavenegar_unknown_template_is_424(kavenegar):
    error = delivery_error(backend(kavenegar, template="no-such-template"))

    assert error.status == 424
    assert "الگو" in error.detail
    assert API_KEY not in str(error)


def test_kavenegar_insufficient_credit_is_418(kavenegar):
    kavenegar.fail_next(418)

    error = delivery_error(backend(kavenegar))

    assert error.status == 418
    assert "اعتبار" in error.detail
    assert API_KEY not in str(error)


@pytest.mark.parametrize("http_status", [200, 502])
def test_kavenegar_garbage_answer(kavenegar, http_status):
    kavenegar.answer_garbage_next(http_status)

    error = delivery_error(backend(kavenegar))

    assert error.status == http_status
    assert "JSON" in error.detail
    assert API_KEY not in str(error)


def test_kavenegar_timeout(kavenegar):
    kavenegar.hang_next()

    error = delivery_error(backend(kavenegar, timeout=0.2))

    assert error.status is None
    assert "timed out" in error.detail
    assert API_KEY not in str(error)


def test_kavenegar_connection_refused():
    sms = KavenegarBackend(API_KEY, TEMPLATE, base_url=f"http://127.0.0.1:{closed_port()}")

    error = delivery_error(sms)

    assert error.status is None
    assert "refused" in error.detail.lower()
    assert API_KEY not in str(error)


def test_kavenegar_error_leaves_urllibs_exception_out_of_the_traceback():
    error = delivery_error(KavenegarBackend(API_KEY, TEMPLATE, f"http://127.0.0.1:{closed_port()}"))

    assert error.__suppress_context__
    assert API_KEY not in "".join(traceback.format_exception(error))


def test_kavenegar_repr_hides_the_key():
    assert API_KEY not in repr(KavenegarBackend(API_KEY, TEMPLATE))


def test_kavenegar_base_url_needs_http_scheme():
    with pytest.raises(ValueError, match="api.kavenegar.com"):
        KavenegarBackend(API_KEY, TEMPLATE, base_url="api.kavenegar.com")


def test_config_console():
    assert isinstance(backend_from_config({"DARMAN_SMS_BACKEND": "console"}), ConsoleBackend)


def test_config_file(tmp_path):
    path = tmp_path / "sms.jsonl"

    sms = backend_from_config({"DARMAN_SMS_BACKEND": f"file:{path}"})

    assert isinstance(sms, FileBackend)
    assert sms.path == str(path)


def test_config_kavenegar_defaults_to_their_url():
    sms = backend_from_config(
        {
            "DARMAN_SMS_BACKEND": "kavenegar",
            "DARMAN_KAVENEGAR_API_KEY": API_KEY,
            "DARMAN_KAVENEGAR_TEMPLATE": TEMPLATE,
        }
    )

    assert isinstance(sms, KavenegarBackend)
    assert (sms.template, sms.base_url) == (TEMPLATE, KAVENEGAR_URL)


def test_config_kavenegar_with_url_reaches_it(kavenegar):
    sms = backend_from_config(
        {
            "DARMAN_SMS_BACKEND": "kavenegar",
            "DARMAN_KAVENEGAR_API_KEY": API_KEY,
            "DARMAN_KAVENEGAR_TEMPLATE": TEMPLATE,
            "DARMAN_KAVENEGAR_URL": kavenegar.base_url,
        }
    )

    sms.send_code(MOBILE, CODE, TEXT)

    assert kavenegar.requests == [LookupRequest(API_KEY, MOBILE, CODE, TEMPLATE)]


@pytest.mark.parametrize("choice", ["sms.ir", "Console", "file:", "", None])
def test_config_unknown_backend(choice):
    with pytest.raises(ValueError, match="DARMAN_SMS_BACKEND") as caught:
        backend_from_config({"DARMAN_SMS_BACKEND": choice})

    assert repr(choice) in str(caught.value)


def test_config_missing_backend():
    with pytest.raises(ValueError, match="None"):
        backend_from_config({})


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({"DARMAN_KAVENEGAR_TEMPLATE": TEMPLATE}, "DARMAN_KAVENEGAR_API_KEY"),
        ({"DARMAN_KAVENEGAR_API_KEY": API_KEY}, "DARMAN_KAVENEGAR_TEMPLATE"),
        ({"DARMAN_KAVENEGAR_API_KEY": "", "DARMAN_KAVENEGAR_TEMPLATE": ""}, "API_KEY, DARMAN"),
    ],
)
def test_config_kavenegar_needs_key_and_template(settings, missing):
    with pytest.raises(ValueError, match=missing) as caught:
        backend_from_config({"DARMAN_SMS_BACKEND": "kavenegar", **settings})

    assert API_KEY not in str(caught.value)
