"""The Jalali (Persian) calendar: months, month ends, anniversaries and ages, on top of jdatetime.

Dates are kept as Gregorian `datetime.date`; a Jalali month is a `(year, month)` pair.
Conversions are cached: jdatetime is slow (it asks the locale on every call) and a registry
recompute converts the same birth dates and month ends millions of times.
"""

from datetime import date, timedelta
from functools import lru_cache

import jdatetime

from .digits import to_persian_digits

JalaliMonth = tuple[int, int]

MONTH_NAMES_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
MONTH_NAMES_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)


@lru_cache(maxsize=4096)
def is_leap_year(year: int) -> bool:
    """True when the Jalali year has a 30th of Esfand (jdatetime's leap-year rule)."""
    return jdatetime.date(year, 1, 1).isleap()


def is_valid_month(year: int, month: int) -> bool:
    """True for a month 1–12 of a year that jdatetime can represent."""
    return 1 <= month <= 12 and jdatetime.MINYEAR <= year <= jdatetime.MAXYEAR


def month_length(year: int, month: int) -> int:
    """Days in a Jalali month: 31 for months 1–6, 30 for 7–11, Esfand 30 in leap years else 29."""
    if not is_valid_month(year, month):
        raise ValueError(f"not a Jalali month: {year}/{month}")
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap_year(year) else 29


def add_months(ym: JalaliMonth, n: int) -> JalaliMonth:
    """The Jalali month `n` months after `ym` (before it when `n` is negative)."""
    year, index = divmod(ym[0] * 12 + ym[1] - 1 + n, 12)
    return year, index + 1


def months_between(a: JalaliMonth, b: JalaliMonth) -> int:
    """How many months `b` is after `a` (negative when it is before)."""
    return (b[0] * 12 + b[1]) - (a[0] * 12 + a[1])


@lru_cache(maxsize=65536)
def jalali_date(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Jalali day; ValueError when that day does not exist."""
    return jdatetime.date(year, month, day).togregorian()


def end_of_month(ym: JalaliMonth) -> date:
    """The Gregorian date of the last day of a Jalali month."""
    return jalali_date(ym[0], ym[1], month_length(*ym))


@lru_cache(maxsize=65536)
def to_jalali(d: date) -> tuple[int, int, int]:
    """The Jalali (year, month, day) of a Gregorian date."""
    j = jdatetime.date.fromgregorian(date=d)
    return j.year, j.month, j.day


def to_jalali_month(d: date) -> JalaliMonth:
    """The Jalali month a Gregorian date falls in."""
    year, month, _ = to_jalali(d)
    return year, month


def anniversary(birth: date, years: int) -> date:
    """The same Jalali day `years` Jalali years later; a missing 30 Esfand → 1 Farvardin."""
    birth_year, month, day = to_jalali(birth)
    year = birth_year + years
    last_day = month_length(year, month)
    if day > last_day:
        return jalali_date(year, month, last_day) + timedelta(days=1)
    return jalali_date(year, month, day)


def age_on(birth: date, on: date) -> int:
    """Full Jalali years from `birth` to `on`: a year counts from its anniversary day."""
    years = to_jalali(on)[0] - to_jalali(birth)[0]
    return years if anniversary(birth, years) <= on else years - 1


def jalali_text(d: date, persian_digits: bool = True) -> str:
    """A date as Persian text, «۳۱ شهریور ۱۴۰۶», or as `1406/06/31` when persian_digits is False."""
    year, month, day = to_jalali(d)
    if not persian_digits:
        return f"{year:04d}/{month:02d}/{day:02d}"
    return f"{to_persian_digits(day)} {MONTH_NAMES_FA[month - 1]} {to_persian_digits(year)}"


def jalali_text_english(d: date) -> str:
    """A Jalali date for English text, with Latin digits: «30 Azar 1405»."""
    year, month, day = to_jalali(d)
    return f"{day} {MONTH_NAMES_EN[month - 1]} {year}"
