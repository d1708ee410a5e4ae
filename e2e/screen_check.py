"""The screen check: what a person would see as broken on a screen, found in the page itself.

Run beside axe-core on every screen a browser test shoots (conftest's `shoot`), at the size the test
uses and at the realm's other size: a citizen's screen also at 320 px with 200 % text, a centre's
or the staff's at 1280×800 and 768×1024. A screen fails on:
- visible text `true`, `false`, `undefined`, `null`, `NaN`, `[object …`, or a placeholder left
  unfilled (`%(name)s`, `{name}`);
- in Persian, a Latin letter outside an element marked as Latin (`<bdi dir="ltr">`, any
  `dir="ltr"`, `<code>`, `<kbd>`, `<samp>`, a `lang` other than Persian, or data isolated in
  `<bdi>`) — save an acronym in capitals that Persian writes in Latin letters (کد QR، فایل PDF،
  API), which reads in order as it is; in English, Persian letters or digits outside an element
  marked as Persian data (`lang="fa"`, `dir="rtl"`, `<bdi>`); text isolated by Unicode's own
  marks (FSI/LRI/RLI … PDI, as the app's `t()` sets apart the values it fills in) is marked too;
- a word broken across lines (one letter a line; a 12-digit code split), or a page that scrolls
  sideways;
- a screen of the app entered by navigation (a new `#/…`) that was not at its top once drawn.
"""

from pathlib import Path

SCRIPT = (Path(__file__).resolve().parent / "screen_check.js").read_text(encoding="utf-8")

# The app's router marks each screen it draws (`performance.mark('darman:<screen>')`); this init
# script notes where the page was scrolled when a screen entered by navigation was drawn.
WATCH_SCROLL = """
(() => {
  window.__darmanEntries = [];
  let navigated = false;
  window.addEventListener('hashchange', () => { navigated = true; });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.name.startsWith('darman:') || !navigated) continue;
      navigated = false;
      // Read now and two frames on: a screen drawn scrolled down is so at both; a test that
      // scrolls the page before a slow machine draws those frames is not the screen's fault.
      const now = window.scrollY;
      requestAnimationFrame(() => requestAnimationFrame(() => window.__darmanEntries.push(
        { screen: entry.name.slice(7), scrollY: Math.round(Math.min(now, window.scrollY)) })));
    }
  }).observe({ type: 'mark', buffered: false });
})();
"""

CITIZEN_NARROW = {"width": 320, "height": 740}
WEB_SIZES = ({"width": 1280, "height": 800}, {"width": 768, "height": 1024})


def watch(context) -> None:
    """Note the scroll of every screen entered by navigation in this browser profile's pages."""
    context.add_init_script(WATCH_SCROLL)


def faults(page) -> list[str]:
    """What is wrong with the screen as it is drawn now (an empty list when nothing is)."""
    return page.evaluate(SCRIPT)


def _entered_mid_page(page) -> list[str]:
    """Screens entered by navigation that were drawn scrolled down (each is reported once)."""
    entries = page.evaluate(
        "(() => { const seen = window.__darmanEntries || []; window.__darmanEntries = [];"
        " return seen; })()"
    )
    return [
        f"screen {e['screen']} entered scrolled to {e['scrollY']} px, not its top"
        for e in entries
        if e["scrollY"] > 0
    ]


def _is_web(page) -> bool:
    """The web for centres or the staff console (server-drawn pages), not the citizen's app."""
    path = page.evaluate("location.pathname")
    return path.startswith(("/centre", "/staff"))


def _at_size(page, size: dict, double_text: bool) -> list[str]:
    """The faults with the page resized (and its text doubled), then put back as it was."""
    before = page.viewport_size
    font = page.evaluate("document.documentElement.style.fontSize")
    page.set_viewport_size(size)
    if double_text:
        page.evaluate(
            "document.documentElement.style.fontSize ="
            " (parseFloat(getComputedStyle(document.documentElement).fontSize) * 2) + 'px'"
        )
    try:
        return faults(page)
    finally:
        page.evaluate(f"document.documentElement.style.fontSize = {font!r}")
        page.set_viewport_size(before)


def _other_sizes(page) -> list[tuple[str, dict, bool]]:
    """The realm's sizes the screen is also checked at: (label, viewport, doubled text)."""
    width = page.viewport_size["width"]
    if _is_web(page):
        return [(f"{s['width']} px", s, False) for s in WEB_SIZES if s["width"] != width]
    doubled = page.evaluate(
        "parseFloat(document.documentElement.style.fontSize || '0') > 0"
    )  # a test that already doubled the text checks that itself
    return [] if doubled and width <= 320 else [("320 px, 200 % text", CITIZEN_NARROW, True)]


def assert_screen(page, screen: str) -> None:
    """No fault on this screen, at its size and at the realm's other sizes."""
    found = [f"as shown: {f}" for f in faults(page) + _entered_mid_page(page)]
    for label, size, double_text in _other_sizes(page):
        found += [f"at {label}: {f}" for f in _at_size(page, size, double_text)]
    assert found == [], f"screen check on {screen}:\n  " + "\n  ".join(found)
