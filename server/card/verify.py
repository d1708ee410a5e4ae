"""Checking a card offline: the signature against published keys (a JWK Set), then its time.

No Flask and no database: this is what a pharmacy's software runs, with keys it fetched from
`GET /api/card/keys` while it had a network. The PWA's verify page must do the same checks.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .jws import ALGORITHM, MalformedToken, b64url_decode, split

LIFETIME = timedelta(hours=24)
# A phone's clock may run a little fast: a card "issued" up to this far ahead is still fine.
ISSUED_AHEAD = timedelta(minutes=5)
_NATIONAL_CODE = re.compile(r"[0-9]{10}|[0-9]{12}")
_TRACKING_CODE = re.compile(r"[0-9]{12}")


class CardRefused(ValueError):
    """The card must not be trusted; `reason` says why (a stable code)."""

    REASONS = ("malformed", "wrong_alg", "unknown_kid", "bad_signature", "expired", "not_yet_valid")

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Card:
    """A correctly signed, unexpired card."""

    national_code: str
    covered: bool
    valid_until: date | None
    issued_at: datetime
    expires_at: datetime
    tracking_code: str
    kid: str

    def shows_covered(self, today: date) -> bool:
        """«حمایت درمانی دارد» only when it said covered and cover still runs today (Tehran)."""
        return self.covered and self.valid_until is not None and today <= self.valid_until


def public_keys(jwks: Mapping) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 signing keys of a JWK Set by key id; other kinds of key are left out."""
    keys = {}
    for jwk in jwks.get("keys", []) if isinstance(jwks, Mapping) else []:
        if not isinstance(jwk, Mapping) or not isinstance(jwk.get("kid"), str):
            continue
        if (jwk.get("kty"), jwk.get("crv"), jwk.get("alg", ALGORITHM)) != (
            "OKP",
            "Ed25519",
            ALGORITHM,
        ):
            continue
        if jwk.get("use", "sig") != "sig":
            continue
        try:
            keys[jwk["kid"]] = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
        except (KeyError, TypeError, ValueError):
            continue
    return keys


def verify(token: str, jwks: Mapping, now: datetime) -> Card:
    """The card in `token` at the (aware) time `now`, or CardRefused with the reason."""
    try:
        header, payload, signature, signed = split(token.strip())
    except MalformedToken:
        raise CardRefused("malformed") from None
    if header.get("alg") != ALGORITHM or "crit" in header:
        raise CardRefused("wrong_alg")
    kid = header.get("kid")
    if not isinstance(kid, str):  # a list or an object cannot name a key (nor be looked up)
        raise CardRefused("malformed")
    key = public_keys(jwks).get(kid)
    if key is None:
        raise CardRefused("unknown_kid")
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        raise CardRefused("bad_signature") from None
    card = _card(payload, kid)
    if now >= card.expires_at:
        raise CardRefused("expired")
    if now + ISSUED_AHEAD < card.issued_at:
        raise CardRefused("not_yet_valid")
    return card


def _card(payload: dict, kid: str) -> Card:
    """The signed claims, checked for shape: a card we did not mean is refused as malformed."""
    nc, covered, tc = payload.get("nc"), payload.get("covered"), payload.get("tc")
    iat, exp, valid_until = payload.get("iat"), payload.get("exp"), payload.get("valid_until")
    if not (isinstance(nc, str) and _NATIONAL_CODE.fullmatch(nc)):
        raise CardRefused("malformed")
    if not (isinstance(tc, str) and _TRACKING_CODE.fullmatch(tc)) or type(covered) is not bool:
        raise CardRefused("malformed")
    lifetime = LIFETIME.total_seconds()
    if type(iat) is not int or type(exp) is not int or not 0 < exp - iat <= lifetime:
        raise CardRefused("malformed")
    try:
        until = date.fromisoformat(valid_until) if valid_until is not None else None
        issued_at = datetime.fromtimestamp(iat, UTC)
        expires_at = datetime.fromtimestamp(exp, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise CardRefused("malformed") from None
    return Card(nc, covered, until, issued_at, expires_at, tc, kid)
