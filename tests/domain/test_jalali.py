"""The Jalali calendar helpers; expected dates were converted by hand, not by the code tested."""

from datetime import date

import pytest

from server.domain.jalali import (
    add_months,
    age_on,
    anniversary,
    end_of_month,
    is_leap_year,
    is_valid_month,
    jalali_date,
    jalali_text,
    month_length,
    months_between,
    to_jalali,
    to_jalali_month,
)


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [
        pytest.param(1404, 1, 31, id="farvardin"),
        pytest.param(1404, 6, 31, id="shahrivar"),
        pytest.param(1404, 7, 30, id="mehr"),
        pytest.param(1404, 11, 30, id="bahman"),
        pytest.param(1403, 12, 30, id="esfand-leap-1403"),
        pytest.param(1404, 12, 29, id="esfand-common-1404"),
    ],
)
def test_month_length(year, month, days):
    assert month_length(year, month) == days


@pytest.mark.parametrize(
    ("year", "leap"),
    [
        pytest.param(1399, True, id="1399"),
        pytest.param(1403, True, id="1403"),
        pytest.param(1404, False, id="1404"),
    ],
)
def test_is_leap_year(year, leap):
    assert is_leap_year(year) is leap


@pytest.mark.parametrize(
    ("year", "month", "valid"),
    [
        pytest.param(1404, 1, True, id="first"),
        pytest.param(1404, 12, True, id="last"),
        pytest.param(1404, 0, False, id="zero"),
        pytest.param(1404, 13, False, id="thirteen"),
        pytest.param(0, 5, False, id="year-zero"),
    ],
)
def test_is_valid_month(year, month, valid):
    assert is_valid_month(year, month) is valid


def test_month_length_rejects_a_bad_month():
    with pytest.raises(ValueError):
        month_length(1404, 13)


@pytest.mark.parametrize(
    ("ym", "n", "expected"),
    [
        pytest.param((1404, 5), 0, (1404, 5), id="zero"),
        pytest.param((1404, 12), 1, (1405, 1), id="over-new-year"),
        pytest.param((1404, 1), -1, (1403, 12), id="back-over-new-year"),
        pytest.param((1404, 5), -17, (1402, 12), id="back-17"),
        pytest.param((1404, 5), 24, (1406, 5), id="two-years"),
    ],
)
def test_add_months(ym, n, expected):
    assert add_months(ym, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param((1402, 10), (1404, 10), 24, id="forward-24"),
        pytest.param((1404, 10), (1402, 10), -24, id="backward-24"),
        pytest.param((1403, 12), (1404, 1), 1, id="over-new-year"),
        pytest.param((1404, 7), (1404, 7), 0, id="same"),
    ],
)
def test_months_between(a, b, expected):
    assert months_between(a, b) == expected


@pytest.mark.parametrize(
    ("ym", "expected"),
    [
        pytest.param((1403, 12), date(2025, 3, 20), id="esfand-1403-leap-30-days"),
        pytest.param((1404, 12), date(2026, 3, 20), id="esfand-1404-29-days"),
        pytest.param((1404, 6), date(2025, 9, 22), id="shahrivar-31"),
        pytest.param((1404, 7), date(2025, 10, 22), id="mehr-30"),
    ],
)
def test_end_of_month(ym, expected):
    assert end_of_month(ym) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        pytest.param(date(2025, 3, 20), (1403, 12), id="30-esfand-1403"),
        pytest.param(date(2025, 3, 21), (1404, 1), id="1-farvardin-1404"),
        pytest.param(date(2025, 10, 7), (1404, 7), id="15-mehr-1404"),
    ],
)
def test_to_jalali_month(d, expected):
    assert to_jalali_month(d) == expected


def test_to_jalali_and_back():
    assert to_jalali(date(2027, 9, 22)) == (1406, 6, 31)
    assert jalali_date(1406, 6, 31) == date(2027, 9, 22)


def test_jalali_date_rejects_a_missing_day():
    with pytest.raises(ValueError):
        jalali_date(1404, 12, 30)


@pytest.mark.parametrize(
    ("birth", "years", "expected"),
    [
        pytest.param(date(2006, 10, 7), 19, date(2025, 10, 7), id="15-mehr-19-years"),
        pytest.param(date(2006, 10, 7), 0, date(2006, 10, 7), id="zero-years"),
        pytest.param(date(2025, 3, 20), 1, date(2026, 3, 21), id="30-esfand-to-1-farvardin"),
        pytest.param(date(2021, 3, 20), 4, date(2025, 3, 20), id="30-esfand-leap-to-leap"),
    ],
)
def test_anniversary(birth, years, expected):
    assert anniversary(birth, years) == expected


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        pytest.param(date(2006, 10, 7), date(2025, 10, 6), 18, id="day-before-19th"),
        pytest.param(date(2006, 10, 7), date(2025, 10, 7), 19, id="19th-birthday"),
        pytest.param(date(2025, 3, 20), date(2026, 3, 20), 0, id="30-esfand-born-29-esfand"),
        pytest.param(date(2025, 3, 20), date(2026, 3, 21), 1, id="30-esfand-born-1-farvardin"),
        pytest.param(date(2006, 10, 7), date(2006, 10, 7), 0, id="birth-day"),
    ],
)
def test_age_on(birth, on, expected):
    assert age_on(birth, on) == expected


@pytest.mark.parametrize(
    ("d", "persian_digits", "expected"),
    [
        pytest.param(date(2027, 9, 22), True, "۳۱ شهریور ۱۴۰۶", id="fa-31-shahrivar"),
        pytest.param(date(2027, 9, 22), False, "1406/06/31", id="latin-31-shahrivar"),
        pytest.param(date(2025, 3, 21), True, "۱ فروردین ۱۴۰۴", id="fa-1-farvardin"),
        pytest.param(date(2025, 3, 21), False, "1404/01/01", id="latin-1-farvardin"),
        pytest.param(date(2025, 3, 20), True, "۳۰ اسفند ۱۴۰۳", id="fa-30-esfand"),
    ],
)
def test_jalali_text(d, persian_digits, expected):
    assert jalali_text(d, persian_digits=persian_digits) == expected
