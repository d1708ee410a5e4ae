"""`GET /api/card` (my signed card) and `GET /api/card/keys` (the public keys, a JWK Set)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Blueprint, current_app
from flask_login import current_user, login_required
from pydantic import BaseModel, Field

from .. import clock, inquiries
from ..extensions import db
from ..models import Person
from ..web.toolkit import operation
from . import jws
from .keys import Keyring
from .stored_keys import StoredKeyring
from .verify import LIFETIME

bp = Blueprint("card", __name__, url_prefix="/api/card")

CHANNEL = "card"


class CardToken(BaseModel):
    """My card: a JWS compact token for the QR code, and when it stops being valid."""

    token: str = Field(description="header.payload.signature; payload {nc, covered, "
                       "valid_until, iat, exp, tc}; EdDSA (Ed25519) with a kid")  # fmt: skip
    expires_at: str = Field(description="ISO 8601 time (Tehran), 24 hours after issue")


class Jwk(BaseModel):
    """An Ed25519 public key (RFC 8037)."""

    kty: str
    crv: str
    x: str
    kid: str
    use: str
    alg: str


class Jwks(BaseModel):
    """The public keys that sign cards: the current, the next, and recently retired ones."""

    keys: list[Jwk]


def keyring() -> Keyring | StoredKeyring:
    """The app's keyring: the database's with DARMAN_CARD_KEY_STORE=database (several nodes),
    else the folder DARMAN_CARD_KEY_DIR, else card-keys/ in the instance folder."""
    if current_app.config.get("DARMAN_CARD_KEY_STORE") == "database":
        return StoredKeyring(current_app.config["SECRET_KEY"])
    directory = current_app.config.get("DARMAN_CARD_KEY_DIR")
    return Keyring(directory or Path(current_app.instance_path) / "card-keys")


@bp.get("")
@operation("My offline card: a signed statement of cover for 24 hours", response=CardToken,
           errors=(401,))  # fmt: skip
@login_required
def my_card():
    """Sign my eligibility as of now, with the tracking code of a logged inquiry."""
    person = db.session.get(Person, current_user.person_id)
    answer = inquiries.find(person.national_code, clock.today())
    tracking_code = inquiries.log(answer, channel=CHANNEL, national_code=person.national_code)
    issued_at = int(clock.now().timestamp())
    expires_at = issued_at + int(LIFETIME.total_seconds())
    valid_until = answer.eligibility.valid_until
    payload = {
        "nc": person.national_code,
        "covered": answer.covered,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "iat": issued_at,
        "exp": expires_at,
        "tc": tracking_code,
    }
    kid, private_key = keyring().signing_key(clock.now())
    expiry = clock.as_tehran(datetime.fromtimestamp(expires_at, UTC))
    return {"token": jws.sign(payload, private_key, kid), "expires_at": expiry.isoformat()}


@bp.get("/keys")
@operation("The public keys that sign cards (JWK Set), for verifying cards offline",
           response=Jwks)  # fmt: skip
def keys():
    """Every published key; a verifier keeps them for when it has no network."""
    ring = keyring()
    if not ring.published():
        ring.signing_key(clock.now())  # publish the first keys before any card is signed
    return ring.jwks()


def keep_retired() -> timedelta:
    """How long a retired key stays published: DARMAN_CARD_KEY_KEEP_HOURS, at least 24 h."""
    hours = timedelta(hours=current_app.config["DARMAN_CARD_KEY_KEEP_HOURS"])
    return max(hours, LIFETIME)
