"""The nightly settlement (seed 002: «در پایان هر روز ۸۰ درصد سهم سازمان به حساب پزشکان محترم
واریز می‌گردد»): for each centre with claims on a day, the day's totals, the advance of SSO's
share payable now (DARMAN_SETTLEMENT_ADVANCE_PERCENT, rounded down to the rial) and the rest held
until the month's review; a centre with no contract on the day is listed, not payable, with the
reason `not_contracted`.

Set-based SQL in three steps, none holding the write lock for long (on SQLite, inquiries are
answered between its short write transactions; a read never blocks them in WAL mode):

0. `settled_day` gets the day's row first, in its own commit: a second run finds it and changes
   nothing (a run that was cut off is finished with `resume`);
1. the day's unsettled lines are marked (`settled_on`) in batches of ids — the day's lines were
   written that day, so a batch is a short run of neighbouring rows — skipping the centres
   already settled (a resumed run);
2. one read sums the marked lines by centre (a snapshot: exactly the marked set);
3. the sums become `settlement` rows, in batches, each centre once (`UNIQUE (provider_id, day)`);
   then the day's row is completed with its totals.

A line a late request writes for the day after its batch was marked is never counted without
being marked, nor marked without being counted: it is left to the month's review, which pays
what was accepted minus the advances.
"""

import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, insert, select, text, update

from .. import clock
from ..database import write_transaction
from ..domain import shares
from ..extensions import db
from ..models import SettledDay, Settlement

IDS_PER_BATCH = 20_000  # lines marked in one write transaction (neighbouring rows)
SETTLEMENTS_PER_BATCH = 2_000  # settlement rows written in one write transaction
# Between two write transactions, a breath longer than SQLite's busy handler sleeps between its
# tries (up to 100 ms): a waiting writer (an inquiry's log) gets the lock rather than finding the
# next batch already holding it.
BREATH_SECONDS = 0.12

_RANGE = text(
    "SELECT MIN(id), MAX(id) FROM claim_line WHERE service_date = :day AND settled_on IS NULL"
)
_MARK = text(
    "UPDATE claim_line SET settled_on = :day"
    " WHERE id >= :first AND id <= :last AND service_date = :day AND settled_on IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM settlement s"
    "   WHERE s.provider_id = claim_line.provider_id AND s.day = :day)"
)
_SUMS = text(
    "SELECT c.provider_id, COUNT(*), SUM(c.price), SUM(c.patient_share), SUM(c.sso_share),"
    " EXISTS (SELECT 1 FROM contract k WHERE k.provider_id = c.provider_id"
    "   AND k.valid_from <= :day AND (k.valid_until IS NULL OR k.valid_until >= :day))"
    " FROM claim_line c"
    " WHERE c.service_date = :day AND c.settled_on = :day"
    " AND NOT EXISTS (SELECT 1 FROM settlement s"
    "   WHERE s.provider_id = c.provider_id AND s.day = :day)"
    " GROUP BY c.provider_id ORDER BY c.provider_id"
)
_TOTALS = text(
    "SELECT COUNT(*), COALESCE(SUM(lines), 0), COALESCE(SUM(sso_share), 0),"
    " COALESCE(SUM(advance), 0), COALESCE(SUM(held), 0) FROM settlement WHERE day = :day"
)


@dataclass(frozen=True)
class Result:
    """What a run did: whether it settled the day now, and the day's totals (rials)."""

    day: date
    settled_now: bool
    centres: int = 0
    lines: int = 0
    sso_share: int = 0
    advance: int = 0
    held: int = 0
    unfinished: bool = False  # an earlier run began the day and did not finish it


def yesterday() -> date:
    """The Tehran day that has just ended (the default day to settle)."""
    return date.fromordinal(clock.today().toordinal() - 1)


def settle(day: date, percent: int, resume: bool = False) -> Result:
    """Settle the day once (see the module); `resume` finishes a run that was cut off."""
    session = db.session()
    with write_transaction(session) as connection:
        state = connection.execute(
            select(SettledDay.finished_at).where(SettledDay.day == day)
        ).first()
        if state is None:
            connection.execute(insert(SettledDay).values(day=day, started_at=clock.now()))
    if state is not None and (state.finished_at is not None or not resume):
        return _totals(day, settled_now=False, unfinished=state.finished_at is None)
    _mark(session, day)
    sums = session.execute(_SUMS, {"day": day}).all()
    session.rollback()  # the read ends
    rows = [_settlement(day, row, percent) for row in sums]
    for start in range(0, len(rows), SETTLEMENTS_PER_BATCH):
        with write_transaction(session) as connection:
            connection.execute(insert(Settlement), rows[start : start + SETTLEMENTS_PER_BATCH])
        time.sleep(BREATH_SECONDS)
    result = _totals(day, settled_now=True)
    with write_transaction(session) as connection:
        connection.execute(
            update(SettledDay)
            .where(SettledDay.day == bindparam("settled"))
            .values(finished_at=clock.now(), centres=result.centres, lines=result.lines),
            {"settled": day},
        )
    return result


def _mark(session, day: date) -> None:
    """Mark the day's unsettled lines, a run of ids at a time (each its own transaction)."""
    first, last = session.execute(_RANGE, {"day": day}).one()
    session.rollback()
    if first is None:
        return
    for start in range(first, last + 1, IDS_PER_BATCH):
        stop = min(start + IDS_PER_BATCH - 1, last)
        with write_transaction(session) as connection:
            connection.execute(_MARK, {"day": day, "first": start, "last": stop})
        time.sleep(BREATH_SECONDS)


def _settlement(day: date, row, percent: int) -> dict:
    """One centre's settlement row from its sums: the advance if contracted, the rest held."""
    provider_id, lines, price, patient_share, sso_share, contracted = row
    sso_share = int(sso_share)
    paid = shares.advance(sso_share, percent) if contracted else 0
    return {
        "provider_id": provider_id,
        "day": day,
        "lines": lines,
        "price": int(price),
        "patient_share": int(patient_share),
        "sso_share": sso_share,
        "advance": paid,
        "held": sso_share - paid,
        "payable": bool(contracted),
        "reason": None if contracted else "not_contracted",
    }


def _totals(day: date, settled_now: bool, unfinished: bool = False) -> Result:
    """The day's totals as the settlement rows hold them."""
    centres, lines, sso_share, advance, held = db.session.execute(_TOTALS, {"day": day}).one()
    db.session.rollback()
    return Result(day, settled_now, centres, lines, sso_share, advance, held, unfinished)
