"""The PWA's budgets: shell and font bytes, time to the home card offline, Lighthouse scores.

Prints figures and never fails because of one. It starts the real app under gunicorn (a temp
SQLite database, the Rezaei family of tests/families.py imported, SMS to a file, "today" pinned,
as e2e/conftest.py does), signs in by SMS in Debian's Chromium (360×740), and reads the app's
`darman:home` performance mark over N reloads online, then offline. Lighthouse 12 (npm, pinned in
bench/lighthouse/, installed there on first use) scores the signed-in home screen; its JSON
report is kept in bench/.data/lighthouse-home.json. KB here is 1,024 bytes.

    .venv/bin/python bench/pwa.py [--runs 10] [--skip-lighthouse]
"""

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PWA = ROOT / "pwa"
DATA = ROOT / "bench" / ".data"
LIGHTHOUSE = ROOT / "bench" / "lighthouse"
BIN = Path(sys.executable).parent
TODAY = "2026-11-22"
KB = 1024
SHELL_BUDGET, FONT_BUDGET, OFFLINE_BUDGET_MS, SCORE_BUDGET = 60 * KB, 120 * KB, 1000, 0.95
MARK = "(performance.getEntriesByName('darman:home')[0] || {}).startTime"
LIGHTHOUSE_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)

sys.path[:0] = [str(ROOT / "e2e"), str(ROOT / "tests")]
import families  # noqa: E402
from browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    sign_in_by_sms,
    wait_for_service_worker,
    wait_until,
)
from live_server import Server  # noqa: E402


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="reloads per mode (default 10)")
    parser.add_argument("--skip-lighthouse", action="store_true", help="no Lighthouse run")
    return parser.parse_args(argv)


def kb(size: float) -> str:
    """Bytes, and in KB."""
    return f"{size:,.0f} B ({size / KB:.1f} KB)"


def verdict(met: bool) -> str:
    """What a budget comparison says."""
    return "met" if met else "MISSED"


# Loaded only for the camera on browsers without BarcodeDetector (a pharmacy's verify page).
CAMERA_ONLY = {"jsqr.js"}


def shell_bytes(*, camera_only: bool = False) -> dict:
    """HTML, JS and CSS, raw and gzip -9, summed: the shell, or the camera-only decoder."""
    files = [PWA / "index.html", PWA / "app.js", *sorted((PWA / "js").rglob("*.js"))]
    files.append(PWA / "styles.css")
    files = [f for f in files if (f.name in CAMERA_ONLY) == camera_only]
    raw = [path.read_bytes() for path in files]
    packed = [len(gzip.compress(data, compresslevel=9, mtime=0)) for data in raw]
    return {"files": len(files), "raw": sum(map(len, raw)), "gzip": sum(packed)}


def font_bytes() -> dict:
    """The fonts (pwa/fonts/*.woff2)."""
    fonts = sorted((PWA / "fonts").glob("*.woff2"))
    return {"files": len(fonts), "bytes": sum(path.stat().st_size for path in fonts)}


def home_times(page, runs: int) -> tuple[list[float], int]:
    """Reload /#/home RUNS times: the darman:home marks (ms) and how many showed offline."""
    times, offline = [], 0
    for _ in range(runs):
        page.reload()
        times.append(float(wait_until(page, MARK)))
        offline += page.evaluate("Boolean(document.querySelector('.checked.offline'))")
    return times, offline


