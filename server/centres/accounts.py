"""Operations on centres and their members: create, approve, reject, suspend; add and remove.

Operations take plain values, change rows and flush; they raise the refusals of
`server/domain/refusal.py` (their texts: `refusal_texts.py`), and the request (or the command)
commits. The staff console calls `approve_centre`, `reject_centre` and `suspend_centre` as the
CLI does; the SMS to the centre's admins goes once the decision is committed.
"""

from dataclasses import dataclass

from sqlalchemy import select, update

from .. import clock
from ..database import after_commit
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import (
    MEMBER_ROLES,
    PROVIDER_KINDS,
    CentreMember,
    MemberSession,
    Person,
    Provider,
    ProviderToken,
)
from ..money import contracts


@dataclass(frozen=True)
class MemberPerson:
    """A registry person found by national code and mobile."""

    id: int
    first_name: str
    last_name: str


def find_person(national_code: str, mobile: str) -> MemberPerson:
    """The registry person with this national code whose mobile matches; else a refusal."""
    person = db.session.execute(
        select(Person.id, Person.first_name, Person.last_name, Person.mobile).where(
            Person.national_code == national_code
        )
    ).first()
    if person is None or person.mobile != mobile:
        raise Conflict("member_mobile_mismatch", field="mobile")
    return MemberPerson(person.id, person.first_name, person.last_name)


def create_centre(
    name: str,
    kind: str,
    *,
    city: str = "",
    address: str = "",
    licence_number: str | None = None,
    contracted: bool = False,
    sso_owned: bool = False,
    public: bool = False,
    contract_requested: bool = False,
    status: str = "active",
) -> Provider:
    """A new centre (active unless it must wait for approval); `contracted`: with a contract from
    today."""
    if kind not in PROVIDER_KINDS:
        raise Invalid("unknown_kind", field="kind")
    centre = Provider(
        name=name,
        kind=kind,
        city=city,
        address=address,
        licence_number=licence_number,
        sso_owned=sso_owned,
        public=public,
        contract_requested=contract_requested,
        status=status,
        created_at=clock.now(),
        approved_at=clock.now() if status == "active" else None,
    )
    db.session.add(centre)
    db.session.flush()
    if contracted:
        contracts.make_contract(centre.id, clock.today())
    return centre


def _centre(centre_id: int) -> Provider:
    """The centre with this id; else a refusal."""
    centre = db.session.get(Provider, centre_id)
    if centre is None:
        raise NotFound("unknown_centre")
    return centre


def approve_centre(centre_id: int, by: int | None = None) -> Provider:
    """Activate a pending (or suspended) centre and text its admins; `by` is the staff member."""
    from . import notices

    centre = _centre(centre_id)
    if centre.status == "active":
        return centre
    centre.status, centre.approved_at, centre.rejection_reason = "active", clock.now(), None
    centre.approved_by = by
    db.session.flush()
    after_commit(db.session, lambda: notices.approved(centre))
    return centre


def reject_centre(centre_id: int, reason: str) -> Provider:
    """Refuse a pending registration, with the reason, and text it to the centre's admins.

    The centre stays suspended, never approved (`Provider.rejected`), and its people cannot
    sign in to it.
    """
    from . import notices

    centre = _centre(centre_id)
    if centre.status != "pending":
        raise Conflict("rejection_not_pending")
    centre.status, centre.rejection_reason = "suspended", reason[:500]
    _end_everything(centre.id)
    db.session.flush()
    after_commit(db.session, lambda: notices.rejected(centre))
    return centre


def suspend_centre(centre_id: int, reason: str | None = None) -> Provider:
    """Stop a centre at once: its tokens are revoked and its members' sessions ended."""
    centre = _centre(centre_id)
    centre.status = "suspended"
    if reason:
        centre.rejection_reason = reason[:500]
    _end_everything(centre.id)
    db.session.flush()
    return centre


def _end_everything(centre_id: int) -> None:
    """Revoke the centre's live tokens and end its members' live sessions."""
    now = clock.now()
    db.session.execute(
        update(ProviderToken)
        .where(ProviderToken.provider_id == centre_id, ProviderToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    members = select(CentreMember.id).where(CentreMember.provider_id == centre_id)
    db.session.execute(
        update(MemberSession)
        .where(MemberSession.member_id.in_(members), MemberSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def add_member(
    centre_id: int,
    person_id: int,
    role: str,
    *,
    is_admin: bool = False,
    medical_council_number: str | None = None,
    specialty: str | None = None,
) -> CentreMember:
    """Add a person to a centre in a role; a person is a member of a centre once."""
    if role not in MEMBER_ROLES:
        raise Invalid("unknown_role", field="role")
    existing = db.session.scalar(
        select(CentreMember).where(
            CentreMember.provider_id == centre_id,
            CentreMember.person_id == person_id,
            CentreMember.removed_at.is_(None),
        )
    )
    if existing is not None:
        raise Conflict("already_member", field="national_code")
    member = CentreMember(
        provider_id=centre_id,
        person_id=person_id,
        role=role,
        is_admin=is_admin or role == "admin",
        medical_council_number=medical_council_number,
        specialty=specialty,
        created_at=clock.now(),
    )
    db.session.add(member)
    db.session.flush()
    return member


def remove_member(centre_id: int, member_id: int) -> None:
    """Remove a member of this centre; their sessions end at once. The last admin stays."""
    member = db.session.get(CentreMember, member_id)
    if member is None or member.provider_id != centre_id or member.removed_at is not None:
        raise NotFound("unknown_member")
    if member.is_admin and _admins(centre_id) <= 1:
        raise Conflict("last_admin")
    now = clock.now()
    member.removed_at = now
    db.session.execute(
        update(MemberSession)
        .where(MemberSession.member_id == member.id, MemberSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    db.session.flush()


def _admins(centre_id: int) -> int:
    """How many present members of the centre are administrators."""
    return len(
        db.session.scalars(
            select(CentreMember.id).where(
                CentreMember.provider_id == centre_id,
                CentreMember.is_admin.is_(True),
                CentreMember.removed_at.is_(None),
            )
        ).all()
    )
