"""Members' passkeys (WebAuthn, with py_webauthn): after the SMS code, a member adds a passkey
(the first time) or uses theirs, and the session may then write.

The ceremony's challenge travels in a signed token that expires after 5 minutes and is spent
on first use; RP_ID and origins come from the config. A member's passkeys are their own table,
apart from the citizen's.
"""

import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from flask import Blueprint, current_app, request
from flask_babel import gettext
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select
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
from ..errors import ApiError
from ..extensions import db
from ..models import MemberPasskey, UsedToken
from . import sessions

bp = Blueprint("centre_passkeys", __name__, url_prefix="/centre/passkey")

CHALLENGE_SECONDS = 300
RP_NAME = "درمان من — مراکز"
# A passkey (the first, or one on a new device) may be added only this soon after the SMS code
# confirmed the person.
FIRST_PASSKEY_WINDOW = timedelta(minutes=10)


class _ClockSigner(TimestampSigner):
    """Timestamps from the app's clock, so that expiry follows it (and tests can move it)."""

    def get_timestamp(self) -> int:
        """Now, in whole seconds."""
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    """Signs a member's ceremony state."""
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="centre-webauthn", signer=_ClockSigner
    )


def _origins() -> list[str]:
    """The origins the browser may report (DARMAN_ORIGIN, comma-separated)."""
    return [origin.strip() for origin in current_app.config["DARMAN_ORIGIN"].split(",")]


def _user_handle(person_id: int) -> bytes:
    """A stable handle for the person that carries no national code."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"centre-member:{person_id}".encode(), hashlib.sha256).digest()


def _refused() -> ApiError:
    """The one answer for any credential that does not verify."""
    return ApiError(400, "passkey_refused", gettext("This passkey could not be verified."))


def _signed_in() -> sessions.SignedInMember:
    """The member of this request; 401 when the session has ended."""
    member = sessions.current()
    if member is None:
        raise ApiError(401, "sign_in_required", gettext("Please sign in."))
    return member


@bp.post("/options")
def options():
    """Sign-in options for the person's own passkeys; registration options for a first one,
    or for one on a new device (`{"new_device": true}`), soon after the SMS code."""
    member = _signed_in()
    existing = list(
        db.session.scalars(
            select(MemberPasskey.credential_id).where(MemberPasskey.person_id == member.person_id)
        )
    )
    body = request.get_json(silent=True)
    new_device = isinstance(body, dict) and body.get("new_device") is True
    if existing and not new_device:
        generated = generate_authentication_options(
            rp_id=current_app.config["DARMAN_RP_ID"],
            allow_credentials=[PublicKeyCredentialDescriptor(id=cid) for cid in existing],
            user_verification=UserVerificationRequirement.REQUIRED,
            timeout=CHALLENGE_SECONDS * 1000,
        )
        mode = "login"
    else:
        generated = generate_registration_options(
            rp_id=current_app.config["DARMAN_RP_ID"],
            rp_name=RP_NAME,
            user_id=_user_handle(member.person_id),
            user_name=member.name,
            user_display_name=member.name,
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.PREFERRED,
                user_verification=UserVerificationRequirement.REQUIRED,
            ),
            exclude_credentials=[PublicKeyCredentialDescriptor(id=cid) for cid in existing],
            timeout=CHALLENGE_SECONDS * 1000,
        )
        mode = "register"
    state = _serializer().dumps(
        {
            "challenge": bytes_to_base64url(generated.challenge),
            "jti": secrets.token_urlsafe(16),
            "mode": mode,
            "session": member.session_id,
        }
    )
    return {"mode": mode, "options": json.loads(options_to_json(generated)), "state": state}


def _spend(token: str) -> dict:
    """The claims of a ceremony token, spent now: a second use is refused."""
    invalid = ApiError(400, "passkey_expired", gettext("Please try again: the request expired."))
    try:
        claims = _serializer().loads(token, max_age=CHALLENGE_SECONDS)
    except BadSignature:
        raise invalid from None
    expires = clock.now() + timedelta(seconds=CHALLENGE_SECONDS)
    db.session.add(UsedToken(id=claims["jti"], expires_at=expires))
    try:
        db.session.flush()
    except IntegrityError:  # spent already, maybe by a concurrent request
        raise invalid from None
    commit_now(db.session)  # spent even if the ceremony then fails: no second try on one token
    return claims


@bp.post("/verify")
def verify():
    """Check the new credential or the assertion; the session may write from now on."""
    member = _signed_in()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("state"), str):
        raise _refused()
    claims = _spend(body["state"])
    if claims.get("session") != member.session_id:
        raise _refused()
    challenge = base64url_to_bytes(claims["challenge"])
    credential = body.get("credential")
    if claims["mode"] == "register":
        _register(member, credential, challenge)
    else:
        _authenticate(member, credential, challenge)
    sessions.confirm_with_passkey(member.session_id)
    return {"confirmed": True}


def _register(member: sessions.SignedInMember, credential, challenge: bytes) -> None:
    """Keep a first passkey, made soon after the SMS code confirmed the person."""
    from ..models import MemberSession

    started = db.session.get(MemberSession, member.session_id).created_at
    if clock.as_utc(started) < clock.now() - FIRST_PASSKEY_WINDOW:
        message = gettext("For your safety, please sign in again to add a passkey.")
        raise ApiError(401, "reauthentication_required", message)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=current_app.config["DARMAN_RP_ID"],
            expected_origin=_origins(),
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError, TypeError):
        raise _refused() from None
    transports = (credential.get("response", {}) or {}).get("transports") or []
    db.session.add(
        MemberPasskey(
            person_id=member.person_id,
            credential_id=verified.credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=",".join(str(item) for item in transports)[:100],
            created_at=clock.now(),
            last_used_at=clock.now(),
        )
    )
    try:
        db.session.flush()
    except IntegrityError:  # the credential is someone's already
        raise _refused() from None


def _authenticate(member: sessions.SignedInMember, credential, challenge: bytes) -> None:
    """Check an assertion by one of the person's own passkeys, and its sign count."""
    try:
        parsed = parse_authentication_credential_json(credential)
    except (InvalidJSONStructure, ValueError, KeyError, TypeError):
        raise _refused() from None
    passkey = db.session.scalar(
        select(MemberPasskey).where(
            MemberPasskey.credential_id == parsed.raw_id,
            MemberPasskey.person_id == member.person_id,
        )
    )
    if passkey is None:
        raise _refused()
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=current_app.config["DARMAN_RP_ID"],
            expected_origin=_origins(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError):
        raise _refused() from None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = clock.now()
