"""Days as people type them — a birth date on a phone's keypad, a contract's first day in a
staff form, a document's last day in the app: Jalali first, in Persian or Latin digits (an ISO day
is read too: what a script sends). The one reader of typed days: the web kit's `DayField` and
`Day`, USSD, the centres' and hospitals' forms all use it."""

import re
from datetime import date

from .digits import to_latin_digits
from .jalali import jalali_date

_SEPARATED = re.compile(r"([0-9]{4})[/\-.\u066b]([0-9]{1,2})[/\-.\u066b]([0-9]{1,2})")
_PACKED = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
JALALI_YEARS = range(1300, 1500)
GREGORIAN_YEARS = range(1900, 2100)


class InvalidTypedDate(ValueError):
    """The text is not a date that exists."""


def parse_typed_date(text: str) -> date:
    """A date from `1405/08/21`, `۱۴۰۵/۸/۲۱`, `14050821` (Jalali) or `2026-11-12` (ISO)."""
    # Anything else (a 31 Mehr, letters, a two-digit year) is InvalidTypedDate.
    latin = to_latin_digits(text).replace(" ", "")
    match = _SEPARATED.fullmatch(latin) or _PACKED.fullmatch(latin)
    if match is None:
        raise InvalidTypedDate(text)
    year, month, day = (int(part) for part in match.groups())
    try:
        if year in JALALI_YEARS:
            return jalali_date(year, month, day)
        if year in GREGORIAN_YEARS:
            return date(year, month, day)
    except ValueError:
        raise InvalidTypedDate(text) from None
    raise InvalidTypedDate(text)
