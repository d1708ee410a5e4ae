"""Tracking codes (کد رهگیری): 12 digits, random, the last one a Luhn check digit."""

import secrets

TRACKING_CODE_LENGTH = 12


def luhn_digit(digits: str) -> int:
    """The Luhn check digit that completes `digits`."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def new_tracking_code() -> str:
    """A fresh random tracking code; uniqueness is the database's job (a unique index)."""
    body = f"{secrets.randbelow(10 ** (TRACKING_CODE_LENGTH - 1)):0{TRACKING_CODE_LENGTH - 1}d}"
    return body + str(luhn_digit(body))  # one draw from the OS, not one a digit


def is_valid_tracking_code(text: str) -> bool:
    """True for 12 ASCII digits whose last digit is the Luhn check digit of the rest."""
    if len(text) != TRACKING_CODE_LENGTH or not text.isascii() or not text.isdigit():
        return False
    return int(text[-1]) == luhn_digit(text[:-1])
