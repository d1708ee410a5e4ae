"""`make deploy-check`: the stack of deploy/check/stack.py once for the run, and Chromium."""

import os
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "notify"), str(ROOT / "e2e")]
from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from stack import Stack  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FIGURES: list[str] = []  # measured by the checks, printed at the end of the run
LAST = "test_node_failover.py"  # stops an app node: every other check needs both


def pytest_collection_modifyitems(items):
    """Stopping an app node comes last (the database's failover runs with both nodes)."""
    items.sort(key=lambda item: item.path.name == LAST)


def pytest_terminal_summary(terminalreporter):
    """The figures the checks measured (the database's failover window, …)."""
    for figure in FIGURES:
        terminalreporter.write_line(figure)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """nginx, two nodes, a worker and a push service on one PostgreSQL; stopped at the end."""
    running = Stack(tmp_path_factory.mktemp("deploy"))
    try:
        running.start()
        yield running
    finally:
        running.stop()
        if os.environ.get("DARMAN_DEPLOY_SHOW_LOGS"):
            for name in running.processes:
                print(f"--- {name}\n{running.log(name)}")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium (Playwright never downloads one)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, stack):
    """A phone-sized tab in Persian, on nginx's https address (the certificate is self-signed)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fa-IR", base_url=stack.url,
        ignore_https_errors=True, service_workers="allow",
    )  # fmt: skip
    yield context.new_page()
    context.close()


@pytest.fixture
def shoot():
    """Save a screenshot: shoot(page, "home")."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return save
