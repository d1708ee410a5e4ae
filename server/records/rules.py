"""The record's rules, pure (no Flask, no database): expiry, which centre delivers what, where an
item or a prescription stands, who is a minor, and the dates of a repeat prescription's parts."""

from datetime import date, timedelta

from ..domain.jalali import add_months, age_on, jalali_date, month_length, to_jalali

ADULT_AGE = 18
# Which prescription types each kind of centre may deliver (seed 002: a hospital prescribes and
# delivers everything; the others only their own field). Doctors deliver nothing.
DELIVERS = {
    "pharmacy": frozenset({"drug"}),
    "lab": frozenset({"lab"}),
    "imaging": frozenset({"imaging"}),
    "physio": frozenset({"physio"}),
    "hospital": frozenset({"drug", "lab", "imaging", "physio", "visit"}),
}
CENTRE_KINDS = tuple(DELIVERS)
# Who writes prescriptions, in the API and in the web alike: doctors' offices, clinics and
# hospitals (seed 002: a hospital prescribes, and marks what it lacks to be got outside).
WRITER_KINDS = ("doctor", "clinic", "hospital")


def may_write(centre_kind: str, member_role: str | None = None) -> bool:
    """A centre of this kind writes prescriptions: through its API token (no member), or in the
    web by one of its doctors."""
    return centre_kind in WRITER_KINDS and member_role in (None, "doctor")


def expires_on(written_on: date, valid_days: int) -> date:
    """The last day anything of a prescription may be delivered: `valid_days` after writing."""
    return written_on + timedelta(days=valid_days)


def is_expired(last_day: date, today: date) -> bool:
    """True once the last day of delivery has passed."""
    return today > last_day


def may_deliver(centre_kind: str, prescription_type: str) -> bool:
    """True when a centre of this kind may deliver a prescription of this type."""
    return prescription_type in DELIVERS.get(centre_kind, frozenset())


def item_status(quantity: int, dispensed: int, expired: bool) -> str:
    """`complete`, `expired` (something left, too late), `partial` or `open` (nothing yet)."""
    if dispensed >= quantity:
        return "complete"
    if expired:
        return "expired"
    return "partial" if dispensed else "open"


def prescription_status(items: list[tuple[int, int]], expired: bool) -> str:
    """The status of a whole prescription from its items' (quantity, dispensed)."""
    if all(dispensed >= quantity for quantity, dispensed in items):
        return "complete"
    if expired:
        return "expired"
    return "partial" if any(dispensed for _, dispensed in items) else "open"


def is_minor(birth_date: date | None, today: date) -> bool:
    """Under 18 full (Jalali) years today; someone with no birth date on record is not."""
    return birth_date is not None and age_on(birth_date, today) < ADULT_AGE


MAX_PARTS = 6  # a repeat prescription's monthly parts (seed 002's chronic patients: a month each)
MAX_SPECIAL_PARTS = 12  # for a person on the special-patients list on the day


def part_due_on(written_on: date, part: int) -> date:
    """The first day part `part` (from 1) of a repeat may be served: the same Jalali day
    `part - 1` months after writing (the month's last day when that month is shorter)."""
    year, month, day = to_jalali(written_on)
    year, month = add_months((year, month), part - 1)
    return jalali_date(year, month, min(day, month_length(year, month)))


def parts_due(written_on: date, parts: int, today: date) -> int:
    """How many of the parts may be served by `today` (0 before the day of writing)."""
    return sum(1 for part in range(1, parts + 1) if part_due_on(written_on, part) <= today)


def part_of(quantity: int, parts: int, units: int) -> int:
    """The part the `units`-th unit of an item belongs to (each part a month's share)."""
    per_part = quantity // parts
    return min(-(-units // per_part), parts)


def is_cancelled(cancelled_at: object, quantity: int, dispensed: int) -> bool:
    """True when an item was cancelled with something of it left undelivered."""
    return cancelled_at is not None and dispensed < quantity
