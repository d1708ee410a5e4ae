"""Fixtures of the centres' tests: centres and tokens made with the real commands."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import ProviderToken


@pytest.fixture
def flask_command(runner):
    """Run `flask darman …` and return its stdout; fails the test on a non-zero exit."""

    def run(*args: str) -> str:
        result = runner.invoke(args=["darman", *args])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    return run


@pytest.fixture
def token_id(app):
    """The id of a token, from the token itself (tests only: the CLI lists ids)."""
    from server.auth.providers import hash_token

    def find(token: str) -> int:
        with app.app_context():
            return db.session.scalar(
                select(ProviderToken.id).where(ProviderToken.token_hash == hash_token(token))
            )

    return find


@pytest.fixture
def settings(app):
    """Change app settings for one test; they come back afterwards."""
    saved = {}

    def change(**values) -> None:
        for name, value in values.items():
            saved.setdefault(name, app.config.get(name))
            app.config[name] = value

    yield change
    app.config.update(saved)
