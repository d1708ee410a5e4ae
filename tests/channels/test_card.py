"""The offline card: `GET /api/card` signs my cover for 24 hours, `GET /api/card/keys` publishes
the keys, and the verifier refuses a tampered byte, an expired card, an unknown key and a wrong
algorithm; rotation keeps old keys verifiable and publishes the next key in advance."""

import base64
import json
import os
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from channel_testing import inquiries_logged
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from families import INSURED, INSURED_MOBILE, SON

from server.card import jws
from server.card.verify import CardRefused, verify
from server.card.views import keyring
from server.domain.tracking import is_valid_tracking_code

BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def decode(part: str) -> dict:
    """A base64url JSON part of a token."""
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def encode(value: dict) -> str:
    """A JSON part as base64url."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.fixture
def signed_in(family, citizen, card_keys):
    """Ali, signed in on his phone."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


def my_card(citizen) -> dict:
    """GET /api/card."""
    response = citizen.get("/api/card")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def published(client) -> dict:
    """GET /api/card/keys."""
    response = client.get("/api/card/keys")
    assert response.status_code == 200
    return response.get_json()


def test_the_card_needs_a_signed_in_citizen(client, card_keys):
    response = client.get("/api/card")
    assert (response.status_code, response.get_json()["error"]) == (401, "sign_in_required")


def test_my_card_is_a_jws_signed_with_eddsa(app, signed_in, client, clock):
    card = my_card(signed_in)
    header, payload, _ = card["token"].split(".")

    assert decode(header) == {"alg": "EdDSA", "kid": decode(header)["kid"]}
    claims = decode(payload)
    assert set(claims) == {"nc", "covered", "valid_until", "iat", "exp", "tc"}
    assert (claims["nc"], claims["covered"], claims["valid_until"]) == (
        INSURED,
        True,
        "2026-12-21",
    )
    assert claims["iat"] == int(clock.now.timestamp())
    assert claims["exp"] == claims["iat"] + 24 * 3600
    expires_at = datetime.fromisoformat(card["expires_at"])
    assert expires_at.utcoffset() == timedelta(hours=3, minutes=30)  # Tehran
    assert expires_at.timestamp() == claims["exp"]
    [logged] = [row for row in inquiries_logged(app) if row.channel == "card"]
    assert (logged.tracking_code, logged.national_code, logged.covered) == (
        claims["tc"],
        INSURED,
        True,
    )
    assert is_valid_tracking_code(claims["tc"])


def test_the_verifier_accepts_my_card(signed_in, client, clock):
    token = my_card(signed_in)["token"]

    card = verify(token, published(client), clock.now)

    assert (card.national_code, card.covered, card.valid_until) == (
        INSURED,
        True,
        date(2026, 12, 21),
    )
    assert card.shows_covered(date(2026, 11, 22))
    assert not card.shows_covered(date(2026, 12, 22))  # a card cannot outlive the cover


def test_a_card_without_cover_never_shows_covered(family, citizen, client, card_keys, clock):
    assert citizen.sign_in(SON, "09131111111").status_code == 200
    card = verify(my_card(citizen)["token"], published(client), clock.now)
    assert card.covered is False
    assert card.valid_until < date(2026, 11, 22)  # his cover ended before his 19th birthday
    assert not card.shows_covered(date(2026, 11, 22))


def test_the_keys_are_a_jwks_of_ed25519_keys(client, card_keys):
    keys = published(client)["keys"]
    assert len(keys) == 2  # the current key, and the next one published in advance
    for jwk in keys:
        assert set(jwk) == {"kty", "crv", "x", "kid", "use", "alg"}
        assert (jwk["kty"], jwk["crv"], jwk["use"], jwk["alg"]) == (
            "OKP",
            "Ed25519",
            "sig",
            "EdDSA",
        )
        assert len(base64.urlsafe_b64decode(jwk["x"] + "=")) == 32
    assert len({jwk["kid"] for jwk in keys}) == 2


