"""Iranian national codes (کد ملی) and the 12-digit FIDA numbers of foreign nationals."""

from functools import lru_cache

from .digits import only_digits

FIDA_LENGTH = 12


class InvalidNationalCode(ValueError):
    """The text is not a valid national code or FIDA number."""


def check_digit(first_nine: str) -> int:
    """The check digit for nine digits: weights 10…2, s = sum % 11, s if s < 2 else 11 − s."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    s = total % 11
    return s if s < 2 else 11 - s


def with_check_digit(first_nine: str) -> str:
    """Nine digits completed into a ten-digit national code."""
    return first_nine + str(check_digit(first_nine))


def is_valid_iranian(code: str) -> bool:
    """True for ten ASCII digits, not all equal, whose last digit is the check digit."""
    if len(code) != 10 or not code.isascii() or not code.isdigit():
        return False
    if len(set(code)) == 1:
        return False
    return int(code[9]) == check_digit(code[:9])


@lru_cache(maxsize=8192)  # an import meets each person's code on many rows in a row
def normalise(text: str) -> str:
    """The canonical form of a typed national code (10 digits) or FIDA number (12 digits).

    Persian and Arabic digits are accepted; an Iranian code of 8 or 9 digits gets its leading
    zeros back. Raises InvalidNationalCode when the result is not valid.
    """
    digits = only_digits(text)
    if not digits.isascii() or not digits.isdigit():
        raise InvalidNationalCode(text)
    if len(digits) == FIDA_LENGTH:
        return digits
    if 8 <= len(digits) <= 10:
        code = digits.zfill(10)
        if is_valid_iranian(code):
            return code
    raise InvalidNationalCode(text)


def is_fida(code: str) -> bool:
    """True when a normalised code is a foreign national's FIDA number."""
    return len(code) == FIDA_LENGTH
