"""The worker counts its pushes by result (`darman_push_total`), and `/metrics` shows the queue."""

import sys
from pathlib import Path

from families import INSURED, INSURED_MOBILE
from test_delivery import tell

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))
from scrape import samples, value  # noqa: E402


def test_pushes_are_counted_sent_and_failed(app, client, family, subscribe, push_service, worker):
    phone = subscribe(INSURED, INSURED_MOBILE)
    before = samples(client)
    tell(app)
    worker()
    push_service.answer(phone, 400)  # refused for good: failed at once
    tell(app, prescription_id=8)
    worker()
    after = samples(client)

    def grew(result):
        return value(after, "darman_push_total", result=result) - value(
            before, "darman_push_total", result=result
        )

    assert (grew("sent"), grew("failed")) == (1, 1)
    assert value(after, "darman_push_waiting") == 0
