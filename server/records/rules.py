"""The record's rules, pure (no Flask, no database): expiry, which centre delivers what, where an
item or a prescription stands, and who is a minor."""

from datetime import date, timedelta

from ..domain.jalali import age_on

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
