"""Fixtures of the notices tests: the local push service, subscribed citizens, the worker."""

import pytest
from fake_push_service import PushService
from families import INSURED, INSURED_MOBILE

from server.notify.vapid import signer


@pytest.fixture(autouse=True)
def _loopback_endpoints(app):
    """The fake push service is on 127.0.0.1: admit it, as DARMAN_PUSH_ALLOW_LOOPBACK=1 does."""
    app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = True
    yield
    app.config["DARMAN_PUSH_ALLOW_LOOPBACK"] = False


@pytest.fixture
def push_service(app):
    """A running local push service that knows our VAPID public key."""
    with app.app_context():
        public_key = signer().public_key
    with PushService(public_key) as service:
        yield service
    assert service.problems == []


@pytest.fixture
def today(app):
    """Set the pinned date for one test, then put it back."""
    pinned = app.config["DARMAN_TODAY"]

    def set_today(iso: str) -> None:
        app.config["DARMAN_TODAY"] = iso

    yield set_today
    app.config["DARMAN_TODAY"] = pinned


@pytest.fixture
def worker(runner):
    """Run `flask darman worker --once`; its output."""

    def run_once() -> str:
        result = runner.invoke(args=["darman", "worker", "--once"])
        assert result.exit_code == 0, result.output
        return result.output

    return run_once


@pytest.fixture
def subscribe(make_citizen, push_service, clock):
    """Sign a person in on a new browser and subscribe it; the fake browser."""

    def sign_in_and_subscribe(national_code: str, mobile: str):
        clock.move(seconds=61)  # one SMS a minute per person
        browser_client = make_citizen()
        answer = browser_client.sign_in(national_code, mobile)
        assert answer.status_code == 200, answer.get_json()
        browser = push_service.browser()
        stored = browser_client.post("/api/push/subscriptions", browser.subscription())
        assert stored.status_code == 201, stored.get_json()
        browser.client = browser_client
        return browser

    return sign_in_and_subscribe


@pytest.fixture
def ali(citizen, family, clock):
    """Ali, the family's main insured, signed in."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen
