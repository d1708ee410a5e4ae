"""The citizen's journey over https through nginx, in Chromium: register, make a passkey, the
`__Host-` cookie; the session made through one node used on the other; the card signed by one
node verified with the keys the other publishes; a push delivered by the worker."""

import json
import re
import time
from datetime import UTC, datetime

from browser import add_passkey_device
from families import INSURED, INSURED_MOBILE
from helpers import call, node, scrape

from server.card.verify import verify

COVERED = "حمایت درمانی دارد"
LOST_TITLE = "حمایت درمانی ندارد"
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
CONTRIBUTIONS = "national_code,jalali_year,jalali_month,days,workshop_code"


def register_with_a_passkey(page, stack, shoot) -> None:
    """Welcome → SMS sign-in → make a passkey → home."""
    add_passkey_device(page)
    page.goto("/")
    page.get_by_role("link", name="ورود یا ثبت‌نام با کد ملی").click()
    page.get_by_label("کد ملی").fill(INSURED.translate(PERSIAN))
    page.get_by_label("شمارهٔ همراه").fill(INSURED_MOBILE.translate(PERSIAN))
    page.get_by_role("button", name="فرستادن کد").click()
    page.get_by_label("کد پیامک").wait_for()
    page.get_by_label("کد پیامک").fill(stack.last_code().translate(PERSIAN))
    page.get_by_role("button", name="ورود", exact=True).click()
    page.get_by_role("heading", name="دفعهٔ بعد سریع‌تر وارد شوید").wait_for()
    page.get_by_role("button", name="ساختن کلید عبور").click()
    page.locator("article.card").wait_for()
    # covered (this family's cover also ends within 30 days, which the card says after a dash)
    assert page.locator("article.card .status").inner_text().strip().startswith(COVERED)
    shoot(page, "home-over-https")


def session_cookie(page) -> dict:
    """The session cookie the browser keeps."""
    (cookie,) = [c for c in page.context.cookies() if c["name"].startswith("__Host-")]
    return cookie


def test_register_passkey_cookie_session_card_and_push_across_nodes(page, stack, shoot):
    register_with_a_passkey(page, stack, shoot)

    cookie = session_cookie(page)
    assert cookie["name"] == "__Host-darman"
    assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (
        True, True, "Lax", "/",
    )  # fmt: skip
    header = f"{cookie['name']}={cookie['value']}"

    # one session, whichever node answers; and without the cookie, neither knows me
    answers = [node(stack, name, "/api/me", header) for name in ("a", "b")]
    assert [status for status, _ in answers] == [200, 200], answers
    assert json.loads(answers[0][1]) == json.loads(answers[1][1])
    assert node(stack, "b", "/api/me")[0] == 401

    # the card: signed on node A, verified with node B's published keys
    status, body = node(stack, "a", "/api/card", header)
    assert status == 200, body
    token = json.loads(body)["token"]
    status, keys = node(stack, "b", "/api/card/keys")
    card = verify(token, json.loads(keys), datetime.now(UTC))
    assert card.national_code == INSURED and card.covered

    # a push: the page subscribes (through nginx), a change in the registry, the worker sends
    browser = stack.push_service.browser()
    stored = call(page, "POST", "/api/push/subscriptions", browser.subscription())
    assert stored["status"] == 201, stored
    folder = stack.folder / "aban"
    folder.mkdir()
    (folder / "contributions.csv").write_text(
        f"{CONTRIBUTIONS}\n{INSURED},1405,8,0,W1\n", encoding="utf-8"
    )
    stack.flask("darman", "import", str(folder))
    deadline = time.monotonic() + 30
    while not stack.push_service.payloads(browser) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert LOST_TITLE in [pushed["title"] for pushed in stack.push_service.payloads(browser)]
    assert stack.push_service.problems == []
    sent = scrape(f"http://127.0.0.1:{stack.worker_metrics_port}/metrics")
    assert sent[("darman_push_total", (("result", "sent"),))] >= 1

    # signed out, back in with the passkey alone
    page.get_by_role("link", name="تنظیمات").click()
    page.get_by_role("button", name="خروج از حساب در این دستگاه").click()
    page.get_by_role("button", name="ورود با کلید عبور").click()
    page.locator("article.card").wait_for()
    assert re.search(r"کد رهگیری", page.locator("article.card").inner_text())
    shoot(page, "signed-in-again-with-the-passkey")
