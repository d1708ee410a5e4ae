"""The refusal kinds (`server/domain/refusal.py`): what each carries for the one handler — the
code, the answer's details, the message's words, `retry_after` and the bearer challenge."""

import pytest

from server.domain import refusal

KINDS = [
    refusal.Invalid,
    refusal.Unauthorized,
    refusal.Forbidden,
    refusal.NotFound,
    refusal.Conflict,
    refusal.Gone,
    refusal.Unavailable,
]


def test_a_refusal_carries_its_code_and_details():
    error = refusal.Refused("future_date", field="birth_date", item="A1")
    assert (error.code, error.details, error.words) == (
        "future_date",
        {"field": "birth_date", "item": "A1"},
        {},
    )
    assert error.args == ("future_date",)
    assert str(error) == "future_date"


def test_words_are_for_the_message_alone():
    error = refusal.Refused("over_delivery", words={"left": 3}, item="A1")
    assert (error.details, error.words) == ({"item": "A1"}, {"left": 3})


def test_values_are_the_details_and_the_words():
    error = refusal.Refused("over_delivery", words={"left": 3, "unit": "عدد"}, item="A1")
    assert error.values == {"item": "A1", "left": 3, "unit": "عدد"}


def test_values_of_a_bare_refusal_are_empty():
    assert refusal.Refused("unknown_patient").values == {}


def test_a_word_named_like_a_detail_is_the_messages():
    error = refusal.Refused("future_date", words={"field": "تاریخ تولد"}, field="birth_date")
    assert error.values == {"field": "تاریخ تولد"}


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_every_kind_is_a_refusal_with_its_code_details_and_words(kind):
    error = kind("no_visit", words={"hours": 24}, field="national_code")
    assert isinstance(error, refusal.Refused)
    assert (error.code, error.details, error.words) == (
        "no_visit",
        {"field": "national_code"},
        {"hours": 24},
    )


def test_too_many_names_its_wait_in_the_details_too():
    error = refusal.TooMany("rate_limited", retry_after=42, words={"seconds": "۴۲"}, field="x")
    assert isinstance(error, refusal.Refused)
    assert error.code == "rate_limited"
    assert error.retry_after == 42
    assert error.details == {"retry_after": 42, "field": "x"}  # the Retry-After header's source
    assert error.values == {"retry_after": 42, "field": "x", "seconds": "۴۲"}


def test_too_many_needs_its_wait():
    with pytest.raises(TypeError):
        refusal.TooMany("rate_limited")


def test_unauthorized_asks_for_no_bearer_token_unless_told():
    assert refusal.Unauthorized("signed_out").bearer is False


def test_unauthorized_may_ask_for_a_bearer_token():
    error = refusal.Unauthorized("invalid_token", bearer=True, words={"realm": "darman"}, field="x")
    assert error.bearer is True
    assert (error.code, error.details, error.words) == (
        "invalid_token",
        {"field": "x"},
        {"realm": "darman"},
    )
    assert "bearer" not in error.details
