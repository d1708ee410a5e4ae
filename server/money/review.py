"""The month's review of a centre's claims by SSO's claims staff (کسورات): a line's accepted
share reduced by a deduction, or the line rejected, each with a reason; then the month closed,
its final payment frozen: the SSO share accepted on the days a contract covered, minus the
advances the nightly settlement already paid for them (negative: the centre was advanced more
than was accepted, and owes the difference).

A month is a Jalali month (what people see); its row keeps its Gregorian first and last day, so
lines and settlements are found by range. Every change takes the month's row `FOR UPDATE` and
checks it is open (a closed month is never changed); closing is an `UPDATE … WHERE status =
'open'`, so of two closings at once one closes and the other is refused. Only lines on days a
contract covered are payable, as the settlement lists them (`not_contracted`).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, select, update

from .. import clock
from ..domain.jalali import jalali_date, month_length, to_jalali_month
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import ClaimLine, ClaimMonth, Contract, Provider, SettledDay, Settlement
from .contracts import covering

QUEUE_PAGE = 50
LINES_PAGE = 100
MAX_REASON = 500


@dataclass(frozen=True)
class Month:
    """A Jalali month and its Gregorian days."""

    year: int
    month: int
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Figures:
    """A centre's month in rials: SSO's share of the payable lines, what the review deducted,
    what is accepted, the advances paid, the final payment, and SSO's share of lines not
    payable (days without a contract)."""

    sso_share: int
    deducted: int
    accepted: int
    advances: int
    payable: int
    not_payable: int


def month(year: int, number: int) -> Month:
    """The Jalali month `year/number`; NotFound when there is none such."""
    try:
        length = month_length(year, number)
    except ValueError:
        raise NotFound("unknown_month") from None
    return Month(year, number, jalali_date(year, number, 1), jalali_date(year, number, length))


def month_of_day(day: date) -> Month:
    """The Jalali month a day falls in."""
    return month(*to_jalali_month(day))


def payable_line():
    """The SQL condition: a claim line on a day a contract of its centre covered."""
    return exists().where(
        Contract.provider_id == ClaimLine.provider_id, covering(ClaimLine.service_date)
    )


def _in_month(provider_id: int, span: Month):
    """The SQL condition: a line of this centre in this month."""
    return and_(
        ClaimLine.provider_id == provider_id,
        ClaimLine.service_date >= span.first_day,
        ClaimLine.service_date <= span.last_day,
    )


def review_row(provider_id: int, span: Month) -> ClaimMonth | None:
    """The month's review row, if it was opened."""
    return db.session.scalar(
        select(ClaimMonth).where(
            ClaimMonth.provider_id == provider_id,
            ClaimMonth.year == span.year,
            ClaimMonth.month == span.month,
        )
    )


