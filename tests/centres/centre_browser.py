"""A browser on the web for centres, for the centres' tests and the staff's (a lost device)."""

import json
import re

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
