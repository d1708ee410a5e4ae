"""A period is in force from its first day to its last, both included; a missing bound is none."""

from datetime import date

import pytest

from server.domain.periods import in_force

FIRST, LAST = date(2026, 9, 23), date(2027, 9, 22)


@pytest.mark.parametrize(
    ("first", "last", "on", "expected"),
    [
        (FIRST, LAST, FIRST, True),
        (FIRST, LAST, LAST, True),
        (FIRST, LAST, date(2026, 9, 22), False),
        (FIRST, LAST, date(2027, 9, 23), False),
        (FIRST, None, date(2040, 1, 1), True),  # no last day: no end
        (None, LAST, date(1990, 1, 1), True),  # no first day: it has always run
        (None, None, FIRST, True),
    ],
)
def test_in_force(first, last, on, expected):
    assert in_force(first, last, on) is expected
