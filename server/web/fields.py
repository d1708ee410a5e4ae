"""The fields every JSON schema and every web form shares: national code, mobile, SMS code, a
day, and the id of a row.

They normalise what people type (Persian digits, +98). In a JSON schema they fail with our own
error types, which the request toolkit turns into localized 400s; in a form (`NationalCodeField`,
`MobileField`, `SmsCodeField`) they fail with the same wording, shown beside the field.
"""

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError
from wtforms import DateField, StringField, ValidationError
from wtforms.validators import DataRequired, Optional, StopValidation

from ..domain.digits import only_digits, to_latin_digits
from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.national_code import InvalidNationalCode, normalise

# The largest id a column holds on every database: the ids are INTEGER, 2³¹−1 on PostgreSQL
# (SQLite's go to 2⁶³−1). A larger number names no row, and the databases raise on it (a value
# cast to INTEGER out of range, SQLite's OverflowError past 2⁶³−1) rather than find nothing.
LARGEST_ID = 2**31 - 1

REQUIRED = _l("Please fill in this field.")
INVALID_NATIONAL_CODE = _l("The national code is not valid. Please check it.")
INVALID_MOBILE = _l("The mobile number is not valid. Please check it (09xxxxxxxxx).")
INVALID_SMS_CODE = _l("Please enter the 6-digit code of the SMS.")
INVALID_DAY = _l("Please choose a day.")
INVALID_WHOLE_NUMBER = _l("Please write a whole number (digits only).")


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


def six_digits(value: str) -> str | None:
    """The six digits of a typed SMS code (Persian or Latin), or None."""
    digits = only_digits(value)
    return digits if len(digits) == 6 and digits.isascii() and digits.isdigit() else None


def _sms_code(value: str) -> str:
    """Six digits, Persian or Latin, or fail with `invalid_code`."""
    digits = six_digits(value)
    if digits is None:
        raise PydanticCustomError("invalid_code", "invalid code")
    return digits


RowId = Annotated[
    int, Field(ge=1, le=LARGEST_ID, description="the id of a row, as an answer gave it")
]
Mobile = Annotated[
    str,
    Field(description="Iranian mobile; +98, 0098 and Persian digits accepted", max_length=40),
    AfterValidator(_mobile),
]
SmsCode = Annotated[
    str, Field(description="the 6-digit code of the SMS", max_length=20), AfterValidator(_sms_code)
]


class _TypedField(StringField):
    """A text field that normalises what was typed, or fails with its one message.

    Required unless `required=False`; an empty optional field stays empty. Its inputmode,
    direction and autocomplete are the field's own, so every form shows it alike.
    """

    message = REQUIRED
    render_defaults: dict = {}

    def __init__(self, label=None, validators=None, required: bool = True, **kwargs):
        """The label, any further validators, and whether it is required."""
        first = DataRequired(REQUIRED) if required else Optional()
        kwargs["render_kw"] = {**self.render_defaults, **kwargs.get("render_kw", {})}
        super().__init__(label, [first, *(validators or []), self._check], **kwargs)

    def _check(self, form, field) -> None:
        """Keep the normalised value, or fail with the field's message."""
        try:
            field.data = self.normalise(field.data.strip())
        except ValueError:
            raise ValidationError(self.message) from None

    @staticmethod
    def normalise(value: str) -> str:
        """The value as stored; raises ValueError when it is not one."""
        raise NotImplementedError


class NationalCodeField(_TypedField):
    """A national code (or 12-digit FIDA number), stored as its digits."""

    message = INVALID_NATIONAL_CODE
    render_defaults = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
    normalise = staticmethod(normalise)


class MobileField(_TypedField):
    """An Iranian mobile in any of its usual forms, stored as 09…."""

    message = INVALID_MOBILE
    render_defaults = {"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}
    normalise = staticmethod(normalise_mobile)


def _whole_number(value: str) -> str:
    """A whole number, maybe negative, as typed (any digits, thousands separators): its Latin
    digits with the sign; ValueError for anything else (or more than 15 digits)."""
    text = value.strip()
    sign = "-" if text[:1] in ("-", "\u2212") else ""
    digits = to_latin_digits(text[len(sign) :])
    for separator in (",", "\u066c", " ", "\u00a0"):
        digits = digits.replace(separator, "")
    if not (digits.isascii() and digits.isdigit()) or len(digits.lstrip("0")) > 15:
        raise ValueError(value)
    return sign + str(int(digits))


class WholeNumberField(_TypedField):
    """A whole number (an amount of rials, an id), in Persian or Latin digits, with or without
    thousands separators; its data is the number's Latin text, the sign kept (the operation
    says whether a negative one will do)."""

    message = INVALID_WHOLE_NUMBER
    render_defaults = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
    normalise = staticmethod(_whole_number)


def _sms_code_digits(value: str) -> str:
    """The six digits of an SMS code, or ValueError."""
    digits = six_digits(value)
    if digits is None:
        raise ValueError(value)
    return digits


class SmsCodeField(_TypedField):
    """The 6-digit code of an SMS, Persian or Latin digits."""

    message = INVALID_SMS_CODE
    render_defaults = {"inputmode": "numeric", "dir": "ltr", "autocomplete": "one-time-code"}
    normalise = staticmethod(_sms_code_digits)


class DayField(DateField):
    """A day from a date input (year-month-day), required unless `required=False`; a missing or
    unreadable one fails with the field's one message (`message`), said once."""

    def __init__(self, label=None, validators=None, required=True, message=INVALID_DAY, **kwargs):
        """The label, any further validators, whether it is required, and its message."""
        first = DataRequired(message) if required else Optional()
        super().__init__(label, [first, *(validators or [])], **kwargs)
        self.message, self.unreadable = message, False

    def process_formdata(self, valuelist) -> None:
        """Read the day; an empty one is None, an unreadable one is remembered for validation."""
        try:
            super().process_formdata(valuelist)
            self.unreadable = False
        except ValueError:
            self.data = None
            self.unreadable = bool(valuelist and valuelist[0].strip())

    def pre_validate(self, form) -> None:
        """An unreadable day fails with the field's message, before any other check."""
        if self.unreadable:
            raise StopValidation(self.message)
