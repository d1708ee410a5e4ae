"""Guessing prescription codes is limited as guessing tracking codes is: an API token's codes that
name no prescription are counted, and past DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR of them in an
hour it waits (429 with Retry-After), whether it reads or delivers by code."""

import pytest
from prescribing import bearer

from server.domain.tracking import new_tracking_code


def guessed(written: dict) -> str:
    """A well-formed prescription code that names no prescription."""
    code = new_tracking_code()
    return code if code != written["code"] else guessed(written)


@pytest.fixture
def few_misses(app, monkeypatch):
    """Three misses an hour, for the test's sake."""
    monkeypatch.setitem(app.config, "DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR", 3)


def look_up(client, token: str, code: str):
    """A centre's read of a prescription by its code."""
    return client.get(f"/api/provider/prescriptions/{code}", headers=bearer(token))


def test_a_tokens_guesses_end_in_a_429_with_retry_after(
    client, written, pharmacy, pharmacy2, clock, few_misses
):
    for _ in range(3):
        assert look_up(client, pharmacy, guessed(written)).status_code == 404
    clock.move(minutes=15)
    refused = look_up(client, pharmacy, written["code"])  # even a right one, while it waits
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) == 45 * 60
    assert refused.get_json()["message"] == (
        "کدهای نسخهٔ بسیاری یافت نشدند. لطفاً ۴۵ دقیقهٔ دیگر دوباره تلاش کنید."
    )
    assert look_up(client, pharmacy2, written["code"]).status_code == 200  # another token's own
    clock.move(minutes=46)
    assert look_up(client, pharmacy, written["code"]).status_code == 200


def test_guesses_at_delivery_count_too(client, written, pharmacy, dispense, few_misses):
    for _ in range(3):
        assert dispense(pharmacy, guessed(written), {"D1001": 1}).status_code == 404
    refused = dispense(pharmacy, written["code"], {"D1001": 1})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == 3600
    assert look_up(client, pharmacy, written["code"]).status_code == 429  # one count for both


def test_codes_found_are_not_counted(app, client, written, pharmacy):
    for _ in range(app.config["DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR"] + 1):
        assert look_up(client, pharmacy, written["code"]).status_code == 200


def test_thirty_misses_by_default(client, written, pharmacy):
    for _ in range(30):
        assert look_up(client, pharmacy, guessed(written)).status_code == 404
    assert look_up(client, pharmacy, guessed(written)).status_code == 429