def _open_locked(provider_id: int, span: Month, by: int | None) -> ClaimMonth:
    """The month's row locked for this change, made on the first; Conflict once closed. The
    centre's row is locked first, so that two first changes at once make one row."""
    if db.session.get(Provider, provider_id, with_for_update=True) is None:
        raise NotFound("unknown_centre")
    row = db.session.scalar(
        select(ClaimMonth)
        .where(
            ClaimMonth.provider_id == provider_id,
            ClaimMonth.year == span.year,
            ClaimMonth.month == span.month,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        row = ClaimMonth(
            provider_id=provider_id, year=span.year, month=span.month,
            first_day=span.first_day, last_day=span.last_day, status="open",
            opened_at=clock.now(), opened_by=by,
        )  # fmt: skip
        db.session.add(row)
        db.session.flush()
    if row.status != "open":
        raise Conflict("month_closed")
    return row


def _reason(reason: str | None) -> str:
    """The reason, its spaces tidied; refused when there is none or it is too long."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("review_reason_required", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid("review_reason_too_long", field="reason", words={"most": MAX_REASON})
    return reason


def _line(provider_id: int, span: Month, line_id: int | None) -> ClaimLine:
    """The centre's payable line in this month; refused (beside the line's field) otherwise:
    unknown, another centre's or month's, or on a day without a contract."""
    found = None
    if line_id is not None and 0 < line_id < 2**31:
        found = db.session.scalar(
            select(ClaimLine).where(ClaimLine.id == line_id, _in_month(provider_id, span))
        )
    if found is None:
        raise Invalid("unknown_claim_line", field="line")
    if not db.session.scalar(select(payable_line()).where(ClaimLine.id == found.id)):
        raise Invalid("claim_line_not_payable", field="line")
    return found


def deduct(
    provider_id: int, span: Month, line_id: int | None, amount: int | None, reason: str | None,
    by: int | None,
) -> ClaimLine:  # fmt: skip
    """Deduct `amount` rials from a line's SSO share, with a reason (flushed). Nothing is
    written when refused: the checks come before the change."""
    reason = _reason(reason)
    if amount is None or amount < 1:
        raise Invalid("deduction_not_positive", field="amount")
    line = _line(provider_id, span, line_id)
    if amount > line.sso_share:
        raise Invalid("deduction_above_share", field="amount", words={"share": line.sso_share})
    _open_locked(provider_id, span, by)
    line.deducted, line.status, line.review_reason = amount, "reduced", reason
    db.session.flush()
    return line


def reject(
    provider_id: int, span: Month, line_id: int | None, reason: str | None, by: int | None
) -> ClaimLine:
    """Reject a line with a reason: SSO pays none of its share (flushed)."""
    reason = _reason(reason)
    line = _line(provider_id, span, line_id)
    _open_locked(provider_id, span, by)
    line.deducted, line.status, line.review_reason = line.sso_share, "rejected", reason
    db.session.flush()
    return line


def figures(provider_id: int, span: Month) -> Figures:
    """The month's figures as the lines and settlements hold them now."""
    payable = payable_line()
    sso, deducted, not_payable = db.session.execute(
        select(
            func.coalesce(func.sum(ClaimLine.sso_share).filter(payable), 0),
            func.coalesce(func.sum(ClaimLine.deducted).filter(payable), 0),
            func.coalesce(func.sum(ClaimLine.sso_share).filter(~payable), 0),
        ).where(_in_month(provider_id, span))
    ).one()
    advances = db.session.scalar(
        select(func.coalesce(func.sum(Settlement.advance), 0)).where(
            Settlement.provider_id == provider_id,
            Settlement.day >= span.first_day,
            Settlement.day <= span.last_day,
        )
    )
    sso, deducted, advances = int(sso), int(deducted), int(advances)
    accepted = sso - deducted
    return Figures(sso, deducted, accepted, advances, accepted - advances, int(not_payable))


def unsettled_days(provider_id: int, span: Month) -> list[date]:
    """The month's days with lines of this centre whose settlement has not finished."""
    finished = exists().where(
        SettledDay.day == ClaimLine.service_date, SettledDay.finished_at.is_not(None)
    )
    return list(
        db.session.scalars(
            select(ClaimLine.service_date)
            .where(_in_month(provider_id, span), ~finished)
            .distinct()
            .order_by(ClaimLine.service_date)
        )
    )


def close(provider_id: int, span: Month, by: int | None) -> tuple[ClaimMonth, Figures]:
    """Close the month and freeze its figures (flushed). Refused before the month has ended,
    while one of its days is not settled, and once closed (of two closings, one wins)."""
    if clock.today() <= span.last_day:
        raise Conflict("month_not_over")
    if unsettled_days(provider_id, span):
        raise Conflict("month_not_settled")
    row = _open_locked(provider_id, span, by)
    closed = db.session.execute(
        update(ClaimMonth)
        .where(ClaimMonth.id == row.id, ClaimMonth.status == "open")
        .values(status="closed", closed_at=clock.now(), closed_by=by)
    )
    if closed.rowcount != 1:
        raise Conflict("month_closed")
    found = figures(provider_id, span)
    db.session.execute(
        update(ClaimLine)
        .where(_in_month(provider_id, span), ClaimLine.status == "open", payable_line())
        .values(status="accepted")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ClaimMonth)
        .where(ClaimMonth.id == row.id)
        .values(accepted=found.accepted, advances=found.advances, payable=found.payable)
    )
    db.session.refresh(row)
    return row, found


def lines(provider_id: int, span: Month, page: int = 1) -> tuple[list[tuple], int]:
    """A page of the month's lines (each with whether it is payable), and how many there are."""
    payable = payable_line().label("payable")
    where = _in_month(provider_id, span)
    total = db.session.scalar(select(func.count()).select_from(ClaimLine).where(where))
    rows = db.session.execute(
        select(ClaimLine, payable)
        .where(where)
        .order_by(ClaimLine.service_date, ClaimLine.id)
        .limit(LINES_PAGE)
        .offset((page - 1) * LINES_PAGE)
    ).all()
    return [tuple(row) for row in rows], total


def deductions(provider_id: int, first: date, last: date) -> list[ClaimLine]:
    """The lines of these days the review reduced or rejected, by day."""
    return list(
        db.session.scalars(
            select(ClaimLine)
            .where(
                ClaimLine.provider_id == provider_id,
                ClaimLine.service_date >= first,
                ClaimLine.service_date <= last,
                ClaimLine.status.in_(("reduced", "rejected")),
            )
            .order_by(ClaimLine.service_date, ClaimLine.id)
        )
    )
