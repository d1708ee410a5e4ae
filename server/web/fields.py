"""The fields every JSON schema and every web form shares: national code, mobile, SMS code, a
day, and the id of a row.

They normalise what people type (Persian digits, +98). In a JSON schema they fail with our own
error types, which the request toolkit turns into localized 400s; in a form (`NationalCodeField`,
`MobileField`, `SmsCodeField`) they fail with the same wording, shown beside the field.
"""

from contextlib import suppress
from datetime import date
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError
from wtforms import StringField, ValidationError
from wtforms.validators import DataRequired, Optional, StopValidation

from ..domain.digits import only_digits, to_latin_digits
from ..domain.jalali import jalali_text
from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.national_code import InvalidNationalCode, normalise
from ..domain.typed_dates import parse_typed_date
from ..i18n import number

# The largest id a column holds on every database: the ids are INTEGER, 2³¹−1 on PostgreSQL
# (SQLite's go to 2⁶³−1). A larger number names no row, and the databases raise on it (a value
# cast to INTEGER out of range, SQLite's OverflowError past 2⁶³−1) rather than find nothing.
LARGEST_ID = 2**31 - 1

REQUIRED = _l("Please fill in this field.")
INVALID_NATIONAL_CODE = _l("The national code is not valid. Please check it.")
INVALID_MOBILE = _l("The mobile number is not valid. Please check it (09xxxxxxxxx).")
INVALID_SMS_CODE = _l("Please enter the 6-digit code of the SMS.")
INVALID_DAY = _l("Please write a day.")
UNREADABLE_DAY = _l("Please write the day as year/month/day, for example 1405/09/16.")
DAY_HINT = _l("Year/month/day, for example 1405/09/16")
DAY_INPUT = {
    "class": "day",
    "inputmode": "numeric",
    "dir": "ltr",
    "autocomplete": "off",
    "maxlength": "20",
}
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


def _day(value: object) -> object:
    """A day typed by a person (Jalali or ISO: `parse_typed_date`) as a date; a date, as it is;
    or fail with `invalid_day`."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) > 40:
        return _not_a_day()
    try:
        return parse_typed_date(value)
    except ValueError:
        return _not_a_day()


def _not_a_day() -> date:
    """Fail with `invalid_day` (the toolkit's `invalid_date`, said in year/month/day)."""
    raise PydanticCustomError("invalid_day", "invalid day")


Day = Annotated[
    date,
    BeforeValidator(_day),
    Field(description="a day: Jalali year/month/day (1405/09/16, Persian digits accepted), as "
          "people type it, or ISO (2026-12-07)"),
]  # fmt: skip


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


class DayField(StringField):
    """A day as people here write it: Jalali year/month/day, «۱۴۰۵/۰۹/۱۶», Persian or Latin
    digits (a Gregorian ISO day is read too: what a script sends; `parse_typed_date`), and shown
    back in Jalali, in the page's digits. Its data is the Gregorian `date`. A text input, not the
    browser's date picker, which knows only the Gregorian calendar. Required unless
    `required=False`: a missing day fails with `message`, one that is no day with `unreadable`,
    each said once. Its hint under the field says how to write it (`description`; none when the
    label says it already)."""

    def __init__(
        self, label=None, validators=None, required=True, message=INVALID_DAY,
        unreadable=UNREADABLE_DAY, **kwargs,
    ):  # fmt: skip
        """The label, any further validators, whether it is required, and its messages."""
        first = DataRequired(message) if required else Optional()
        kwargs["render_kw"] = {**DAY_INPUT, **kwargs.get("render_kw", {})}
        kwargs.setdefault("description", DAY_HINT)
        super().__init__(label, [first, *(validators or [])], **kwargs)
        self.typed, self.unreadable = "", unreadable

    def process_formdata(self, valuelist) -> None:
        """Read the day typed; an empty one is None, an unreadable one is kept as typed."""
        self.typed = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.typed:
            with suppress(ValueError):  # no day: `pre_validate` says so
                self.data = parse_typed_date(self.typed)

    def pre_validate(self, form) -> None:
        """A day typed that is no day fails, before any other check."""
        if self.typed and self.data is None:
            raise StopValidation(self.unreadable)

    def _value(self) -> str:
        """The day in Jalali (Persian digits in `fa`), or what was typed when it is no day."""
        if self.data is None:
            return self.typed
        return number(jalali_text(self.data, persian_digits=False))
