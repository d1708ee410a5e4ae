"""Passkeys (WebAuthn, with py_webauthn): add one after an SMS sign-in, then sign in with it.

Credentials are discoverable and user-verified, so signing in needs no typing. The challenge
travels in a signed token that expires after 5 minutes and is spent on first use. RP_ID and
the allowed origins come from the config, never from the request's Host.
"""

import json
import secrets
from datetime import timedelta

from flask import Blueprint, current_app
from flask_babel import gettext
from flask_login import current_user, login_required
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
)
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .. import clock
from ..database import commit_now
from ..domain.refusal import Invalid
from ..errors import ApiError
from ..extensions import db
from ..models import Account, Passkey, Person, UsedToken
from ..web.toolkit import operation
from . import sessions, throttle
from .schemas import (
    CeremonyOptions,
    PasskeyItem,
    PasskeyList,
    PasskeyLoginRequest,
    PasskeyRegisterRequest,
)
from .views import client_address, me

bp = Blueprint("passkeys", __name__, url_prefix="/api/auth/passkeys")

CHALLENGE_SECONDS = 300
RP_NAME = "درمان من"


class _ClockSigner(TimestampSigner):
    """Timestamps from the app's clock, so that expiry follows it (and tests can move it)."""

    def get_timestamp(self) -> int:
        """Now, in whole seconds."""
        return int(clock.now().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    """Signs ceremony state for one purpose (registration or sign-in)."""
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"webauthn-{purpose}", signer=_ClockSigner
    )


def _origins() -> list[str]:
    """The origins the browser may report (DARMAN_ORIGIN, comma-separated)."""
    return [origin.strip() for origin in current_app.config["DARMAN_ORIGIN"].split(",")]


def _state(purpose: str, challenge: bytes, **claims: object) -> str:
    """A signed, time-limited ceremony token holding the challenge and a one-time id."""
    payload = {"challenge": bytes_to_base64url(challenge), "jti": secrets.token_urlsafe(16)}
    return _serializer(purpose).dumps({**payload, **claims})


def _spend(purpose: str, token: str) -> dict:
    """The claims of a ceremony token, which is spent now: a second use is refused."""
    try:
        claims = _serializer(purpose).loads(token, max_age=CHALLENGE_SECONDS)
    except BadSignature:
        raise Invalid("passkey_expired") from None
    expires = clock.now() + timedelta(seconds=CHALLENGE_SECONDS)
    try:
        with db.session.begin_nested():  # a used id undoes this row alone
            db.session.add(UsedToken(id=claims["jti"], expires_at=expires))
    except IntegrityError:
        raise Invalid("passkey_expired") from None
    commit_now(db.session)  # spent even if what follows fails: no second try on one challenge
    return claims


def _refused() -> Invalid:
    """The one refusal for any credential that does not verify."""
    return Invalid("passkey_refused")


@bp.post("/register/options")
@operation("Options to create a passkey (needs a recent sign-in)", response=CeremonyOptions)
@sessions.recent_sign_in_required
def register_options():
    """A discoverable, user-verified credential for this account."""
    account = current_user.account
    person = db.session.get(Person, account.person_id)
    existing = db.session.scalars(
        select(Passkey.credential_id).where(Passkey.account_id == account.id)
    )
    options = generate_registration_options(
        rp_id=current_app.config["DARMAN_RP_ID"],
        rp_name=RP_NAME,
        user_id=account.user_handle,
        user_name=f"{person.first_name} {person.last_name}",
        user_display_name=f"{person.first_name} {person.last_name}",
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=cid) for cid in existing],
        timeout=CHALLENGE_SECONDS * 1000,
    )
    state = _state("register", options.challenge, account=account.id)
    return {"options": _json(options), "state": state}


def _json(options) -> dict:
    """Options as the browser's JSON (base64url fields)."""
    return json.loads(options_to_json(options))


