"""Whether something that runs from a first day to a last one — a contract, a document, a place
on the special-patients list, a dependant link, another insurer's cover — is in force on a day.
Both ends count; no last day means no end, and no first day (a registry row that never had one)
means it has always run. The database's twin, for queries: `server.models.in_force`."""

from datetime import date


def in_force(first: date | None, last: date | None, on: date) -> bool:
    """True when `on` falls from `first` to `last`, both included (None: no bound)."""
    return (first is None or first <= on) and (last is None or on <= last)
