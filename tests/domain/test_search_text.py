"""Search text: Persian letter variants, ZWNJ, madda, digits and case all compare equal."""

import pytest

from server.domain.search_text import search_text


@pytest.mark.parametrize(
    ("typed", "reduced"),
    [
        ("آموکسی‌سیلین", "اموکسیسیلین"),
        ("آموكسي سيلين", "اموکسیسیلین"),
        ("کلاریترومایسین ۵۰۰", "کلاریترومایسین500"),
        ("٥٠٠", "500"),
        ("مُتـفورمین", "متفورمین"),
        ("CBC (Complete)", "cbccomplete"),
        ("ة ۀ", "هه"),
        ("", ""),
    ],
)
def test_variants_reduce_to_the_same_text(typed, reduced):
    assert search_text(typed) == reduced


def test_wildcards_and_punctuation_are_dropped():
    assert search_text("%_-.\u200c ") == ""
