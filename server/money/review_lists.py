"""What SSO's claims staff see across centres: a day's settlement totals, and the month's review
queue — each centre with payable settled days in a Jalali month not yet closed, the oldest month
first, a page at a time."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, exists, func, select

from ..extensions import db
from ..models import ClaimMonth, Provider, SettledDay, Settlement
from .review import QUEUE_PAGE, Month, month_of_day


@dataclass(frozen=True)
class DayTotals:
    """A day's settlement over every centre (rials); `finished` None when it never began."""

    day: date
    finished: bool | None
    centres: int
    lines: int
    sso_share: int
    advance: int
    held: int
    not_payable: int
    not_payable_centres: int


@dataclass(frozen=True)
class Waiting:
    """A centre's month waiting for its review."""

    month: Month
    provider_id: int
    name: str
    days: int
    sso_share: int
    advance: int


def day_totals(day: date) -> DayTotals:
    """The day's settlement totals, the not payable (no contract) apart."""
    finished = db.session.scalar(
        select(SettledDay.finished_at.is_not(None)).where(SettledDay.day == day)
    )
    not_payable = case((Settlement.payable, 0), else_=Settlement.sso_share)
    row = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Settlement.lines), 0),
            func.coalesce(func.sum(Settlement.sso_share), 0),
            func.coalesce(func.sum(Settlement.advance), 0),
            func.coalesce(func.sum(Settlement.held), 0),
            func.coalesce(func.sum(not_payable), 0),
            func.coalesce(func.sum(case((Settlement.payable, 0), else_=1)), 0),
        ).where(Settlement.day == day)
    ).one()
    return DayTotals(day, None if finished is None else bool(finished), *(int(v) for v in row))


def settled_days(limit: int = 31) -> list[date]:
    """The latest days whose settlement began, the latest first."""
    return list(
        db.session.scalars(select(SettledDay.day).order_by(SettledDay.day.desc()).limit(limit))
    )


def _months() -> list[Month]:
    """The Jalali months with a settled day, the oldest first."""
    days = db.session.scalars(select(SettledDay.day).order_by(SettledDay.day))
    months: dict[tuple[int, int], Month] = {}
    for day in days:
        span = month_of_day(day)
        months.setdefault((span.year, span.month), span)
    return list(months.values())


def _waiting_in(span: Month):
    """The SELECT of the centres with payable settled days in the month not closed."""
    closed = exists().where(
        ClaimMonth.provider_id == Settlement.provider_id,
        ClaimMonth.year == span.year,
        ClaimMonth.month == span.month,
        ClaimMonth.status == "closed",
    )
    return and_(
        Settlement.day >= span.first_day,
        Settlement.day <= span.last_day,
        Settlement.payable,
        ~closed,
    )


def queue(page: int = 1) -> tuple[list[Waiting], bool]:
    """A page of the review queue (the oldest month first, then by centre), and whether
    there is a next page."""
    skip, wanted, shown = (page - 1) * QUEUE_PAGE, QUEUE_PAGE + 1, []
    for span in _months():
        condition = _waiting_in(span)
        count = db.session.scalar(
            select(func.count(Settlement.provider_id.distinct())).where(condition)
        )
        if skip >= count:
            skip -= count
            continue
        rows = db.session.execute(
            select(
                Settlement.provider_id,
                Provider.name,
                func.count(),
                func.sum(Settlement.sso_share),
                func.sum(Settlement.advance),
            )  # fmt: skip
            .join(Provider, Provider.id == Settlement.provider_id)
            .where(condition)
            .group_by(Settlement.provider_id, Provider.name)
            .order_by(Settlement.provider_id)
            .offset(skip)
            .limit(wanted - len(shown))
        ).all()
        skip = 0
        shown += [Waiting(span, r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows]
        if len(shown) >= wanted:
            break
    return shown[:QUEUE_PAGE], len(shown) > QUEUE_PAGE