def test_private_keys_live_in_the_key_folder_readable_by_the_owner_only(client, card_keys):
    kids = {jwk["kid"] for jwk in published(client)["keys"]}
    files = {path.stem for path in card_keys.glob("*.pem")}
    assert files == kids
    for path in card_keys.glob("*.pem"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert "PRIVATE KEY" in path.read_text()


def test_by_default_the_keys_are_in_the_instance_folder(app, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_CARD_KEY_DIR", None)
    with app.test_request_context():
        assert keyring().directory == Path(app.instance_path) / "card-keys"


def every_one_character_change(token: str):
    """One character replaced: once everywhere, every way at each part's end (spare bits)."""
    part_ends = {index - 1 for index, character in enumerate(token) if character == "."}
    part_ends.add(len(token) - 1)
    for index, character in enumerate(token):
        alternatives = BASE64URL if index in part_ends else "AB."
        for replacement in alternatives:
            if replacement != character:
                yield token[:index] + replacement + token[index + 1 :]
                if index not in part_ends:
                    break


def test_a_tampered_byte_anywhere_is_refused(signed_in, client, clock):
    token = my_card(signed_in)["token"]
    keys = published(client)
    tampered = list(every_one_character_change(token))
    assert len(tampered) == len(token) - 3 + 3 * 63

    for changed in tampered:
        with pytest.raises(CardRefused):
            verify(changed, keys, clock.now)


def test_a_rewritten_claim_breaks_the_signature(signed_in, client, clock):
    header, payload, signature = my_card(signed_in)["token"].split(".")
    claims = decode(payload) | {"valid_until": "2027-12-21"}
    with pytest.raises(CardRefused) as refused:
        verify(f"{header}.{encode(claims)}.{signature}", published(client), clock.now)
    assert refused.value.reason == "bad_signature"


def test_an_expired_card_is_refused(signed_in, client, clock):
    token = my_card(signed_in)["token"]
    keys = published(client)

    clock.move(hours=24, seconds=-1)
    assert verify(token, keys, clock.now).national_code == INSURED
    clock.move(seconds=1)
    with pytest.raises(CardRefused) as refused:
        verify(token, keys, clock.now)
    assert refused.value.reason == "expired"


def test_a_card_from_the_future_is_refused(signed_in, client, clock):
    token = my_card(signed_in)["token"]
    with pytest.raises(CardRefused) as refused:
        verify(token, published(client), clock.now - timedelta(minutes=6))
    assert refused.value.reason == "not_yet_valid"


def test_an_unknown_key_id_is_refused(signed_in, client, clock):
    token = my_card(signed_in)["token"]
    kid = decode(token.split(".")[0])["kid"]
    others = {"keys": [jwk for jwk in published(client)["keys"] if jwk["kid"] != kid]}

    with pytest.raises(CardRefused) as refused:
        verify(token, others, clock.now)
    assert refused.value.reason == "unknown_kid"


def test_a_card_signed_by_someone_elses_key_under_our_key_id_is_refused(signed_in, client, clock):
    genuine = my_card(signed_in)["token"]
    claims = decode(genuine.split(".")[1])
    kid = decode(genuine.split(".")[0])["kid"]
    forged = jws.sign(claims, Ed25519PrivateKey.generate(), kid)

    with pytest.raises(CardRefused) as refused:
        verify(forged, published(client), clock.now)
    assert refused.value.reason == "bad_signature"


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none"},
        {"alg": "HS256"},
        {"alg": "ES256"},
        {"alg": "eddsa"},
        {},
        {"alg": "EdDSA", "crit": ["exp"]},
    ],
)
def test_a_wrong_algorithm_is_refused(signed_in, client, clock, header):
    token = my_card(signed_in)["token"]
    kid = decode(token.split(".")[0])["kid"]
    _, payload, signature = token.split(".")
    with pytest.raises(CardRefused) as refused:
        verify(
            f"{encode(header | {'kid': kid})}.{payload}.{signature}", published(client), clock.now
        )
    assert refused.value.reason == "wrong_alg"


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c.d", "e30=.e30.AAAA", "W10.e30.AAAA", "e30.e30.A", "e30.W10.AAAA"],
)
def test_a_malformed_token_is_refused(client, card_keys, clock, token):
    with pytest.raises(CardRefused) as refused:
        verify(token, published(client), clock.now)
    assert refused.value.reason == "malformed"


