"""A centre's statement (issue 25): day by day, its claims — how many, their price, the patients'
shares, SSO's share — and, once settled, the advance paid and what is held; month by month, once
SSO's review closed the month, its deductions with their reasons and the final payment; with its
contracts. Read set-based, one GROUP BY, whatever the span."""

from datetime import date, timedelta

from sqlalchemy import func, select

from .. import clock
from ..domain.refusal import Invalid
from ..extensions import db
from ..models import ClaimLine, ClaimMonth, Contract, Settlement
from .contracts import contracted_on
from .review import deductions

MAX_DAYS = 366  # a year at most in one statement
DEFAULT_DAYS = 31


def span(first: date | None, last: date | None) -> tuple[date, date]:
    """The days asked for: by default the month up to today; refused when backwards or longer
    than a year."""
    last = last or clock.today()
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise Invalid("statement_backwards", field="from")
    if (last - first).days >= MAX_DAYS:
        raise Invalid("statement_too_long", field="from", words={"days": MAX_DAYS})
    return first, last


def statement(provider_id: int, first: date, last: date) -> dict:
    """The centre's days with claims from `first` to `last`, their totals, and its contracts."""
    claimed = db.session.execute(
        select(
            ClaimLine.service_date,
            func.count(),
            func.sum(ClaimLine.price),
            func.sum(ClaimLine.patient_share),
            func.sum(ClaimLine.sso_share),
        )
        .where(
            ClaimLine.provider_id == provider_id,
            ClaimLine.service_date >= first,
            ClaimLine.service_date <= last,
        )
        .group_by(ClaimLine.service_date)
        .order_by(ClaimLine.service_date)
    ).all()
    settled = {
        row.day: row
        for row in db.session.scalars(
            select(Settlement).where(
                Settlement.provider_id == provider_id,
                Settlement.day >= first,
                Settlement.day <= last,
            )
        )
    }
    days = [_day(row, settled.get(row[0])) for row in claimed]
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "contracted_today": contracted_on(provider_id, clock.today()),
        "contracts": _contracts(provider_id),
        "days": days,
        "months": _months(provider_id, first, last),
        "totals": {
            name: sum(day[name] for day in days)
            for name in ("lines", "price", "patient_share", "sso_share", "advance", "held")
        },
    }


def _day(row, settlement: Settlement | None) -> dict:
    """One day's claims, and its settlement once made."""
    service_date, lines, price, patient_share, sso_share = row
    return {
        "date": service_date.isoformat(),
        "lines": lines,
        "price": int(price),
        "patient_share": int(patient_share),
        "sso_share": int(sso_share),
        "settled": settlement is not None,
        "payable": settlement.payable if settlement else None,
        "advance": settlement.advance if settlement else 0,
        "held": settlement.held if settlement else 0,
    }


def _months(provider_id: int, first: date, last: date) -> list[dict]:
    """The centre's months closed by the review that share a day with the span: the lines the
    review reduced or rejected, with their reasons, and the final payment."""
    rows = db.session.scalars(
        select(ClaimMonth)
        .where(
            ClaimMonth.provider_id == provider_id,
            ClaimMonth.status == "closed",
            ClaimMonth.first_day <= last,
            ClaimMonth.last_day >= first,
        )
        .order_by(ClaimMonth.first_day)
    )
    return [_month(row) for row in rows]


def _month(row: ClaimMonth) -> dict:
    """One closed month: its deductions and its figures (rials)."""
    lines = [
        {
            "line": line.id,
            "date": line.service_date.isoformat(),
            "code": line.code,
            "sso_share": line.sso_share,
            "deducted": line.deducted,
            "rejected": line.status == "rejected",
            "reason": line.review_reason or "",
        }
        for line in deductions(row.provider_id, row.first_day, row.last_day)
    ]
    return {
        "month": f"{row.year:04d}-{row.month:02d}",
        "first_day": row.first_day.isoformat(),
        "last_day": row.last_day.isoformat(),
        "closed_on": clock.as_tehran(row.closed_at).date().isoformat(),
        "deducted": sum(line["deducted"] for line in lines),
        "accepted": row.accepted,
        "advances": row.advances,
        "payable": row.payable,
        "deductions": lines,
    }


def _contracts(provider_id: int) -> list[dict]:
    """The centre's contracts, the latest first."""
    rows = db.session.scalars(
        select(Contract)
        .where(Contract.provider_id == provider_id)
        .order_by(Contract.valid_from.desc())
    )
    return [
        {
            "valid_from": row.valid_from.isoformat(),
            "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        }
        for row in rows
    ]
