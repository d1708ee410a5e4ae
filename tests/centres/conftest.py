"""Fixtures of the centres' tests: centres and tokens made with the real commands."""

import json
import re
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

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class CentreBrowser:
    """A browser on /centre/: keeps cookies, sends each form with its CSRF token, reads SMS."""

    def __init__(self, app, client) -> None:
        self.app = app
        self.client = client

    def csrf(self, url: str = "/centre/sign-in") -> str:
        """The CSRF token a page carries."""
        page = self.client.get(url)
        return CSRF.search(page.get_data(as_text=True)).group(1)

    def get(self, url: str, **kwargs):
        """GET a page."""
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with the CSRF token of the page it is on."""
        token = self.csrf(
            kwargs.pop(
                "page", url if not url.endswith(("/remove", "/revoke")) else "/centre/eligibility"
            )
        )
        return self.client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)

    def post_json(self, url: str, body: dict):
        """POST JSON with the CSRF header, as the passkey module does."""
        token = self.csrf("/centre/passkey")
        return self.client.post(url, json=body, headers={"X-CSRFToken": token})

    def last_sms(self) -> dict:
        """The last message the file backend wrote."""
        path = self.app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
        with open(path, encoding="utf-8") as stream:
            return json.loads(stream.read().splitlines()[-1])

    def sign_in(self, national_code: str, mobile: str):
        """The SMS sign-in; returns the answer to the code."""
        started = self.post("/centre/sign-in", {"national_code": national_code, "mobile": mobile})
        assert started.status_code == 302, started.get_data(as_text=True)
        code = self.last_sms()["code"]
        return self.post("/centre/sign-in/code", {"code": code}, page="/centre/sign-in/code")

    def confirm_with_passkey(self, authenticator) -> None:
        """Make (or use) a passkey with the software authenticator; the session may write."""
        ceremony = self.post_json("/centre/passkey/options", {}).get_json()
        make = authenticator.create if ceremony["mode"] == "register" else authenticator.get
        credential = make(ceremony["options"])
        answer = self.post_json(
            "/centre/passkey/verify", {"state": ceremony["state"], "credential": credential}
        )
        assert answer.status_code == 200, answer.get_json()


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