def signed_with_current_key(app, claims: dict, clock) -> str:
    """A token of the app's current key over any claims (as a bug in the issuer would make)."""
    with app.app_context():
        kid, private_key = keyring().signing_key(clock.now)
    return jws.sign(claims, private_key, kid)


@pytest.mark.parametrize(
    "change",
    [
        {"exp": None},
        {"covered": "yes"},
        {"nc": "12345"},
        {"tc": 12345678901},
        {"valid_until": "21 Azar"},
        {"iat": True},
    ],
)
def test_claims_of_the_wrong_shape_are_refused_even_when_signed(
    app, client, card_keys, clock, change
):
    iat = int(clock.now.timestamp())
    claims = {"nc": INSURED, "covered": True, "valid_until": "2026-12-21", "iat": iat,
              "exp": iat + 3600, "tc": "123456789015"} | change  # fmt: skip
    with pytest.raises(CardRefused) as refused:
        verify(signed_with_current_key(app, claims, clock), published(client), clock.now)
    assert refused.value.reason == "malformed"


def test_a_card_claiming_more_than_24_hours_is_refused(app, client, card_keys, clock):
    iat = int(clock.now.timestamp())
    claims = {"nc": INSURED, "covered": True, "valid_until": "2026-12-21", "iat": iat,
              "exp": iat + 7 * 24 * 3600, "tc": "123456789015"}  # fmt: skip
    with pytest.raises(CardRefused):
        verify(signed_with_current_key(app, claims, clock), published(client), clock.now)


def kid_of(token: str) -> str:
    """The key id a token names."""
    return decode(token.split(".")[0])["kid"]


def test_rotation_keeps_old_cards_verifiable_and_new_keys_known_in_advance(
    signed_in, client, runner, card_keys, clock
):
    before = my_card(signed_in)["token"]
    keys_before = published(client)
    old_kid, next_kid = (jwk["kid"] for jwk in keys_before["keys"])
    assert kid_of(before) == old_kid

    result = runner.invoke(args=["darman", "card", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert f"current key: {next_kid}" in result.output

    after = my_card(signed_in)["token"]
    assert kid_of(after) == next_kid
    keys_after = published(client)
    assert verify(before, keys_after, clock.now).kid == old_kid  # old cards still check
    assert verify(after, keys_before, clock.now).kid == next_kid  # a pharmacy's old copy knows it
    assert not (card_keys / f"{old_kid}.pem").exists()  # a retired key signs no more
    assert len(keys_after["keys"]) == 3


def test_a_retired_key_stays_published_for_longer_than_a_card_lives(
    client, runner, card_keys, clock
):
    old_kid = published(client)["keys"][0]["kid"]
    assert runner.invoke(args=["darman", "card", "rotate-key"]).exit_code == 0

    clock.move(hours=25)
    assert runner.invoke(args=["darman", "card", "rotate-key"]).exit_code == 0
    assert old_kid in {jwk["kid"] for jwk in published(client)["keys"]}

    clock.move(hours=24)  # 49 hours after it retired
    result = runner.invoke(args=["darman", "card", "rotate-key"])
    assert f"no longer published: {old_kid}" in result.output
    assert old_kid not in {jwk["kid"] for jwk in published(client)["keys"]}


def test_the_keys_command_lists_every_published_key(client, runner, card_keys):
    kids = [jwk["kid"] for jwk in published(client)["keys"]]
    output = runner.invoke(args=["darman", "card", "keys"]).output
    assert [line.split()[:2] for line in output.splitlines()] == [
        [kids[0], "current"],
        [kids[1], "next"],
    ]
