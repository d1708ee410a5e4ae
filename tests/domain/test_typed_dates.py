"""Days as people type them (`parse_typed_date`): Jalali in any digits and separators, or ISO;
what names no day is refused. Expected dates were converted by hand, not by the code tested."""

from datetime import date

import pytest

from server.domain.typed_dates import InvalidTypedDate, parse_typed_date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("۱۴۰۵/۰۹/۱۶", date(2026, 12, 7), id="persian-digits"),
        pytest.param("1405/9/16", date(2026, 12, 7), id="latin-short"),
        pytest.param(" ١٤٠٥ - ٠٩ - ١٦ ", date(2026, 12, 7), id="arabic-digits-dashes-spaces"),
        pytest.param("1406.06.31", date(2027, 9, 22), id="dots-31-shahrivar"),
        pytest.param("14050916", date(2026, 12, 7), id="packed"),
        pytest.param("1403/12/30", date(2025, 3, 20), id="30-esfand-of-a-leap-year"),
        pytest.param("2026-12-07", date(2026, 12, 7), id="gregorian-iso"),
    ],
)
def test_parse_typed_date(typed, expected):
    assert parse_typed_date(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "1404/12/30", "1405/13/01", "1405/00/10", "1405/07/31", "2026-02-30", "1405/09/16/1",
     "10/01/2027", "۱۴۰۵/۰۹", "abcd/01/01", "0000/01/01", "1200/01/01"],
)  # fmt: skip
def test_what_names_no_day_is_refused(typed):
    with pytest.raises(InvalidTypedDate):
        parse_typed_date(typed)
