"""axe-core, from e2e/node_modules (installed by `make test` from e2e/package-lock.json), run on a
screen in the page itself: every violation fails the test, with what and where."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices.
RUN = (
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',"
    " 'wcag21aa', 'best-practice']}}).then(result => result.violations.map(v => ({id: v.id,"
    " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
)


def violations(page) -> list[dict]:
    """axe's violations on the page as it is now (injected by the DevTools protocol, which the
    page's CSP does not govern: nothing is fetched from anywhere)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    return page.evaluate(RUN)


def assert_accessible(page, screen: str) -> None:
    """No axe violation on this screen."""
    found = violations(page)
    assert found == [], f"axe on {screen}: {found}"
