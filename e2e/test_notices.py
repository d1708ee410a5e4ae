"""The notices journey in a real Chromium: turn notices on (permission only on the tap), a coverage
change from a real import and the real worker reaches the inbox, the tab's badge and — through the
local push service, which decrypts what the worker sent — the service worker, which shows it.

What headless Chromium cannot do here, and what stands in for it:
- `pushManager.subscribe` needs the browser's push service (none is reachable headless: it
  answers "Registration failed - permission denied"). The page's PushManager is replaced by one
  that hands out the subscription of a fake browser at tests/notify/fake_push_service.py; the
  app's own code (permission on the tap, the VAPID key, POST/DELETE) runs unchanged.
- The push is delivered to the real service worker with CDP `ServiceWorker.deliverPushMessage`,
  carrying the very payload the worker sent (decrypted by the local push service).
- A system notification cannot be clicked headless: the test calls the service worker's own
  `openNotice(notification.data)`, the function its `notificationclick` handler runs, with the
  data of the shown notification; the click event itself is not dispatched.
"""

import json
import sys
from pathlib import Path

from browser import sign_in_by_sms, wait_for_service_worker, wait_until
from families import INSURED, INSURED_MOBILE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "notify"))
from fake_push_service import PushService  # noqa: E402

CONTRIBUTIONS = "national_code,jalali_year,jalali_month,days,workshop_code"
LOST_TITLE = "حمایت درمانی ندارد"
LOST_BODY = "حمایت درمانی شما از ۳۰ آبان ۱۴۰۵ پایان یافته است."
LOST_LABEL = "قطع حمایت درمانی من بر اثر تغییر سوابق"

# Replaces the page's PushManager (see the module's docstring); keeps its state and a log of the
# app's push calls in sessionStorage, so that it survives reloads.
FAKE_PUSH = """
(() => {
  const SUBSCRIPTION = %s;
  const state = () => JSON.parse(sessionStorage.getItem('fakePush') || '{"on": false, "log": []}');
  const save = (s) => sessionStorage.setItem('fakePush', JSON.stringify(s));
  const note = (line) => { const s = state(); s.log.push(line); save(s); };
  const subscription = () => ({
    endpoint: SUBSCRIPTION.endpoint, options: {},
    toJSON: () => SUBSCRIPTION,
    unsubscribe: async () => {
      const s = state(); s.on = false; save(s); note('unsubscribe'); return true;
    },
  });
  PushManager.prototype.subscribe = async function (options) {
    const key = btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)))
      .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    const s = state(); s.on = true; s.key = key; save(s); note('subscribe');
    return subscription();
  };
  PushManager.prototype.getSubscription = async function () {
    return state().on ? subscription() : null;
  };
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => { note('requestPermission'); return ask(...args); };
  const realFetch = window.fetch.bind(window);
  window.fetch = async (url, init = {}) => {
    const response = await realFetch(url, init);
    if (String(url).startsWith('/api/push') || String(url).startsWith('/api/auth/logout')) {
      note(`${init.method || 'GET'} ${url} ${response.status}`);
    }
    return response;
  };
})();
"""

API = """async ([method, url, body]) => {
  const { csrf_token } = await (await fetch('/api/auth/csrf')).json();
  const response = await fetch(url, { method, headers: {'Content-Type': 'application/json',
    'X-CSRFToken': csrf_token}, body: body === null ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}"""

SHOWN = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }))"""


def call(page, method: str, url: str, body=None) -> dict:
    """The API from inside the signed-in page."""
    return page.evaluate(API, [method, url, body])


def push_log(page) -> list[str]:
    """What the app did with push (see FAKE_PUSH)."""
    return page.evaluate("JSON.parse(sessionStorage.getItem('fakePush') || '{\"log\": []}').log")


def pay_aban(server, folder: Path, days: int) -> None:
    """Import Ali's contribution days for Aban 1405 and run the sender worker once."""
    folder.mkdir(exist_ok=True)
    (folder / "contributions.csv").write_text(
        f"{CONTRIBUTIONS}\n{INSURED},1405,8,{days},W1\n", encoding="utf-8"
    )
    server.flask("darman", "import", str(folder))
    server.flask("darman", "worker", "--once")


def registration_id(page) -> tuple[object, str]:
    """A CDP session and the id of the page's service worker registration."""
    cdp = page.context.new_cdp_session(page)
    registrations: dict[str, dict] = {}

    def seen(event: dict) -> None:
        for registration in event["registrations"]:
            registrations[registration["registrationId"]] = registration

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    for _ in range(100):
        live = [r for r in registrations.values() if not r["isDeleted"]]
        if live:
            return cdp, live[0]["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError("no service worker registration was reported")


def deliver(cdp, server, registration: str, data: str) -> None:
    """A push message to the service worker, as the browser's push service would."""
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": server.url, "registrationId": registration, "data": data},
    )


