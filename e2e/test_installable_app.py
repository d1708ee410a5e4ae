"""The app as an installable, offline-capable, self-updating PWA."""

from browser import CHROMIUM, CHROMIUM_ARGS, wait_for_service_worker, wait_until


def test_the_service_worker_is_active_and_the_app_is_installable(
    playwright_instance, server, tmp_path
):
    profile = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 360, "height": 740}, base_url=server.url,
    )  # fmt: skip
    try:
        page = profile.new_page()
        page.goto("/")
        wait_for_service_worker(page)
        cdp = profile.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/manifest.json") and not manifest["errors"]
    finally:
        profile.close()


def test_the_shell_is_precached_and_opens_offline(page, context, server):
    page.goto("/")
    wait_for_service_worker(page)
    cached = page.evaluate(
        "caches.keys()"
        ".then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert {"/", "/app.js", "/styles.css", "/i18n/fa.json"} <= set(cached)
    assert not any(path.startswith("/api/") for path in cached)
    context.set_offline(True)
    page.reload()
    page.get_by_role("heading", name="به «درمان من» خوش آمدید").wait_for()
    context.set_offline(False)


def test_a_new_version_asks_before_reloading(page, server):
    page.goto("/")
    wait_for_service_worker(page)
    old_caches = page.evaluate("caches.keys()")
    styles = server.pwa / "styles.css"
    styles.write_text(
        styles.read_text(encoding="utf-8") + "\n/* a new version */\n", encoding="utf-8"
    )
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    prompt = page.locator("#update")
    prompt.get_by_role("button", name="بارگذاری دوباره").wait_for()
    assert "نسخهٔ تازهٔ برنامه آماده است" in prompt.inner_text()
    prompt.get_by_role("button", name="بارگذاری دوباره").click()
    page.wait_for_load_state("load")
    wait_for_service_worker(page)
    old = old_caches[0]
    new_caches = wait_until(
        page, f"caches.keys().then(k => k.length === 1 && !k.includes('{old}') && k)"
    )
    assert new_caches[0].startswith("darman-shell-")
