"""The field types every JSON schema shares: national code, mobile, SMS code.

They normalise what people type (Persian digits, +98) and fail with our own error types, which
the request toolkit turns into localized 400s.
"""

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from ..domain.digits import only_digits
from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.national_code import InvalidNationalCode, normalise


def _national_code(value: str) -> str:
    """Normalise a typed national code or FIDA number, or fail with `invalid_national_code`."""
    try:
        return normalise(value)
    except InvalidNationalCode:
        raise PydanticCustomError("invalid_national_code", "invalid national code") from None


NationalCode = Annotated[
    str,
    Field(
        description="10-digit national code or 12-digit FIDA number; Persian digits accepted",
        examples=["0012345679"],
        max_length=40,
    ),
    AfterValidator(_national_code),
]


def _mobile(value: str) -> str:
    """Normalise a typed mobile number, or fail with `invalid_mobile`."""
    try:
        return normalise_mobile(value)
    except InvalidMobile:
        raise PydanticCustomError("invalid_mobile", "invalid mobile") from None


def _sms_code(value: str) -> str:
    """Six digits, Persian or Latin, or fail with `invalid_code`."""
    digits = only_digits(value)
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        raise PydanticCustomError("invalid_code", "invalid code")
    return digits


Mobile = Annotated[
    str,
    Field(description="Iranian mobile; +98, 0098 and Persian digits accepted", max_length=40),
    AfterValidator(_mobile),
]
SmsCode = Annotated[
    str, Field(description="the 6-digit code of the SMS", max_length=20), AfterValidator(_sms_code)
]