def shown(page, **match) -> list[dict]:
    """The notifications shown, those matching `match`."""
    return [
        n for n in page.evaluate(SHOWN) if all(n.get(key) == value for key, value in match.items())
    ]


def test_a_coverage_change_reaches_inbox_badge_and_phone(page, context, server, shoot, tmp_path):
    context.grant_permissions(["notifications"], origin=server.url)
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    wait_for_service_worker(page)
    key = page.evaluate("fetch('/api/push/key').then((r) => r.json())")["public_key"]
    with PushService(key) as push_service:
        journey(page, context, server, shoot, tmp_path, push_service, key)
    assert push_service.problems == []


def journey(page, context, server, shoot, tmp_path, push_service, key):
    """The notices journey, with the local push service running."""
    phone = push_service.browser()
    page.add_init_script(FAKE_PUSH % json.dumps(phone.subscription()))
    page.reload()
    page.locator("article.card").wait_for()

    # Nothing is asked on load; the tap asks, subscribes with the server's key and sends it.
    page.get_by_role("link", name="تنظیمات", exact=True).click()
    turn_on = page.get_by_role("button", name="روشن کردن اعلان‌ها")
    turn_on.wait_for()
    shoot(page, "settings-notices-off")
    assert push_log(page) == []
    turn_on.click()
    page.locator(".push-on", has_text="اعلان‌ها در این دستگاه روشن است.").wait_for()
    log = push_log(page)
    posted = "POST /api/push/subscriptions 201"
    assert log == ["requestPermission", "GET /api/push/key 200", "subscribe", posted]
    assert page.evaluate("JSON.parse(sessionStorage.getItem('fakePush')).key") == key
    again = call(page, "POST", "/api/push/subscriptions", phone.subscription())
    assert again["status"] == 200  # the app stored it: the server knows it
    shoot(page, "settings-notices-on")

    # A real import that ends Ali's cover (Aban's days corrected to none), then the real worker.
    try:
        pay_aban(server, tmp_path / "aban-0", 0)
        sent = [p for p in push_service.payloads(phone) if p["kind"] == "coverage_lost"]
        assert len(sent) == 1 and sent[0]["body"] == LOST_BODY and sent[0]["url"] == "/#/home"
        unread = call(page, "GET", "/api/notifications")["body"]["unread"]
        assert unread >= 1

        # The badge, after the next render.
        page.get_by_role("link", name="خانه").click()
        page.locator("article.card").wait_for()
        badge = page.locator("#tabs .tab-notices .count")
        wait_until(page, "document.querySelector('#tabs .tab-notices .count:not([hidden])')")
        persian = str(unread).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert badge.inner_text().startswith(persian)
        shoot(page, "home-with-badge")

        # The inbox: the Persian notice, unread.
        page.get_by_role("link", name="اعلان‌ها").click()
        mine = page.locator("a.notice", has_text=LOST_BODY)
        mine.wait_for()
        assert LOST_TITLE in mine.inner_text()
        assert "تازه" in mine.inner_text()
        assert "۱۴۰۵" in mine.locator("time").inner_text()
        shoot(page, "inbox")

        # The push the worker sent, delivered to the real service worker: shown, once per notice.
        cdp, registration = registration_id(page)
        deliver(cdp, server, registration, json.dumps(sent[0], ensure_ascii=False))
        tag = f"darman-notice-{sent[0]['id']}"
        wait_until(page, f"({SHOWN})().then((all) => all.some((n) => n.tag === '{tag}'))")
        (notification,) = shown(page, tag=tag)
        assert notification["title"] == LOST_TITLE and notification["body"] == LOST_BODY
        assert notification["data"]["url"] == f"{server.url}/#/home"
        deliver(cdp, server, registration, json.dumps(sent[0], ensure_ascii=False))
        page.wait_for_timeout(500)
        assert len(shown(page, tag=tag)) == 1  # sent again: it replaces the first

        deliver(cdp, server, registration, "سلام؛ این یک متن ساده است")
        wait_until(page, f"({SHOWN})().then((all) => all.some((n) => n.body.includes('سلام')))")
        (text,) = shown(page, body="سلام؛ این یک متن ساده است")
        assert text["title"] == "درمان من" and text["data"]["url"] == f"{server.url}/#/notices"

        # "Clicking" it: the service worker's notificationclick code, with the shown notice's data.
        assert page.evaluate("location.hash") == "#/notices"
        (worker,) = [w for w in context.service_workers if w.url.startswith(server.url)]
        worker.evaluate(
            "async (tag) => { const [n] = await self.registration.getNotifications({ tag });"
            " await openNotice(n.data); }",
            tag,
        )
        wait_until(page, "location.hash === '#/home'")
        page.locator("article.card").wait_for()

        # Opening a notice from the inbox marks it read and goes to its screen.
        page.get_by_role("link", name="اعلان‌ها").click()
        page.locator("a.notice", has_text=LOST_BODY).click()
        wait_until(page, "location.hash === '#/home'")
        assert call(page, "GET", "/api/notifications")["body"]["unread"] == unread - 1

        # Mark all read: the badge goes.
        page.get_by_role("link", name="اعلان‌ها").click()
        page.get_by_role("button", name="علامت‌گذاری همه به‌عنوان خوانده‌شده").click()
        page.locator(".notices-head", has_text="همه خوانده شده").wait_for()
        assert page.locator("a.notice.unread").count() == 0
        assert not badge.is_visible()
        assert call(page, "GET", "/api/notifications")["body"]["unread"] == 0
        shoot(page, "inbox-read")

        # A kind turned off in settings is saved.
        page.get_by_role("link", name="تنظیمات", exact=True).click()
        page.locator(".kind-group summary").first.click()  # my cover's group opens to its kinds
        switch = page.get_by_role("switch", name=LOST_LABEL)
        assert switch.is_checked()
        switch.uncheck()
        saved = page.locator(".notice-settings .saved[role=status]")  # seen, not only heard
        saved.wait_for()
        assert saved.inner_text() == "ذخیره شد: این اعلان‌ها را دریافت نمی‌کنید."
        kinds = call(page, "GET", "/api/notifications/settings")["body"]["kinds"]
        assert {k["kind"]: k["enabled"] for k in kinds}["coverage_lost"] is False
        page.reload()
        assert not page.get_by_role("switch", name="حمایت درمانی من", exact=True).is_checked()
        page.locator(".kind-group summary").first.click()
        assert not page.get_by_role("switch", name=LOST_LABEL).is_checked()
        shoot(page, "settings-kind-off")
        page.get_by_role("switch", name=LOST_LABEL).check()
        page.get_by_text("ذخیره شد: این اعلان‌ها را دریافت می‌کنید.").wait_for()

        # Signing out forgets this device on the server; signing in again sends it again.
        page.get_by_role("button", name="خروج از حساب در این دستگاه").click()
        page.get_by_role("heading", name="به «درمان من» خوش آمدید").wait_for()
        log = push_log(page)
        forget = log.index("DELETE /api/push/subscriptions 204")
        assert forget < log.index("POST /api/auth/logout 200")
        sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
        wait_until(
            page,
            "JSON.parse(sessionStorage.getItem('fakePush')).log"
            ".slice(-1)[0] === 'POST /api/push/subscriptions 201'",
        )  # 201: the server had forgotten it, and now has it again

        # Turning notices off: unsubscribed, and the server forgets it.
        page.get_by_role("link", name="تنظیمات", exact=True).click()
        page.get_by_role("button", name="خاموش کردن اعلان‌ها").click()
        page.get_by_role("button", name="روشن کردن اعلان‌ها").wait_for()
        assert push_log(page)[-2:] == ["DELETE /api/push/subscriptions 204", "unsubscribe"]
        back = call(page, "POST", "/api/push/subscriptions", phone.subscription())
        assert back["status"] == 201  # it had been forgotten
        call(page, "DELETE", "/api/push/subscriptions", {"endpoint": phone.endpoint})
    finally:
        pay_aban(server, tmp_path / "aban-30", 30)  # the other tests' Ali is covered again


def test_the_notices_tab_fits_a_narrow_phone(page, server, shoot):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_by_sms(page, server, INSURED, INSURED_MOBILE)
    tabs = page.locator("#tabs .tab")
    assert tabs.count() == 5
    assert page.evaluate("document.documentElement.scrollWidth <= 320")
    for box in (tabs.nth(i).bounding_box() for i in range(5)):
        assert box["height"] <= 80  # one row, not wrapped
    page.get_by_role("link", name="تنظیمات", exact=True).click()
    page.get_by_role("link", name="راهنما").click()
    page.get_by_role("heading", name="راهنما").wait_for()
    shoot(page, "tabs-320")
