"""Staff passkeys (WebAuthn, py_webauthn): registered at the first sign-in, asked for after.

User verification is required. The challenge travels in a signed token bound to the staff
session, valid 5 minutes and spent on first use (the citizens' UsedToken table): the spending
is committed at once, so a refused credential cannot try the same challenge again. A credential
that does not verify raises the `Invalid` refusal `passkey_refused` (a stale token,
`passkey_expired`).
"""

import json
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
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
from ..extensions import db
from ..models import Staff, StaffPasskey, StaffSession, UsedToken

CHALLENGE_SECONDS = 300
RP_NAME = "درمان من — کارکنان"


def _serializer() -> URLSafeTimedSerializer:
    """Signs ceremony state; the salt keeps it apart from citizens' ceremonies."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-webauthn")


def _origins() -> list[str]:
    """The origins the browser may report (DARMAN_ORIGIN, comma-separated)."""
    return [origin.strip() for origin in current_app.config["DARMAN_ORIGIN"].split(",")]


def _refused() -> Invalid:
    """The one answer for any credential that does not verify."""
    return Invalid("passkey_refused")


def options(staff: Staff, session: StaffSession) -> dict:
    """Registration options when `staff` has no passkey yet, else sign-in options."""
    rp_id = current_app.config["DARMAN_RP_ID"]
    credentials = list(
        db.session.scalars(
            select(StaffPasskey.credential_id).where(StaffPasskey.staff_id == staff.id)
        )
    )
    if credentials:
        ceremony = generate_authentication_options(
            rp_id=rp_id,
            allow_credentials=[PublicKeyCredentialDescriptor(id=c) for c in credentials],
            user_verification=UserVerificationRequirement.REQUIRED,
            timeout=CHALLENGE_SECONDS * 1000,
        )
        mode = "login"
    else:
        ceremony = generate_registration_options(
            rp_id=rp_id,
            rp_name=RP_NAME,
            user_id=staff.user_handle,
            user_name=f"staff-{staff.id}",
            user_display_name=f"staff-{staff.id}",
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.PREFERRED,
                user_verification=UserVerificationRequirement.REQUIRED,
            ),
            timeout=CHALLENGE_SECONDS * 1000,
        )
        mode = "register"
    state = _serializer().dumps(
        {
            "challenge": bytes_to_base64url(ceremony.challenge),
            "jti": secrets.token_urlsafe(16),
            "session": session.id,
            "mode": mode,
        }
    )
    return {"mode": mode, "options": json.loads(options_to_json(ceremony)), "state": state}


def _spend(state: str, session: StaffSession) -> dict:
    """The ceremony token's claims, spent now; refused when stale, reused or another session's."""
    try:
        claims = _serializer().loads(state, max_age=CHALLENGE_SECONDS)
    except BadSignature:
        raise Invalid("passkey_expired") from None
    if claims.get("session") != session.id:
        raise _refused()
    try:
        with db.session.begin_nested():
            db.session.add(
                UsedToken(
                    id=claims["jti"],
                    expires_at=clock.now() + timedelta(seconds=CHALLENGE_SECONDS),
                )
            )
    except IntegrityError:  # spent already, or by a request racing this one
        raise _refused() from None
    commit_now(db.session)  # spent for good, even when the credential is then refused
    return claims


def verify(staff: Staff, session: StaffSession, state: str, credential: dict) -> str:
    """Check the credential (a new passkey, or an assertion); 'register' or 'login'."""
    claims = _spend(state, session)
    challenge = base64url_to_bytes(claims["challenge"])
    rp_id = current_app.config["DARMAN_RP_ID"]
    if claims["mode"] == "register":
        _register(staff, credential, challenge, rp_id)
    else:
        _assert(staff, credential, challenge, rp_id)
    session.passkey_at = clock.now()
    db.session.flush()
    return claims["mode"]


def _register(staff: Staff, credential: dict, challenge: bytes, rp_id: str) -> None:
    """Keep a new passkey for `staff`."""
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=_origins(),
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError, TypeError):
        raise _refused() from None
    transports = (credential.get("response") or {}).get("transports") or []
    passkey = StaffPasskey(
        staff_id=staff.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=",".join(str(t) for t in transports)[:100],
        backup_state=verified.credential_backed_up,
        created_at=clock.now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(passkey)
    except IntegrityError:  # a credential already registered
        raise _refused() from None


def _assert(staff: Staff, credential: dict, challenge: bytes, rp_id: str) -> None:
    """Check an assertion by one of `staff`'s own passkeys and move its sign count on."""
    try:
        raw_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError):
        raise _refused() from None
    passkey = db.session.scalar(
        select(StaffPasskey).where(
            StaffPasskey.credential_id == raw_id, StaffPasskey.staff_id == staff.id
        )
    )
    if passkey is None:
        raise _refused()
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=_origins(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError, KeyError, TypeError):
        raise _refused() from None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = clock.now()
