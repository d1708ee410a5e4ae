"""What the journeys do in the browser: passkey devices, waiting, signing in by SMS."""

import os
import time
from datetime import datetime
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("DARMAN_CHROMIUM", "/usr/bin/chromium")
UNSAFE_PORTS = {5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_DEVICES: dict = {}  # each page's virtual authenticator
# A person's passkeys (private keys included), as their passkey provider syncs them between their
# devices: a person who has a passkey adds another only with it, so a second browser of the run
# gets the passkey the first one made instead of making its own after an SMS code.
_SYNCED: dict[tuple[str, str], list[dict]] = {}  # by (server, person)


def add_passkey_device(page) -> dict:
    """Chromium's virtual authenticator (a platform one with user verification)."""
    _DEVICES[page] = _virtual_authenticator(page, "internal")
    return _DEVICES[page]


def _virtual_authenticator(page, transport: str) -> dict:
    """A user-verifying CTAP2 authenticator with resident keys, reached by `transport`."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": transport,
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return {"cdp": cdp, "id": authenticator["authenticatorId"]}


def credentials_on(device: dict) -> list[dict]:
    """The credentials on a virtual authenticator, private keys included."""
    found = device["cdp"].send("WebAuthn.getCredentials", {"authenticatorId": device["id"]})
    return found["credentials"]


def add_phone(page, credentials: list[dict]) -> dict:
    """A second authenticator beside the page's own, standing for the person's phone (reached
    by cable or a QR code, not built in), holding `credentials`."""
    phone = _virtual_authenticator(page, "usb")
    _add_credentials(phone, credentials)
    return phone


def _add_credentials(device: dict, credentials: list[dict]) -> None:
    """Put `credentials` (with their private keys) on a virtual authenticator."""
    for credential in credentials:
        device["cdp"].send(
            "WebAuthn.addCredential", {"authenticatorId": device["id"], "credential": credential}
        )


def sync_passkeys(page, person: str) -> None:
    """Put on this page's authenticator the passkeys `person` made or used in another browser
    of the run (none yet: nothing to sync)."""
    _add_credentials(_DEVICES[page], _SYNCED.get(_synced_key(page, person), []))


def keep_for_sync(page, person: str) -> None:
    """Remember `person`'s passkeys on this page's authenticator (with their latest sign counts)
    for the next browser that syncs them."""
    _SYNCED[_synced_key(page, person)] = credentials_on(_DEVICES[page])


def _synced_key(page, person: str) -> tuple[str, str]:
    """A person's passkeys are kept per server (its host and port): a journey with an app of its
    own makes passkeys there that another server does not know — and with the same user handle,
    so put on one authenticator they would replace the ones this server knows."""
    return urlsplit(page.url).netloc, person


def wait_until(page, expression: str, timeout: float = 15) -> object:
    """Poll a JavaScript expression until it is truthy (wait_for_function needs eval, which the
    app's CSP forbids — rightly)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def wait_for_service_worker(page) -> None:
    """Until a service worker controls the page and is activated."""
    wait_until(
        page,
        "Boolean(navigator.serviceWorker.controller"
        " && navigator.serviceWorker.controller.state === 'activated')",
    )


# The sign-in screens' words, in Persian and in English.
SIGN_IN_WORDS = {
    "fa": ("کد ملی", "شمارهٔ همراه", "فرستادن کد", "کد پیامک", "ورود", "فعلاً نه"),
    "en": ("National code", "Mobile number", "Send the code", "The code of the SMS", "Sign in",
           "Not now"),
}  # fmt: skip


def sign_in_by_sms(page, server, national_code: str, mobile: str, language: str = "fa") -> None:
    """The SMS sign-in through the screens (in English once the app is in English)."""
    code_label, mobile_label, send, sms_label, enter, later = SIGN_IN_WORDS[language]
    page.goto("/#/sign-in")
    page.get_by_label(code_label).fill(national_code)
    page.get_by_label(mobile_label).fill(mobile)
    page.get_by_role("button", name=send).click()
    page.get_by_label(sms_label).wait_for()
    page.get_by_label(sms_label).fill(server.last_code())
    page.get_by_role("button", name=enter, exact=True).click()
    not_now = page.get_by_role("link", name=later)
    not_now.or_(page.locator("article.card")).first.wait_for()
    if not_now.is_visible():  # the first time, a passkey is offered: not now
        not_now.click()
    page.locator("article.card").wait_for()


def pin_today(page, today: str = "2026-11-22") -> None:
    """The phone's clock at 9:00 in Tehran on the server's pinned day (days left are counted on
    the phone); it ticks on from there. Call before the first page load."""
    page.clock.install(time=datetime.fromisoformat(f"{today}T09:00:00+03:30"))
