"""One unit of work per gateway call and card request: the gateway's nonce is committed at once
(`commit_now`: a replay is refused even when the call then fails), the call's own writes once,
and a call failing half-way leaves nothing else behind."""

import urllib.parse

import pytest
from channel_testing import inquiry_count, signed
from families import INSURED, INSURED_MOBILE
from sqlalchemy import func, select

from server.auth.sms import SmsDeliveryError
from server.card import jws
from server.channels import answers
from server.channels import views as channel_views
from server.extensions import db
from server.models import CardSigningKey, GatewayNonce, RateLimitHit

STRANGER = "+989350000000"


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def broken(*args, **kwargs):
    raise RuntimeError("the disk is full")


def ussd_call(app, text: str) -> tuple[bytes, dict]:
    """A signed USSD call's body and headers (to send twice if need be)."""
    form = {"sessionId": "s1", "phoneNumber": STRANGER, "serviceCode": "*1420*4#", "text": text}
    body = urllib.parse.urlencode(form).encode()
    return body, signed(app, body)


def post_ussd(client, body: bytes, headers: dict):
    return client.post(
        "/api/ussd", data=body, content_type="application/x-www-form-urlencoded", headers=headers
    )


def test_a_ussd_step_commits_its_nonce_then_its_inquiry(app, family, gateway, count_commits):
    count_commits.reset()
    assert gateway.page(STRANGER, "").startswith("CON ")
    assert count_commits.count == 1  # commit_now: the nonce; the menu writes nothing else

    count_commits.reset()
    assert gateway.page(STRANGER, f"2*{INSURED}").startswith("END ")
    assert count_commits.count == 2  # the nonce, then the request's: the count and the inquiry
    assert inquiry_count(app) == 1 and rows(app, RateLimitHit) == 1


def test_a_replayed_call_commits_nothing(app, family, gateway, client, count_commits):
    body, headers = ussd_call(app, f"2*{INSURED}")
    assert post_ussd(client, body, headers).status_code == 200
    count_commits.reset()
    again = post_ussd(client, body, headers)
    assert again.status_code == 401
    assert count_commits.count == 0, count_commits.statements
    assert inquiry_count(app) == 1


def test_a_ussd_call_failing_half_way_keeps_only_its_nonce(
    app, family, gateway, client, monkeypatch
):
    body, headers = ussd_call(app, f"2*{INSURED}")
    general_page = answers.general_page
    monkeypatch.setattr(answers, "general_page", broken)
    assert post_ussd(client, body, headers).status_code == 500
    assert inquiry_count(app) == 0  # the inquiry and the count went with the request
    assert rows(app, RateLimitHit) == 0
    assert rows(app, GatewayNonce) == 1  # the nonce stays: the same call is a replay

    monkeypatch.setattr(answers, "general_page", general_page)
    again = post_ussd(client, body, headers)
    assert (again.status_code, again.get_data(as_text=True)) == (
        401,
        "این درخواست پیش‌تر دریافت شده است.",
    )


def test_an_sms_reply_is_stored_before_it_is_sent(app, family, gateway, count_commits):
    count_commits.reset()
    assert gateway.sms(STRANGER, INSURED).status_code == 200
    assert count_commits.count == 2  # commit_now: the nonce, then the count and the inquiry
    assert inquiry_count(app) == 1 and len(gateway.sent()) == 1


class _Down:
    def send_text(self, mobile: str, text: str) -> None:
        raise SmsDeliveryError(None, "connection refused")


def test_an_sms_reply_that_cannot_be_sent_still_counts(app, family, gateway, monkeypatch):
    monkeypatch.setattr(channel_views, "backend_from_config", lambda config: _Down())
    answer = gateway.sms(STRANGER, INSURED)
    assert (answer.status_code, answer.get_json()["error"]) == (503, "sms_unavailable")
    assert inquiry_count(app) == 1  # its tracking code was in the reply that was tried
    assert rows(app, RateLimitHit) == 1


@pytest.fixture
def signed_in(family, citizen, card_keys):
    """Ali, signed in on his phone."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


def test_my_card_commits_once_and_the_keys_are_a_read(app, signed_in, count_commits):
    count_commits.reset()
    assert signed_in.get("/api/card").status_code == 200
    assert count_commits.count == 1  # the logged inquiry whose tracking code the card carries
    count_commits.reset()
    assert signed_in.get("/api/card/keys").status_code == 200
    assert count_commits.count == 0


def test_a_card_failing_half_way_logs_no_inquiry(app, signed_in, monkeypatch):
    monkeypatch.setattr(jws, "sign", broken)
    assert signed_in.get("/api/card").status_code == 500
    assert inquiry_count(app) == 0


@pytest.fixture
def stored_keys(app, monkeypatch):
    """The card's keys in the database."""
    monkeypatch.setitem(app.config, "DARMAN_CARD_KEY_STORE", "database")


def test_keys_in_the_database_are_made_in_the_requests_one_commit(
    app, signed_in, stored_keys, monkeypatch, count_commits
):
    sign = jws.sign
    monkeypatch.setattr(jws, "sign", broken)
    assert signed_in.get("/api/card").status_code == 500
    assert rows(app, CardSigningKey) == 0  # made, then undone with the request
    monkeypatch.setattr(jws, "sign", sign)

    count_commits.reset()
    assert signed_in.get("/api/card").status_code == 200
    assert count_commits.count == 1  # the first keys and the inquiry together
    assert rows(app, CardSigningKey) == 2
    count_commits.reset()
    assert signed_in.get("/api/card/keys").status_code == 200
    assert count_commits.count == 0