@bp.post("/register/verify")
@operation(
    "Store the new passkey",
    request_schema=PasskeyRegisterRequest,
    response=PasskeyItem,
    errors=(400, 401),
)
@sessions.recent_sign_in_required
def register_verify(body: PasskeyRegisterRequest):
    """Check the attestation against our challenge, RP_ID and origin, then keep the key."""
    claims = _spend("register", body.state)
    if claims["account"] != current_user.account.id:
        raise _refused()
    try:
        verified = verify_registration_response(
            credential=body.credential,
            expected_challenge=_challenge(claims),
            expected_rp_id=current_app.config["DARMAN_RP_ID"],
            expected_origin=_origins(),
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError, TypeError):
        raise _refused() from None
    passkey = Passkey(
        account_id=current_user.account.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=",".join(body.credential.get("response", {}).get("transports", []) or []),
        backup_eligible=verified.credential_device_type == "multi_device",
        backup_state=verified.credential_backed_up,
        name=body.name or gettext("Passkey"),
        created_at=clock.now(),
    )
    db.session.add(passkey)
    sessions.tell_other_devices(current_user.account, current_user.device, "passkey")
    try:
        db.session.flush()  # a credential stored already (by a concurrent try) shows here
    except IntegrityError:
        raise _refused() from None
    return _item(passkey), 201


def _challenge(claims: dict) -> bytes:
    """The challenge kept in a ceremony token."""
    return base64url_to_bytes(claims["challenge"])


@bp.post("/login/options")
@operation("Options to sign in with a passkey, without typing anything", response=CeremonyOptions)
def login_options():
    """No allowed-credentials list: the authenticator offers this site's passkeys."""
    options = generate_authentication_options(
        rp_id=current_app.config["DARMAN_RP_ID"],
        user_verification=UserVerificationRequirement.REQUIRED,
        timeout=CHALLENGE_SECONDS * 1000,
    )
    return {"options": _json(options), "state": _state("login", options.challenge)}


@bp.post("/login/verify")
@operation("Sign in with a passkey", request_schema=PasskeyLoginRequest, errors=(400,))
def login_verify(body: PasskeyLoginRequest):
    """Check the assertion and its sign count, then sign this device in."""
    throttle.count_attempt(client_address(), clock.now())
    commit_now(db.session)  # the attempt counts whatever the answer
    claims = _spend("login", body.state)
    try:
        credential = parse_authentication_credential_json(body.credential)
    except (InvalidJSONStructure, ValueError, KeyError, TypeError):
        raise _refused() from None
    found = db.session.execute(
        select(Passkey, Account)
        .join(Account, Account.id == Passkey.account_id)
        .where(Passkey.credential_id == credential.raw_id)
    ).first()
    if found is None or not _handle_matches(credential, found.Account):
        raise _refused()
    passkey, account = found
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=_challenge(claims),
            expected_rp_id=current_app.config["DARMAN_RP_ID"],
            expected_origin=_origins(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError):
        raise _refused() from None  # a sign count that did not grow lands here: a cloned key
    passkey.sign_count = verified.new_sign_count
    passkey.backup_state = verified.credential_backed_up
    passkey.last_used_at = clock.now()
    sessions.sign_in(account, "passkey")
    return me(), sessions.fresh_csrf_token()


def _handle_matches(credential, account: Account) -> bool:
    """The user handle the authenticator returned, when it returned one, is this account's."""
    handle = credential.response.user_handle
    return handle is None or secrets.compare_digest(handle, account.user_handle)


def _item(passkey: Passkey) -> dict:
    """A passkey as the settings screen lists it."""
    return {
        "id": passkey.id,
        "name": passkey.name,
        "created_at": clock.as_tehran(passkey.created_at).isoformat(),
        "last_used_at": clock.as_tehran(passkey.last_used_at).isoformat()
        if passkey.last_used_at
        else None,
        "backed_up": passkey.backup_state,
    }


@bp.get("")
@operation("My passkeys", response=PasskeyList, errors=(401,))
@login_required
def list_passkeys():
    """Every passkey of this account."""
    rows = db.session.scalars(
        select(Passkey).where(Passkey.account_id == current_user.account.id).order_by(Passkey.id)
    )
    return {"passkeys": [_item(row) for row in rows]}


@bp.delete("/<int:passkey_id>")
@operation("Remove one of my passkeys (needs a recent sign-in)", errors=(401, 404))
@sessions.recent_sign_in_required
def remove_passkey(passkey_id: int):
    """It can no longer sign in."""
    result = db.session.execute(
        delete(Passkey).where(
            Passkey.id == passkey_id, Passkey.account_id == current_user.account.id
        )
    )
    if result.rowcount != 1:
        raise ApiError(404, "not_found", gettext("Nothing was found at this address."))
    return {"removed": passkey_id}
