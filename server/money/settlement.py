"""The nightly settlement (seed 002: «در پایان هر روز ۸۰ درصد سهم سازمان به حساب پزشکان محترم
واریز می‌گردد»): for each centre with claims on a day, the day's totals, the advance of SSO's
share payable now (DARMAN_SETTLEMENT_ADVANCE_PERCENT, rounded down to the rial) and the rest held
until the month's review; a centre with no contract on the day is listed, not payable, with the
reason `not_contracted`.

Set-based SQL in batches of centres, each batch its own short write transaction (on SQLite the
write lock is held for one batch, so inquiries keep being answered between them):

1. `settled_day` gets the day's row first, in its own commit: a second run finds it and changes
   nothing (a run that was interrupted is finished with `resume`);
2. each batch marks the day's unsettled lines of its centres (`settled_on`), then sums exactly
   those lines into one `settlement` row per centre — so a line a late request writes for the
   day meanwhile is never counted without being marked, nor marked without being counted (such
   a straggler is left to the month's review, which pays what was accepted minus the advances);
3. the day's row is completed with its totals.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, bindparam, insert, select, text, update

from .. import clock
from ..database import write_transaction
from ..extensions import db
from ..models import SettledDay

CENTRES_PER_BATCH = 500

_MARK = text(
    "UPDATE claim_line SET settled_on = :day"
    " WHERE service_date = :day AND settled_on IS NULL"
    " AND provider_id >= :first AND provider_id <= :last"
    " AND NOT EXISTS (SELECT 1 FROM settlement s"
    "   WHERE s.provider_id = claim_line.provider_id AND s.day = :day)"
)
_CONTRACTED = (
    "EXISTS (SELECT 1 FROM contract k WHERE k.provider_id = c.provider_id"
    " AND k.valid_from <= :day AND (k.valid_until IS NULL OR k.valid_until >= :day))"
)
# Integer division (rounded down to the rial): PostgreSQL's SUM of BIGINT is NUMERIC, so cast.
_ADVANCE = (
    f"(CASE WHEN {_CONTRACTED} THEN CAST(SUM(c.sso_share) AS BIGINT) * :percent / 100 ELSE 0 END)"
)
_SUM = text(
    "INSERT INTO settlement (provider_id, day, lines, price, patient_share, sso_share, advance,"
    " held, payable, reason)"
    " SELECT c.provider_id, :day, COUNT(*), SUM(c.price), SUM(c.patient_share),"
    f" SUM(c.sso_share), {_ADVANCE}, SUM(c.sso_share) - {_ADVANCE},"
    f" {_CONTRACTED}, CASE WHEN {_CONTRACTED} THEN NULL ELSE 'not_contracted' END"
    " FROM claim_line c"
    " WHERE c.settled_on = :day AND c.provider_id >= :first AND c.provider_id <= :last"
    " AND NOT EXISTS (SELECT 1 FROM settlement s"
    "   WHERE s.provider_id = c.provider_id AND s.day = :day)"
    " GROUP BY c.provider_id"
)
_CENTRES = text(
    "SELECT DISTINCT provider_id FROM claim_line"
    " WHERE service_date = :day AND settled_on IS NULL ORDER BY provider_id"
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
    """Settle the day once (see the module); `resume` finishes a run that was interrupted."""
    session = db.session()
    with write_transaction(session) as connection:
        state = connection.execute(
            select(SettledDay.finished_at).where(SettledDay.day == day)
        ).first()
        if state is None:
            connection.execute(insert(SettledDay).values(day=day, started_at=clock.now()))
    if state is not None and (state.finished_at is not None or not resume):
        return _totals(day, settled_now=False, unfinished=state.finished_at is None)
    centres = [row[0] for row in session.execute(_CENTRES, {"day": day})]
    session.rollback()  # the read ends: each batch is its own transaction
    for start in range(0, len(centres), CENTRES_PER_BATCH):
        batch = centres[start : start + CENTRES_PER_BATCH]
        with write_transaction(session) as connection:
            _settle_batch(connection, day, batch[0], batch[-1], percent)
    result = _totals(day, settled_now=True)
    with write_transaction(session) as connection:
        connection.execute(
            update(SettledDay)
            .where(SettledDay.day == bindparam("settled"))
            .values(finished_at=clock.now(), centres=result.centres, lines=result.lines),
            {"settled": day},
        )
    return result


def _settle_batch(connection: Connection, day: date, first: int, last: int, percent: int) -> None:
    """Mark, then sum, the day's unsettled lines of the centres with ids first…last."""
    values = {"day": day, "first": first, "last": last, "percent": percent}
    connection.execute(_MARK, values)
    connection.execute(_SUM, values)


def _totals(day: date, settled_now: bool, unfinished: bool = False) -> Result:
    """The day's totals as the settlement rows hold them."""
    centres, lines, sso_share, advance, held = db.session.execute(_TOTALS, {"day": day}).one()
    db.session.rollback()
    return Result(day, settled_now, centres, lines, sso_share, advance, held, unfinished)
