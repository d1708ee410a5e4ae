"""Each input that once made a 500 is now a 400 with a localized `{error, message}`."""

import json
from datetime import UTC, datetime

import pytest
from families import INSURED, INSURED_MOBILE, UNKNOWN, WIFE
from sqlalchemy import func, select

from server.card import jws
from server.card.verify import CardRefused, verify
from server.domain.mobile import InvalidMobile, normalise_mobile
from server.extensions import db
from server.models import Inquiry, SmsChallenge

DEVANAGARI_MOBILE = "०९१२१२३४५६७"  # 09121234567 in Devanagari digits
BENGALI_CODE = "০০১২৩৪৫৬৭৯"  # 0012345679 in Bengali digits
NOT_A_NEWBORN = (
    "تاریخ تولدی که بیش از یک سال پیش باشد، تاریخ تولد نوزاد نیست. "
    "لطفاً با کد ملی خود کودک استعلام کنید."
)


@pytest.fixture
def token(runner) -> str:
    """A doctor's token."""
    result = runner.invoke(args=["darman", "provider", "create", "دکتر", "--kind", "doctor"])
    return result.output.strip()


def provider_ask(client, token: str, body) -> tuple[int, dict]:
    """A general inquiry with a raw or JSON body."""
    data = body if isinstance(body, bytes) else json.dumps(body)
    response = client.post(
        "/api/provider/eligibility",
        data=data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.get_json()


def logged(app) -> int:
    """Inquiries logged so far."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Inquiry))


def test_other_scripts_digits_are_not_a_mobile():
    with pytest.raises(InvalidMobile):
        normalise_mobile(DEVANAGARI_MOBILE)
    assert normalise_mobile("۰۹۱۲۱۲۳۴۵۶۷") == "09121234567"  # Persian digits stay welcome


def test_a_devanagari_mobile_is_a_400_and_sends_nothing(app, family, citizen):
    response = citizen.start(INSURED, DEVANAGARI_MOBILE)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_mobile"
    assert "همراه" in response.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SmsChallenge)) == 0


def test_a_bengali_national_code_is_a_400(app, client, family, token):
    status, answer = provider_ask(client, token, {"national_code": BENGALI_CODE})
    assert (status, answer["error"]) == (400, "invalid_national_code")
    assert logged(app) == 0


def test_a_tracking_code_in_devanagari_is_not_one(client, family, token):
    response = client.get(
        "/api/provider/inquiries/" + "१" * 12, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code in (400, 404)
    assert set(response.get_json()) >= {"error", "message"}


@pytest.mark.parametrize("depth", [1000, 10_000])
def test_json_nested_deep_is_a_400(app, client, family, token, depth):
    status, answer = provider_ask(client, token, b'{"a":' * depth + b"1" + b"}" * depth)
    assert status == 400
    assert answer["error"] == "invalid_json"
    assert answer["message"] == "لطفاً یک شیء JSON بفرستید."
    assert logged(app) == 0


def test_json_nested_deep_is_a_400_for_citizens_too(citizen, family):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    response = citizen.post(
        "/api/push/subscriptions", data=b"[" * 1000 + b"]" * 1000, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.get_json()) == {"error", "message"}


@pytest.mark.parametrize("mother", [WIFE, UNKNOWN])
@pytest.mark.parametrize("birth_date", ["0001-01-01", "0622-03-21", "1900-01-01"])
def test_a_newborn_born_before_the_calendar_is_a_400(
    app, client, family, token, mother, birth_date
):
    body = {"mother_national_code": mother, "birth_date": birth_date}
    status, answer = provider_ask(client, token, body)
    assert status == 400
    assert answer == {"error": "not_a_newborn", "message": NOT_A_NEWBORN, "field": "birth_date"}
    assert logged(app) == 0


def test_a_newborn_born_before_a_mother_born_this_year_is_a_400(app, client, registry, token):
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{WIFE},زهرا,رضایی,2026-05-01,F,,",  # a registry error: a mother a few months old
    )
    assert registry.load().exit_code == 0
    refused = provider_ask(
        client, token, {"mother_national_code": WIFE, "birth_date": "2026-05-01"}
    )
    assert refused[0] == 400
    assert refused[1]["error"] == "born_before_mother"
    assert refused[1]["message"] == (
        "تاریخ تولد نوزاد نمی‌تواند پیش از تاریخ تولد مادر باشد. لطفاً آن را بررسی کنید."
    )
    answered = provider_ask(
        client, token, {"mother_national_code": WIFE, "birth_date": "2026-05-02"}
    )
    assert (answered[0], answered[1]["covered"]) == (200, False)
    assert logged(app) == 1


def test_the_refusal_of_an_old_date_is_the_same_for_every_mother(client, family, token):
    answers = set()
    for mother in (WIFE, UNKNOWN, INSURED):
        for born in ("1985-03-02", "1985-03-03", "1985-03-04"):  # Zahra was born on the 3rd
            status, answer = provider_ask(
                client, token, {"mother_national_code": mother, "birth_date": born}
            )
            answers.add((status, answer["error"], answer["message"]))
    assert answers == {(400, "not_a_newborn", NOT_A_NEWBORN)}  # nothing tells of her birth


def test_a_baby_past_the_newborn_month_keeps_its_answer(app, client, family, token):
    body = {"mother_national_code": WIFE, "birth_date": "2026-01-01"}
    status, answer = provider_ask(client, token, body)
    assert (status, answer["covered"]) == (200, False)
    assert logged(app) == 1


def test_a_newborn_born_at_the_end_of_time_is_a_400(app, client, family, token):
    body = {"mother_national_code": WIFE, "birth_date": "9999-12-31"}
    status, answer = provider_ask(client, token, body)
    assert (status, answer["error"]) == (400, "future_date")


@pytest.mark.parametrize(
    "body",
    [
        {"national_code": "00123\u00004567"},
        {"national_code": INSURED, "mobile": "0912\u00001234567"},
        {"request_id": "\u0000", "code": "123456"},
    ],
)
def test_a_nul_character_in_a_string_field_is_a_400(app, citizen, family, body):
    url = "/api/auth/sms/verify" if "request_id" in body else "/api/auth/sms/start"
    response = citizen.post(url, body)
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid_character",
        "message": "درخواست نویسه‌ای دارد که پذیرفته نیست.",
    }
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SmsChallenge)) == 0


def test_a_nul_in_the_path_query_or_a_header_is_a_400(citizen, family):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    for response in (
        citizen.delete("/api/me/sessions/a%00b"),
        citizen.get("/api/records?cursor=%00"),
        citizen.get("/api/me", headers={"User-Agent": "x\x00y"}),
    ):
        assert response.status_code == 400
        assert response.get_json()["error"] == "invalid_character"
        assert response.get_json()["message"] == "درخواست نویسه‌ای دارد که پذیرفته نیست."


def unsigned_card(header: dict) -> str:
    """A compact JWS with this header, a card-like payload and a signature of zeros."""
    payload = {"nc": INSURED, "covered": True, "valid_until": "2026-12-21", "iat": 1, "exp": 2}
    parts = (jws.b64url_encode(json.dumps(value).encode()) for value in (header, payload))
    return ".".join((*parts, jws.b64url_encode(bytes(64))))


@pytest.mark.parametrize("kid", [["k1"], {"k": 1}, 7, None])
def test_a_card_whose_kid_is_not_a_string_is_refused(kid):
    jwks = {"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "x": "A" * 43}]}
    with pytest.raises(CardRefused) as refused:
        verify(unsigned_card({"alg": "EdDSA", "kid": kid}), jwks, datetime.now(UTC))
    assert refused.value.reason in CardRefused.REASONS


def test_a_card_nested_past_the_parsers_depth_is_malformed():
    header = jws.b64url_encode(b"[" * 5000 + b"]" * 5000)
    with pytest.raises(CardRefused) as refused:
        verify(f"{header}.{header}.AAAA", {"keys": []}, datetime.now(UTC))
    assert refused.value.reason == "malformed"
