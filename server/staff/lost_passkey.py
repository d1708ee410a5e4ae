"""A lost device: staff remove a person's passkeys of one realm, so that they can make a new one.

A person who has a passkey adds another only with it (`server/auth/webauthn.py`); whoever lost
every device with one comes to an SSO branch (a staff member, to the console's administrator).
After an identity document is seen, the passkeys of that realm are removed and the realm's
sessions end; the next SMS sign-in may make a first passkey again. The person's mobile is told
by SMS once it is committed, and the action is audited in the same unit of work.
"""

from flask_babel import gettext
from sqlalchemy import delete, select, update
from sqlalchemy.orm import InstrumentedAttribute

from .. import clock
from ..auth import webauthn
from ..auth.sms import SmsBackend
from ..domain.refusal import Invalid
from ..extensions import db
from ..models import (
    Account,
    DeviceSession,
    MemberPasskey,
    MemberSession,
    Passkey,
    Person,
    Staff,
    StaffPasskey,
    StaffSession,
)
from . import audit
from .branch import DOCUMENT_KINDS

REALMS = {"citizen": webauthn.CITIZEN, "centre": webauthn.CENTRE}  # what a branch may reset


def _remove(
    passkey_owner: InstrumentedAttribute, session_owner: InstrumentedAttribute, owner_id: int
) -> tuple[int, int]:
    """Delete the passkeys whose `passkey_owner` is `owner_id` and end the live sessions whose
    `session_owner` is: how many of each."""
    removed = db.session.execute(delete(passkey_owner.class_).where(passkey_owner == owner_id))
    sessions = session_owner.class_
    ended = db.session.execute(
        update(sessions)
        .where(session_owner == owner_id, sessions.ended_at.is_(None))
        .values(ended_at=clock.now())
    )
    return removed.rowcount, ended.rowcount


def _revoke_citizen(person_id: int) -> tuple[int, int]:
    """Remove the person's app passkeys and sign out their devices: (passkeys, sessions)."""
    account_id = db.session.scalar(select(Account.id).where(Account.person_id == person_id))
    if account_id is None:
        return 0, 0
    return _remove(Passkey.account_id, DeviceSession.account_id, account_id)


def _revoke_centre(person_id: int) -> tuple[int, int]:
    """Remove the person's passkeys in the web for centres and end their sessions there."""
    return _remove(MemberPasskey.person_id, MemberSession.person_id, person_id)


def let_person_enrol_again(
    person: Person, realm: str, document_kind: str, document_number: str, sms: SmsBackend
) -> int:
    """Remove `person`'s passkeys in `realm` (citizen or centre) after seeing their identity
    document; audited, their mobile told. How many passkeys were removed (refused: none)."""
    if realm not in REALMS:
        raise Invalid("passkey_realm", field="realm")
    if document_kind not in DOCUMENT_KINDS or not document_number.strip():
        raise Invalid("document_required", field="document_number")
    revoke = _revoke_citizen if realm == "citizen" else _revoke_centre
    removed, ended = revoke(person.id)
    if removed == 0:
        raise Invalid("no_passkeys", field="realm")
    audit.record(
        "passkeys_revoked",
        person_id=person.id,
        subject=f"person:{person.id}",
        realm=realm,
        document_kind=document_kind,
        document_number=document_number.strip()[:40],
        passkeys=removed,
        sessions_ended=ended,
    )
    _tell(person.mobile, REALMS[realm], sms)
    return removed


def let_staff_enrol_again(staff: Staff, sms: SmsBackend, by: str) -> int:
    """Remove a staff member's passkeys and end their console sessions (the administrator's
    action, `by` whom); audited, their mobile told. How many passkeys were removed."""
    removed, ended = _remove(StaffPasskey.staff_id, StaffSession.staff_id, staff.id)
    audit.record(
        "passkeys_revoked",
        subject=f"staff:{staff.id}",
        realm="staff",
        passkeys=removed,
        sessions_ended=ended,
        by=by,
    )
    _tell(staff.mobile, webauthn.STAFF, sms)
    return removed


def _tell(mobile: str | None, realm: webauthn.Realm, sms: SmsBackend) -> None:
    """The SMS, once committed: the passkeys are gone, a new one follows an SMS sign-in."""
    text = gettext(
        "Darman: at your request, the passkeys of your national code for %(where)s were "
        "removed at SSO. Sign in with an SMS code to make a new one. If you did not ask for "
        "this, call 1420.",
        where=realm.where(),
    )
    webauthn.tell_by_sms(sms, mobile, text)
