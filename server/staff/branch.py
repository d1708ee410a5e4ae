"""The branch registers a person's new mobile after seeing an identity document.

Both numbers are told by SMS once the change is committed, every session of the person in every
realm is ended (citizen devices, centre and staff sessions: all signed in on the old number),
and the change is audited in the same unit of work. Refusals (`Invalid`, with the form's
`field`) change nothing.

A person's pages are reached only through the search by national code: it links to them with a
short-lived signed token made for the staff member who searched (`link_to`), never a bare id,
and every view of them is audited.
"""

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext, lazy_gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from .. import clock
from ..auth.sms import SmsBackend, SmsDeliveryError
from ..auth.webauthn import ClockSigner
from ..database import after_commit
from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.refusal import Invalid
from ..extensions import db
from ..models import Account, DeviceSession, MemberSession, Person, Staff, StaffSession
from . import audit

DOCUMENT_KINDS = {
    "national_card": lazy_gettext("National identity card"),
    "birth_certificate": lazy_gettext("Birth certificate"),
    "passport": lazy_gettext("Passport"),
    "foreign_national_card": lazy_gettext("Foreign national's card"),
}


log = logging.getLogger(__name__)

# How long a person's pages stay open after the search found them: one visit at the counter.
LINK_SECONDS = 30 * 60


@dataclass(frozen=True)
class PersonCard:
    """What the branch may see of a person: never their health record."""

    id: int
    name: str
    birth_date: date | None
    masked_mobile: str | None
    deceased: bool


def mask(mobile: str | None) -> str | None:
    """0912***4567: enough to recognise, not enough to copy (asterisks, not dots: in Persian
    digits a dot reads as a zero)."""
    if not mobile:
        return None
    return f"{mobile[:4]}***{mobile[-4:]}"


def card(person: Person) -> PersonCard:
    """The person as the branch sees them."""
    return PersonCard(
        person.id,
        f"{person.first_name} {person.last_name}",
        person.birth_date,
        mask(person.mobile),
        person.death_date is not None,
    )


def find(national_code: str) -> Person | None:
    """The registry person with this (normalised) national code."""
    return db.session.scalar(select(Person).where(Person.national_code == national_code))


# Arabic letters people type for Persian ones, and the ZWNJ typed or not: names match either way.
_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه"})
NAME_RESULTS = 20  # a name search lists at most this many people


def _name_prefix(typed: str) -> str:
    """A typed name as a LIKE prefix: Persian letters, one space, wildcards escaped."""
    name = " ".join(typed.translate(_LETTERS).split())
    return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_by_name(first_name: str, last_name: str) -> list[Person]:
    """The registry people whose first and last names start as typed, by surname, name and
    birth date; at most NAME_RESULTS + 1 (one more tells the list is cut)."""
    return list(
        db.session.scalars(
            select(Person)
            .where(
                Person.first_name.like(_name_prefix(first_name), escape="\\"),
                Person.last_name.like(_name_prefix(last_name), escape="\\"),
            )
            .order_by(Person.last_name, Person.first_name, Person.birth_date, Person.id)
            .limit(NAME_RESULTS + 1)
        )
    )


def _links(secret: str) -> URLSafeTimedSerializer:
    """Signs the links from the search to a person's pages: no other token passes for one."""
    return URLSafeTimedSerializer(secret, salt="staff:branch-person", signer=ClockSigner)


def link_to(person: Person, staff_id: int, secret: str) -> str:
    """A short-lived signed token naming the person found, good for this staff member only:
    a person's pages are reached through the search by national code, never by an id."""
    return _links(secret).dumps({"person": person.id, "staff": staff_id})


def person_of(token: str, staff_id: int, secret: str) -> Person | None:
    """The person a link names, while it holds (LINK_SECONDS) and for the staff member it was
    made for; None for a bare id, a changed or an old link."""
    try:
        claims = _links(secret).loads(token, max_age=LINK_SECONDS)
    except BadSignature:  # an expired link is one too
        return None
    if not isinstance(claims, dict) or claims.get("staff") != staff_id:
        return None
    person_id = claims.get("person")
    return db.session.get(Person, person_id) if isinstance(person_id, int) else None


def change_mobile(
    person: Person, typed_mobile: str, document_kind: str, document_number: str, sms: SmsBackend
) -> tuple[str | None, str]:
    """Register `typed_mobile` as the person's mobile; both numbers are texted through `sms`
    once the request commits. A refusal changes nothing. The old and the new mobile."""
    try:
        mobile = normalise_mobile(typed_mobile)
    except InvalidMobile:
        raise Invalid("staff_invalid_mobile", field="mobile") from None
    if person.death_date is not None:
        raise Invalid("person_deceased", field="mobile")
    if mobile == person.mobile:
        raise Invalid("same_mobile", field="mobile")
    if document_kind not in DOCUMENT_KINDS or not document_number.strip():
        raise Invalid("document_required", field="document_number")
    old = person.mobile
    person.mobile = mobile
    ended = _end_sessions(person)
    audit.record(
        "mobile_changed",
        person_id=person.id,
        subject=f"person:{person.id}",
        document_kind=document_kind,
        document_number=document_number.strip()[:40],
        old_mobile=mask(old),
        new_mobile=mask(mobile),
        sessions_ended=ended,
    )
    db.session.flush()
    after_commit(db.session, lambda: tell_both(old, mobile, sms))
    return old, mobile


def _end_sessions(person: Person) -> int:
    """Sign the person out everywhere — their devices (citizen), their centre sessions and, if
    they are staff, their console sessions — as all were signed in on the old number; how many
    sessions were live."""
    now = clock.now()
    accounts = select(Account.id).where(Account.person_id == person.id)
    staff = select(Staff.id).where(Staff.national_code == person.national_code)
    ended = 0
    for table, owner in (
        (DeviceSession, DeviceSession.account_id.in_(accounts)),
        (MemberSession, MemberSession.person_id == person.id),
        (StaffSession, StaffSession.staff_id.in_(staff)),
    ):
        ending = {"ended_at": now}
        if table is DeviceSession:  # the citizen's open app says why it was signed out
            ending["end_reason"] = "mobile_changed"
        result = db.session.execute(
            update(table).where(owner, table.ended_at.is_(None)).values(**ending)
        )
        ended += result.rowcount
    return ended


def tell_both(old: str | None, new: str, backend: SmsBackend) -> None:
    """SMS to the new number and to the old one (after the commit: a lost SMS undoes nothing)."""
    messages = [(new, _welcome_text())]
    if old:
        messages.append((old, _warning_text()))
    for mobile, text in messages:
        try:
            backend.send_text(mobile, text)
        except SmsDeliveryError:
            log.warning("branch SMS not delivered")


def _welcome_text() -> str:
    """The SMS to the new number."""
    return gettext(
        "Darman: this number is now registered for your national code at an SSO branch. "
        "You can sign in to the app with it."
    )


def _warning_text() -> str:
    """The SMS to the old number: a change someone did not ask for is a reason to call 1420."""
    return gettext(
        "Darman: at your request, a new mobile number was registered for your national code "
        "at an SSO branch. If you did not ask for this, call 1420."
    )
