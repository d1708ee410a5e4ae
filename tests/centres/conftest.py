"""Fixtures of the centres' tests: centres and tokens made with the real commands."""

import sys
from pathlib import Path

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


# The software authenticator lives beside the citizen's passkey tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "auth"))

from centres.centre_browser import CentreBrowser  # noqa: E402
from centres.web_prescribing import make_pharmacist  # noqa: E402


@pytest.fixture
def centre_browser(app):
    """A fresh browser for the web for centres."""
    return CentreBrowser(app, app.test_client())


@pytest.fixture
def make_browser(app):
    """More browsers."""
    return lambda: CentreBrowser(app, app.test_client())


@pytest.fixture
def clinic(family, flask_command):
    """Ali Rezaei (the family's insured) is the admin of a doctor's office; its id."""
    from families import INSURED, INSURED_MOBILE

    return int(
        flask_command(
            "centre",
            "create",
            "مطب سلامت",
            "--kind",
            "doctor",
            "--admin",
            f"{INSURED}:{INSURED_MOBILE}",
        )  # fmt: skip
    )


@pytest.fixture
def admin(clinic, centre_browser):
    """Ali, the clinic's admin, signed in and confirmed with a (new) passkey."""
    from authenticator import SoftAuthenticator  # tests/auth, on the path (above)
    from families import INSURED, INSURED_MOBILE

    centre_browser.sign_in(INSURED, INSURED_MOBILE)
    centre_browser.authenticator = SoftAuthenticator()
    centre_browser.confirm_with_passkey(centre_browser.authenticator)
    return centre_browser


@pytest.fixture
def pharmacists(app, family, flask_command, make_browser):
    """The pharmacists of Razi and Sina pharmacies in the web, confirmed with passkeys (the
    races' two counters)."""
    razi = make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")
    sina = make_pharmacist(app, flask_command, make_browser(), "داروخانه سینا", "son")
    return razi, sina
