"""Members' passkeys: a thin blueprint over the WebAuthn kit (`server/auth/webauthn.py`).

After the SMS code a member makes a first passkey, or uses theirs, and the session may then
write. Another passkey (`{"new_device": true}`) is made only from a session confirmed with one
of theirs (the kit's one rule), and the person's mobile and app are told. A member's passkeys
are their own table, apart from the citizen's.
"""

import hashlib
import hmac
from datetime import timedelta

from flask import Blueprint, current_app, request
from sqlalchemy import select

from .. import clock
from ..auth import webauthn
from ..domain.refusal import Invalid, Unauthorized
from ..extensions import db
from ..models import MemberPasskey, MemberSession, Person
from . import sessions

bp = Blueprint("centre_passkeys", __name__, url_prefix="/centre/passkey")

# A first passkey may be added only this soon after the SMS code confirmed the person.
FIRST_PASSKEY_WINDOW = timedelta(minutes=10)


def _user_handle(person_id: int) -> bytes:
    """A stable handle for the person that carries no national code."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"centre-member:{person_id}".encode(), hashlib.sha256).digest()


def _signed_in() -> sessions.SignedInMember:
    """The member of this request; 401 when the session has ended."""
    member = sessions.current()
    if member is None:
        raise Unauthorized("sign_in_required")
    return member


def _holder(member: sessions.SignedInMember) -> webauthn.Holder:
    """The member as the kit knows a passkey's holder."""
    return webauthn.holder(
        MemberPasskey.person_id,
        member.person_id,
        _user_handle(member.person_id),
        member.name,
        confirmed=member.has_passkey_session,
    )


@bp.post("/options")
def options():
    """Sign-in options for the person's own passkeys; registration options for a first one, or
    for one on a new device (`{"new_device": true}`, from a session confirmed by a passkey)."""
    member = _signed_in()
    holder = _holder(member)
    body = request.get_json(silent=True)
    new_device = isinstance(body, dict) and body.get("new_device") is True
    if holder.credentials and not new_device:
        return webauthn.authentication_options(
            webauthn.CENTRE, holder.credentials, session=member.session_id
        )
    return webauthn.registration_options(
        webauthn.CENTRE, holder, on_this_device=new_device, session=member.session_id
    )


@bp.post("/verify")
def verify():
    """Check the new credential or the assertion; the session may write from now on."""
    member = _signed_in()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("passkey_refused")
    claims = webauthn.spend(webauthn.CENTRE, body.get("state"))
    if claims.get("session") != member.session_id:
        raise Invalid("passkey_refused")
    if claims["mode"] == "register":
        _register(member, body.get("credential"), claims)
    else:
        webauthn.verify_authentication(claims, body.get("credential"), _own(member.person_id))
    sessions.confirm_with_passkey(member.session_id)
    return {"confirmed": True}


def _register(member: sessions.SignedInMember, credential: object, claims: dict) -> None:
    """Keep a new passkey, made soon after the SMS code confirmed the person; tell them."""
    started = db.session.get(MemberSession, member.session_id).created_at
    if clock.as_utc(started) < clock.now() - FIRST_PASSKEY_WINDOW:
        raise Unauthorized("reauthentication_required")
    columns = webauthn.verify_registration(claims, credential, _holder(member))
    webauthn.store(MemberPasskey(person_id=member.person_id, last_used_at=clock.now(), **columns))
    webauthn.tell_new_passkey(
        webauthn.CENTRE,
        db.session.get(Person, member.person_id).mobile,
        request.headers.get("User-Agent", ""),
        person_id=member.person_id,
    )


def _own(person_id: int):
    """Finds one of this person's member passkeys by credential id."""

    def find(credential_id: bytes, user_handle: bytes | None) -> MemberPasskey | None:
        """The person's passkey with this id, if there is one."""
        return db.session.scalar(
            select(MemberPasskey).where(
                MemberPasskey.credential_id == credential_id,
                MemberPasskey.person_id == person_id,
            )
        )

    return find
