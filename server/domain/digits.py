"""Persian and Arabic digits: read them from what people type, write them in Persian text."""

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN + _ARABIC, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN)


def to_latin_digits(text: str) -> str:
    """Replace Persian (۰–۹) and Arabic (٠–٩) digits by ASCII digits."""
    return text.translate(_TO_LATIN)


def to_persian_digits(text: object) -> str:
    """Write ASCII digits as Persian digits, for text shown in the `fa` locale."""
    return str(text).translate(_TO_PERSIAN)


def only_digits(text: str) -> str:
    """The typed text with Persian/Arabic digits normalised and spaces, dashes and dots dropped.

    Anything other than those separators is kept, so a letter still makes the value invalid.
    """
    latin = to_latin_digits(text.strip())
    return "".join(ch for ch in latin if ch not in " \u200c-_.\u00a0")


def whole_number(text: str, low: int, high: int) -> int | None:
    """The whole number typed (Persian, Arabic or Latin digits) when it is from low to high;
    None for anything else. Too many digits are refused unread: Python's int() raises past
    4300, and a number longer than `high` is above it anyway."""
    latin = to_latin_digits(text.strip())
    if not (latin.isascii() and latin.isdigit()) or len(latin.lstrip("0")) > len(str(high)):
        return None
    value = int(latin)
    return value if low <= value <= high else None
