"""Centres' contracts with SSO: a centre is contracted on a day iff one of its contracts covers
that day. Contracts of one centre never overlap (a second one is refused, so that each day has
one contract to answer for it)."""

from datetime import date

from sqlalchemy import exists, or_, select

from .. import clock
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Contract, Provider, in_force


def covering(day: date):
    """The SQL condition: a contract row that covers `day`."""
    return in_force(Contract.valid_from, Contract.valid_until, day)


def contracted_on(provider_id: int, day: date) -> bool:
    """Whether a contract of this centre covers the day."""
    return bool(
        db.session.scalar(
            select(exists().where(Contract.provider_id == provider_id, covering(day)))
        )
    )


def make_contract(
    provider_id: int, valid_from: date, valid_until: date | None = None, by: int | None = None
) -> Contract:
    """A contract of this centre over these days (flushed); `by` is the approving staff member.
    Refused when the span is empty or overlaps another contract of the centre."""
    if db.session.get(Provider, provider_id, with_for_update=True) is None:
        raise NotFound("unknown_centre")  # locked: two approvals at once cannot both overlap
    if valid_until is not None and valid_until < valid_from:
        raise Invalid("contract_ends_before_it_starts", field="valid_until")
    last_day = valid_until or date.max
    overlapping = select(Contract.id).where(
        Contract.provider_id == provider_id,
        Contract.valid_from <= last_day,
        or_(Contract.valid_until.is_(None), Contract.valid_until >= valid_from),
    )
    if db.session.scalar(overlapping.limit(1)) is not None:
        raise Conflict("contract_overlaps")
    contract = Contract(
        provider_id=provider_id,
        valid_from=valid_from,
        valid_until=valid_until,
        made_at=clock.now(),
        made_by=by,
    )
    db.session.add(contract)
    db.session.flush()
    return contract
