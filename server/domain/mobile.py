"""Iranian mobile numbers, always kept as 09xxxxxxxxx."""

import re

from .digits import only_digits

_MOBILE = re.compile(r"09[0-9]{9}")


class InvalidMobile(ValueError):
    """The text is not an Iranian mobile number."""


def normalise_mobile(text: str) -> str:
    """`09xxxxxxxxx` from `+989…`, `00989…`, `989…`, `9…` or `09…`, in any digits."""
    digits = only_digits(text).removeprefix("+")
    for prefix in ("0098", "98"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            digits = digits[len(prefix) :]
    if len(digits) == 10 and digits.startswith("9"):
        digits = "0" + digits
    if not _MOBILE.fullmatch(digits):
        raise InvalidMobile(text)
    return digits
