"""Citizens' passkeys: a thin blueprint over the WebAuthn kit (`server/auth/webauthn.py`).

Credentials are discoverable and user-verified, so signing in needs no typing. The first
passkey is added after an SMS sign-in; another one only from a device signed in with a passkey
of the account (the kit's one rule), and the account's other devices and mobile are told.
"""

import secrets

from flask import Blueprint
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import delete, select

from .. import clock
from ..database import commit_now
from ..domain.refusal import Invalid, NotFound
from ..extensions import db
from ..models import Account, Passkey, Person
from ..web.toolkit import operation
from . import sessions, throttle, webauthn
from .schemas import (
    CeremonyOptions,
    PasskeyItem,
    PasskeyList,
    PasskeyLoginRequest,
    PasskeyRegisterRequest,
)
from .views import client_address, me

bp = Blueprint("passkeys", __name__, url_prefix="/api/auth/passkeys")


def _holder(account: Account) -> webauthn.Holder:
    """The signed-in account as the kit knows a passkey's holder."""
    person = db.session.get(Person, account.person_id)
    return webauthn.holder(
        Passkey.account_id,
        account.id,
        account.user_handle,
        f"{person.first_name} {person.last_name}",
        confirmed=current_user.device.method == "passkey",
    )


def _ceremony(answer: dict) -> dict:
    """The options and state, as the citizen's API gives them."""
    return {"options": answer["options"], "state": answer["state"]}


@bp.post("/register/options")
@operation(
    "Options to create a passkey (needs a recent sign-in)",
    response=CeremonyOptions,
    errors=(400, 401),
)
@sessions.recent_sign_in_required
def register_options():
    """A discoverable, user-verified credential for this account; an account that has a passkey
    adds another only from a device signed in with one."""
    account = current_user.account
    holder = _holder(account)
    return _ceremony(webauthn.registration_options(webauthn.CITIZEN, holder, account=account.id))


@bp.post("/register/verify")
@operation(
    "Store the new passkey",
    request_schema=PasskeyRegisterRequest,
    response=PasskeyItem,
    errors=(400, 401),
)
@sessions.recent_sign_in_required
def register_verify(body: PasskeyRegisterRequest):
    """Check the attestation; keep the key; tell the other devices and the mobile."""
    account, device = current_user.account, current_user.device
    claims = webauthn.spend(webauthn.CITIZEN, body.state, "register")
    if claims.get("account") != account.id:
        raise Invalid("passkey_refused")
    columns = webauthn.verify_registration(claims, body.credential, _holder(account))
    name = body.name or gettext("Passkey")
    passkey = webauthn.store(Passkey(account_id=account.id, name=name, **columns))
    mobile = db.session.get(Person, account.person_id).mobile
    webauthn.tell_new_passkey(
        webauthn.CITIZEN,
        mobile,
        device.user_agent,
        person_id=account.person_id,
        device_key=sessions.device_key(device.id),
    )
    return _item(passkey), 201


@bp.post("/login/options")
@operation("Options to sign in with a passkey, without typing anything", response=CeremonyOptions)
def login_options():
    """No allowed-credentials list: the authenticator offers this site's passkeys."""
    return _ceremony(webauthn.authentication_options(webauthn.CITIZEN))


@bp.post("/login/verify")
@operation("Sign in with a passkey", request_schema=PasskeyLoginRequest, errors=(400,))
def login_verify(body: PasskeyLoginRequest):
    """Check the assertion and its sign count, then sign this device in."""
    throttle.count_attempt(client_address(), clock.now())
    commit_now(db.session)  # the attempt counts whatever the answer
    claims = webauthn.spend(webauthn.CITIZEN, body.state, "login")
    passkey = webauthn.verify_authentication(claims, body.credential, _account_passkey)
    sessions.sign_in(db.session.get(Account, passkey.account_id), "passkey")
    return me(), sessions.fresh_csrf_token()


def _account_passkey(credential_id: bytes, user_handle: bytes | None) -> Passkey | None:
    """The citizen passkey with this id, when the handle returned (if any) is its account's."""
    found = db.session.execute(
        select(Passkey, Account.user_handle)
        .join(Account, Account.id == Passkey.account_id)
        .where(Passkey.credential_id == credential_id)
    ).first()
    if found is None:
        return None
    if user_handle is not None and not secrets.compare_digest(user_handle, found.user_handle):
        return None
    return found.Passkey


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
        raise NotFound("passkey_not_found")
    return {"removed": passkey_id}