def browser_figures(server: Server, runs: int) -> dict:
    """Sign in, let the service worker activate, time the home card online then offline."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = chromium.new_context(
            viewport={"width": 360, "height": 740},
            locale="fa-IR",
            base_url=server.url,
            service_workers="allow",
            device_scale_factor=1,
        )
        page = context.new_page()
        sign_in_by_sms(page, server, families.INSURED, families.INSURED_MOBILE)
        wait_for_service_worker(page)
        page.goto("/#/home")
        page.locator("article.card").wait_for()
        online, _ = home_times(page, runs)
        context.set_offline(True)
        offline, shown = home_times(page, runs)
        context.set_offline(False)
        cookie = next(c["value"] for c in context.cookies() if c["name"] == "darman")
        version = chromium.version
        chromium.close()
    return {"online": online, "offline": offline, "shown": shown, "cookie": cookie, "v": version}


def lighthouse_binary() -> Path | None:
    """bench/lighthouse/node_modules/.bin/lighthouse, installed with npm if missing."""
    binary = LIGHTHOUSE / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    if not shutil.which("npm"):
        print("Lighthouse: npm is not on this machine")
        return None
    command = ["npm", "ci" if (LIGHTHOUSE / "package-lock.json").exists() else "install"]
    done = subprocess.run(
        [*command, "--no-audit", "--no-fund"], cwd=LIGHTHOUSE, text=True, capture_output=True
    )
    if done.returncode != 0 or not binary.exists():
        print(f"Lighthouse: `{' '.join(command)}` failed:\n{done.stdout}{done.stderr}")
        return None
    return binary


def lighthouse(url: str, cookie: str) -> dict | None:
    """Lighthouse's JSON report of URL, signed in with this session cookie (mobile)."""
    binary = lighthouse_binary()
    if binary is None:
        return None
    DATA.mkdir(parents=True, exist_ok=True)
    report = DATA / "lighthouse-home.json"
    command = [
        str(binary),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={LIGHTHOUSE_FLAGS}",
        "--extra-headers=" + json.dumps({"Cookie": f"darman={cookie}"}),
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    done = subprocess.run(command, env=env, text=True, capture_output=True)
    if done.returncode != 0 or not report.exists():
        print(f"Lighthouse failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return None
    return json.loads(report.read_text(encoding="utf-8"))


def lost_points(report: dict, category: str) -> list[str]:
    """The weighted audits of a category that scored below 1, worst first."""
    audits, lines = report["audits"], []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            shown = f" — {audit['displayValue']}" if audit.get("displayValue") else ""
            lines.append(
                (
                    audit["score"],
                    f"{ref['id']} (score {audit['score']:.2f}, weight "
                    f"{ref['weight']}){shown}: {audit['title']}",
                )
            )
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


def print_lighthouse(report: dict | None) -> None:
    """The scores, the metrics and the audits that cost points."""
    if report is None:
        print("Lighthouse           not available on this run")
        return
    print(
        f"Lighthouse {report['lighthouseVersion']} ({report['configSettings']['formFactor']},"
        f" {report['environment']['hostUserAgent'].split('Chrome/')[-1].split()[0]}), "
        f"{report['finalDisplayedUrl']}"
    )
    for name in ("performance", "accessibility"):
        score = report["categories"][name]["score"]
        print(
            f"  {name:<14} {score:.2f}  budget ≥ {SCORE_BUDGET}  {verdict(score >= SCORE_BUDGET)}"
        )
        for line in lost_points(report, name):
            print(f"    - {line}")
    metrics = (
        "first-contentful-paint",
        "largest-contentful-paint",
        "speed-index",
        "total-blocking-time",
        "cumulative-layout-shift",
        "interactive",
    )
    print(
        "  metrics: "
        + ", ".join(f"{m} {report['audits'][m].get('displayValue', '?')}" for m in metrics)
    )


def print_times(name: str, times: list[float], budget: bool) -> None:
    """Median and max of a list of marks."""
    median, worst = statistics.median(times), max(times)
    tail = f"  budget < {OFFLINE_BUDGET_MS} ms  {verdict(median < OFFLINE_BUDGET_MS)}"
    print(
        f"home card {name:<10} median {median:.0f} ms, max {worst:.0f} ms over {len(times)}"
        f" loads{tail if budget else ''}"
    )


def main(argv: list[str] | None = None) -> None:
    """Measure, then print every figure."""
    options = parse_arguments(argv)
    shell, fonts = shell_bytes(), font_bytes()
    with tempfile.TemporaryDirectory(prefix="darman-bench-pwa-") as folder:
        server = Server(Path(folder))
        try:
            server.start()
            seen = browser_figures(server, options.runs)
            report = None
            if not options.skip_lighthouse:
                report = lighthouse(f"{server.url}/#/home", seen["cookie"])
        finally:
            server.stop()
    print(f"\n== PWA figures (Chromium {seen['v']}, {os.cpu_count()} cores) ==")
    print(
        f"shell, gzip -9       {kb(shell['gzip'])} in {shell['files']} files "
        f"(uncompressed {kb(shell['raw'])})  budget ≤ 60 KB  "
        f"{verdict(shell['gzip'] <= SHELL_BUDGET)}"
    )
    camera = shell_bytes(camera_only=True)
    print(f"  + jsQR, loaded only for the camera without BarcodeDetector: {kb(camera['gzip'])}")
    print(
        f"fonts                {kb(fonts['bytes'])} in {fonts['files']} file(s)  "
        f"budget ≤ 120 KB  {verdict(fonts['bytes'] <= FONT_BUDGET)}"
    )
    print_times("online", seen["online"], budget=False)
    print_times("offline", seen["offline"], budget=True)
    print(f"  offline loads marked offline by the app: {seen['shown']}/{len(seen['offline'])}")
    if not options.skip_lighthouse:
        print_lighthouse(report)


if __name__ == "__main__":
    main()
