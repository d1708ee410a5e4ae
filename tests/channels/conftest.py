"""Fixtures of the channel tests: the gateways with their secret, a provider token for FHIR,
and a card keyring of the test's own."""

import pytest
from channel_testing import SECRET, Gateway, make_token


@pytest.fixture
def gateway(app, client, monkeypatch):
    """The gateways, with the shared secret configured."""
    monkeypatch.setitem(app.config, "DARMAN_GATEWAY_SECRET", SECRET)
    return Gateway(app, client)


@pytest.fixture
def token(runner):
    """A doctor's token, made with the real command."""
    return make_token(runner, "doctor")


@pytest.fixture
def card_keys(app, tmp_path, monkeypatch):
    """A key folder of this test's own."""
    folder = tmp_path / "card-keys"
    monkeypatch.setitem(app.config, "DARMAN_CARD_KEY_DIR", str(folder))
    return folder
