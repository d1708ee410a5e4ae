"""Passkeys (WebAuthn, with py_webauthn) for every realm: citizens, centre members and staff.

The one module that builds registration and authentication options and verifies what the
authenticator answers. A ceremony's state travels in a token signed with a salt of its realm and
purpose (`webauthn:{realm}:{purpose}`), stamped by the app's clock (so the test clock moves it),
valid 5 minutes and spent on first use (UsedToken). RP_ID and the allowed origins come from the
config (DARMAN_RP_ID, DARMAN_ORIGIN), never from the request's Host. Whatever does not verify
raises `Invalid("passkey_refused")`; a stale or spent state, `Invalid("passkey_expired")`.

One rule holds in every realm: a person who has a passkey adds another only from a session
confirmed with one of theirs (`passkey_needed`). Whoever controls the mobile cannot add a
device; a lost device goes through a staff action that revokes the passkeys first. A new
passkey is told to the person's mobile by SMS (and, with `person_id`, to their app's devices).
"""

import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute
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
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .. import clock
from ..database import after_commit, commit_now
from ..domain.refusal import Invalid
from ..extensions import db
from ..i18n import number
from ..models import OutboxEvent, PasskeyColumns, UsedToken
from .device_names import known_name
from .sms import SmsBackend, SmsDeliveryError, backend_from_config

CHALLENGE_SECONDS = 300
PURPOSES = ("register", "login")
# What a credential that does not verify may raise inside py_webauthn and its parsing.
UNVERIFIED = (
    InvalidRegistrationResponse,
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
)
log = logging.getLogger(__name__)
Row = TypeVar("Row", bound=PasskeyColumns)


@dataclass(frozen=True)
class Realm:
    """Who signs in where: the name in the state's salt, the name the authenticator shows."""

    name: str
    rp_name: str
    resident_key: ResidentKeyRequirement
    where: Callable[[], str]  # the place, as the SMS about a new passkey names it


CITIZEN = Realm(
    "citizen", "درمان من", ResidentKeyRequirement.REQUIRED, lambda: gettext("the Darman app")
)
CENTRE = Realm(
    "centre",
    "درمان من — مراکز",
    ResidentKeyRequirement.PREFERRED,
    lambda: gettext("the web for centres"),
)
STAFF = Realm(
    "staff",
    "درمان من — کارکنان",
    ResidentKeyRequirement.PREFERRED,
    lambda: gettext("the staff console"),
)


@dataclass(frozen=True)
class Holder:
    """Whose passkey a registration makes: their WebAuthn handle and name, the credential ids
    they have already, and whether this session was confirmed with one of them."""

    user_handle: bytes
    name: str
    credentials: list[bytes] = field(default_factory=list)
    confirmed_by_passkey: bool = False


def holder(
    owner: InstrumentedAttribute, owner_id: int, user_handle: bytes, name: str, confirmed: bool
) -> Holder:
    """The holder whose passkeys are the rows of `owner`'s table with `owner` = `owner_id`
    (`Passkey.account_id`, `MemberPasskey.person_id`, `StaffPasskey.staff_id`)."""
    table = owner.class_
    credentials = db.session.scalars(select(table.credential_id).where(owner == owner_id))
    return Holder(user_handle, name, list(credentials), confirmed)


def may_add_passkey(holder: Holder) -> None:
    """Refuse a new passkey to a person who has one, unless this session used one of theirs."""
    if holder.credentials and not holder.confirmed_by_passkey:
        raise Invalid("passkey_needed")


class ClockSigner(TimestampSigner):
    """Timestamps from the app's clock, so that expiry follows it (and tests can move it)."""

    def get_timestamp(self) -> int:
        """Now, in whole seconds."""
        return int(clock.now().timestamp())


def _serializer(realm: Realm, purpose: str) -> URLSafeTimedSerializer:
    """Signs ceremony state of one realm and purpose: no state serves another."""
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"],
        salt=f"webauthn:{realm.name}:{purpose}",
        signer=ClockSigner,
    )


def _origins() -> list[str]:
    """The origins the browser may report (DARMAN_ORIGIN, comma-separated)."""
    return [origin.strip() for origin in current_app.config["DARMAN_ORIGIN"].split(",")]


def _rp_id() -> str:
    """The relying party: the config's, whatever Host the request names."""
    return current_app.config["DARMAN_RP_ID"]


def _answer(realm: Realm, purpose: str, options, claims: dict) -> dict:
    """Options as the browser's JSON, and the signed state holding their challenge.

    The state starts with its purpose: the salt binds it, so changing it breaks the signature.
    """
    payload = {
        **claims,
        "challenge": bytes_to_base64url(options.challenge),
        "jti": secrets.token_urlsafe(16),
    }
    state = f"{purpose}.{_serializer(realm, purpose).dumps(payload)}"
    return {"mode": purpose, "options": json.loads(options_to_json(options)), "state": state}


def registration_options(
    realm: Realm, holder: Holder, *, on_this_device: bool = False, **claims: object
) -> dict:
    """Options to make a user-verified passkey for `holder` (refused by the one rule), with
    `on_this_device` on the device's own (platform) authenticator; `claims` are bound into the
    state (the session, the account)."""
    may_add_passkey(holder)
    attachment = AuthenticatorAttachment.PLATFORM if on_this_device else None
    options = generate_registration_options(
        rp_id=_rp_id(),
        rp_name=realm.rp_name,
        user_id=holder.user_handle,
        user_name=holder.name,
        user_display_name=holder.name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=attachment,
            resident_key=realm.resident_key,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=cid) for cid in holder.credentials],
        timeout=CHALLENGE_SECONDS * 1000,
    )
    return _answer(realm, "register", options, claims)


