"""Browser tests: the real app (e2e/live_server.py) once per session, driven in Debian's
Chromium. Screenshots of each screen (360×740) land in e2e/artifacts/, and axe-core checks each
screen that is shot (zero violations), and so does the screen check (screen_check.py).
"""

import os
import re
from pathlib import Path

import pytest
from axe import assert_accessible
from browser import CHROMIUM, CHROMIUM_ARGS
from live_server import Server
from playwright.sync_api import sync_playwright
from screen_check import assert_screen, watch

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The app, running."""
    running = Server(tmp_path_factory.mktemp("e2e"))
    try:
        running.start()
        yield running
    finally:
        running.stop()
    if os.environ.get("DARMAN_E2E_SHOW_LOG"):
        print(running.log.read_text())


@pytest.fixture(scope="session")
def playwright_instance():
    """Playwright, with no browser of its own: Debian's Chromium."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Headless Chromium."""
    chromium = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    new_context = chromium.new_context

    def watched_context(**options):
        """A profile whose screens the screen check follows (see screen_check.watch)."""
        profile = new_context(**options)
        watch(profile)
        return profile

    chromium.new_context = watched_context
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser, server):
    """A fresh phone-sized browser profile, in Persian."""
    profile = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fa-IR", base_url=server.url,
        service_workers="allow", device_scale_factor=1,
    )  # fmt: skip
    yield profile
    profile.close()


@pytest.fixture
def page(context):
    """A tab."""
    return context.new_page()


@pytest.fixture
def shoot(request):
    """Save a screenshot of the page as an artefact, after axe-core and the screen check
    (screen_check.py) found nothing wrong on it: shoot(page, "home")."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        safe = re.sub(r"[^\w.-]+", "-", f"{request.node.name}-{name}")
        path = ARTIFACTS / f"{safe}.png"
        page.screenshot(path=str(path), full_page=True)
        assert_accessible(page, name)
        assert_screen(page, name)
        return path

    return save
