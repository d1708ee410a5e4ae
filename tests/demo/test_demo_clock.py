"""`clock.at`: a batch job (the demo's history) writes the past at its moment, and nothing
outside the block sees that moment: not the code after it, not another thread."""

import threading
from datetime import UTC, date, datetime

from server import clock

MOMENT = datetime(2025, 3, 20, 21, 0, tzinfo=UTC)  # 00:30 on 21 March in Tehran


def test_within_the_block_now_is_the_moment_and_today_its_day_in_tehran(app):
    with app.app_context(), clock.at(MOMENT):
        assert clock.now() == MOMENT
        assert clock.today() == date(2025, 3, 21)


def test_after_the_block_the_clock_is_the_configs_again(app):
    with app.app_context():
        with clock.at(MOMENT):
            pass
        assert clock.today() == date.fromisoformat(app.config["DARMAN_TODAY"])
        assert clock.now() != MOMENT


def test_the_block_is_undone_when_it_raises(app):
    try:
        with clock.at(MOMENT):
            raise RuntimeError("a refused write")
    except RuntimeError:
        pass
    assert clock.now() != MOMENT


def test_another_thread_does_not_see_the_moment(app):
    seen = []
    with clock.at(MOMENT):
        other = threading.Thread(target=lambda: seen.append(clock.now()))
        other.start()
        other.join()
    assert seen and seen[0] != MOMENT