def authentication_options(
    realm: Realm, credentials: list[bytes] | None = None, **claims: object
) -> dict:
    """Options to use a passkey: one of `credentials`, or (none given) any of this site's."""
    options = generate_authentication_options(
        rp_id=_rp_id(),
        allow_credentials=[PublicKeyCredentialDescriptor(id=cid) for cid in credentials or ()],
        user_verification=UserVerificationRequirement.REQUIRED,
        timeout=CHALLENGE_SECONDS * 1000,
    )
    return _answer(realm, "login", options, claims)


def spend(realm: Realm, state: object, purpose: str | None = None) -> dict:
    """The claims of a ceremony state (with its `mode`), spent now: a second use, a stale or
    forged one, or one of another realm or purpose than `purpose` is refused."""
    expired = Invalid("passkey_expired")
    kind, _, token = state.partition(".") if isinstance(state, str) else ("", "", "")
    if kind not in PURPOSES or purpose not in (None, kind):
        raise expired
    try:
        claims = _serializer(realm, kind).loads(token, max_age=CHALLENGE_SECONDS)
    except BadSignature:
        raise expired from None
    try:
        with db.session.begin_nested():  # a used id undoes this row alone
            expires = clock.now() + timedelta(seconds=CHALLENGE_SECONDS)
            db.session.add(UsedToken(id=claims["jti"], expires_at=expires))
    except IntegrityError:  # spent already, maybe by a request racing this one
        raise expired from None
    commit_now(db.session)  # spent even if what follows fails: no second try on one challenge
    return {**claims, "mode": kind}


def verify_registration(claims: dict, credential: object, holder: Holder) -> dict:
    """The columns of the new passkey (PasskeyColumns) once the attestation matches our
    challenge, RP_ID and origin with user verification; the one rule is checked again, as a
    passkey may have been made meanwhile by another session."""
    may_add_passkey(holder)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(claims["challenge"]),
            expected_rp_id=_rp_id(),
            expected_origin=_origins(),
            require_user_verification=True,
        )
        transports = (credential.get("response") or {}).get("transports") or []
    except UNVERIFIED:
        raise Invalid("passkey_refused") from None
    return {
        "credential_id": verified.credential_id,
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
        "transports": ",".join(str(item) for item in transports)[:100],
        "backup_eligible": verified.credential_device_type == "multi_device",
        "backup_state": verified.credential_backed_up,
        "created_at": clock.now(),
    }


def store(row: Row) -> Row:
    """Keep a new passkey row; a credential stored already (by anyone) is refused."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise Invalid("passkey_refused") from None
    return row


def verify_authentication(
    claims: dict, credential: object, find: Callable[[bytes, bytes | None], Row | None]
) -> Row:
    """The passkey that signed our challenge (user-verified, its sign count grown), found by
    `find(credential id, user handle)` among the realm's own; its use is recorded."""
    try:
        parsed = parse_authentication_credential_json(credential)
    except UNVERIFIED:
        raise Invalid("passkey_refused") from None
    passkey = find(parsed.raw_id, parsed.response.user_handle)
    if passkey is None:
        raise Invalid("passkey_refused")
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=base64url_to_bytes(claims["challenge"]),
            expected_rp_id=_rp_id(),
            expected_origin=_origins(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except UNVERIFIED:  # a sign count that did not grow lands here: a cloned key
        raise Invalid("passkey_refused") from None
    passkey.sign_count = verified.new_sign_count
    passkey.backup_state = verified.credential_backed_up
    passkey.last_used_at = clock.now()
    return passkey


def tell_new_passkey(
    realm: Realm,
    mobile: str | None,
    user_agent: str,
    *,
    person_id: int | None = None,
    device_key: str = "",
) -> None:
    """Tell the person a passkey was added: an SMS to `mobile` once the request commits and,
    with `person_id`, a notice to their app's devices but the one named by `device_key`."""
    now = clock.now()
    device = known_name(user_agent)
    if person_id is not None:
        at = clock.as_tehran(now).isoformat()
        new = {"event": "passkey", "device": device, "at": at, "device_key": device_key}
        db.session.add(
            OutboxEvent(kind="sign_in", person_id=person_id, old=None, new=new, created_at=now)
        )
    sms = backend_from_config(current_app.config)
    tell_by_sms(sms, mobile, _new_passkey_text(realm, device, now))


def _new_passkey_text(realm: Realm, device: str, at: datetime) -> str:
    """The SMS about a new passkey: where, on what, when, and what to do if it wasn't them."""
    return gettext(
        "Darman: a passkey was added for signing in to %(where)s on %(device)s at %(time)s. "
        "If it wasn't you, call 1420.",
        where=realm.where(),
        device=device or gettext("Unknown device"),
        time=number(clock.as_tehran(at).strftime("%H:%M")),
    )


def tell_by_sms(sms: SmsBackend, mobile: str | None, text: str) -> None:
    """Send `text` to `mobile` once the request commits; a lost SMS is logged (what it tells
    of is committed already and stands)."""
    if not mobile:
        return

    def send() -> None:
        """Hand it to the backend."""
        try:
            sms.send_text(mobile, text)
        except SmsDeliveryError:
            log.warning("passkey SMS not delivered")

    after_commit(db.session, send)
