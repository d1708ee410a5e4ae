"""Staff fixtures: staff members made by the real CLI command, and a browser-like client that
signs in through every step (SMS code, then a passkey from the software authenticator)."""

import json
import re

import pytest
from auth.authenticator import SoftAuthenticator

TEHRAN_ADDRESS = "5.160.0.10"


class StaffBrowser:
    """A staff member's browser: keeps its cookies, sends the CSRF token with every form."""

    def __init__(self, app, client) -> None:
        self.app = app
        self.client = client
        self.authenticator = SoftAuthenticator()
        self._csrf: str | None = None

    def csrf(self) -> str:
        """The CSRF token a console page carries in its meta tag."""
        if self._csrf is None:
            page = self.client.get("/staff/sign-in").get_data(as_text=True)
            self._csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        return self._csrf

    def get(self, url: str, **kwargs):
        """GET."""
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        """A form POST with the CSRF token."""
        return self.client.post(url, data={"csrf_token": self.csrf(), **(data or {})}, **kwargs)

    def post_json(self, url: str, payload: dict | None = None):
        """A JSON POST with the CSRF header (the passkey steps)."""
        return self.client.post(url, json=payload or {}, headers={"X-CSRFToken": self.csrf()})

    def person_url(self, national_code: str) -> str:
        """The signed link to a person's page, as the search by national code gives it."""
        found = self.post("/staff/branch", {"national_code": national_code})
        assert found.status_code == 303, found.get_data(as_text=True)
        return found.location

    def last_sms(self) -> dict:
        """The last message the file backend wrote."""
        path = self.app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
        with open(path, encoding="utf-8") as stream:
            return json.loads(stream.read().splitlines()[-1])

    def start(self, national_code: str, mobile: str):
        """Step one."""
        return self.post("/staff/sign-in", {"national_code": national_code, "mobile": mobile})

    def passkey(self):
        """Step three: options, the authenticator's answer, the verification."""
        options = self.post_json("/staff/sign-in/passkey/options").get_json()
        if options["mode"] == "register":
            credential = self.authenticator.create(options["options"])
        else:
            credential = self.authenticator.get(options["options"])
        return self.post_json(
            "/staff/sign-in/passkey/verify", {"state": options["state"], "credential": credential}
        )

    def sign_in(self, national_code: str, mobile: str):
        """Every step; returns the passkey verification's answer."""
        started = self.start(national_code, mobile)
        assert started.status_code == 303, started.get_data(as_text=True)
        coded = self.post("/staff/sign-in/code", {"code": self.last_sms()["code"]})
        assert coded.status_code == 303, coded.get_data(as_text=True)
        verified = self.passkey()
        assert verified.status_code == 200, verified.get_json()
        return verified


@pytest.fixture
def make_staff(runner):
    """`make_staff("branch")` → (id, national code, mobile), made by the real CLI command."""
    codes = iter(("0499370899", "0084575948", "0067749828", "1111111111"))
    mobiles = iter(("09121110001", "09121110002", "09121110003"))

    def make(role: str) -> tuple[int, str, str]:
        national_code, mobile = next(codes), next(mobiles)
        result = runner.invoke(
            args=["darman", "staff", "create", national_code, mobile, "--role", role]
        )
        assert result.exit_code == 0, result.output
        return int(result.output.strip()), national_code, mobile

    return make


@pytest.fixture
def staff_browser(app):
    """A fresh staff browser."""

    def make() -> StaffBrowser:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = TEHRAN_ADDRESS
        return StaffBrowser(app, client)

    return make


@pytest.fixture
def signed_in(make_staff, staff_browser):
    """`signed_in("admin")` → a staff browser signed in with that role."""

    def sign_in(role: str) -> StaffBrowser:
        _, national_code, mobile = make_staff(role)
        browser = staff_browser()
        browser.sign_in(national_code, mobile)
        return browser

    return sign_in
