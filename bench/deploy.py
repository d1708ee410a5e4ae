"""Figures behind nginx over https, on the stack `make deploy-check` starts (deploy/check/):
bytes on the wire for a first and a repeat visit of the signed-in home, Lighthouse 12 (mobile)
on it, and the provider inquiry's throughput through nginx with two app nodes, then one.

    .venv/bin/python bench/deploy.py [--seconds 10] [--skip-lighthouse]

Needs root, like make deploy-check (Debian's nginx and PostgreSQL). KB here is 1,024 bytes.
"""

import argparse
import http.cookiejar
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / p) for p in ("deploy/check", "bench", "tests", "tests/notify", "e2e")]
import families  # noqa: E402
from browser import CHROMIUM, CHROMIUM_ARGS, wait_for_service_worker  # noqa: E402
from inquiry import parse_wrk  # noqa: E402
from stack import Stack  # noqa: E402

from pwa import LIGHTHOUSE_FLAGS, lighthouse_binary, print_lighthouse  # noqa: E402

LUA = ROOT / "bench" / "inquiry.lua"
KB = 1024


def sign_in(stack: Stack) -> str:
    """Sign Ali in through nginx with plain HTTP calls; the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    context = ssl.create_default_context(cafile=str(stack.certificate))
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), urllib.request.HTTPSHandler(context=context)
    )

    def call(path: str, body: dict | None = None, token: str | None = None) -> dict:
        headers = {"Content-Type": "application/json", "Referer": f"{stack.url}/"}
        if token:
            headers["X-CSRFToken"] = token
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{stack.url}{path}", data=data, headers=headers)
        with opener.open(request, timeout=30) as answer:
            return json.loads(answer.read())

    token = call("/api/auth/csrf")["csrf_token"]
    started = call(
        "/api/auth/sms/start",
        {"national_code": families.INSURED, "mobile": families.INSURED_MOBILE},
        token,
    )
    call("/api/auth/sms/verify", {"request_id": started["request_id"], "code": stack.last_code()},
         token)  # fmt: skip
    return next(c.value for c in jar if c.name == "__Host-darman")


def wire_bytes(stack: Stack, cookie: str) -> dict:
    """Bytes received (headers and encoded bodies) for a first visit (the page, then the
    service worker's precache) and for a repeat visit (a reload, the worker in control)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Chromium registers no service worker on a certificate it does not trust, unless told
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=[*CHROMIUM_ARGS, "--ignore-certificate-errors"],
        )  # fmt: skip
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="fa-IR", base_url=stack.url,
            ignore_https_errors=True, service_workers="allow",
        )  # fmt: skip
        context.add_cookies(
            [{"name": "__Host-darman", "value": cookie, "url": stack.url, "secure": True,
              "httpOnly": True, "sameSite": "Lax"}]
        )  # fmt: skip
        seen: list = []
        context.on("requestfinished", lambda request: seen.append(request))
        page = context.new_page()
        page.goto("/#/home")
        page.locator("article.card").wait_for()
        wait_for_service_worker(page)
        page.wait_for_timeout(1500)  # the precache's last answers
        first = sum_sizes(seen)
        seen.clear()
        page.reload()
        page.locator("article.card").wait_for()
        page.wait_for_timeout(1500)
        repeat = sum_sizes(seen)
        version = browser.version
        browser.close()
    return {"first": first, "repeat": repeat, "chromium": version}


def sum_sizes(requests: list) -> dict:
    """Requests, and bytes received over the network (cached answers count nothing)."""
    total, count = 0, 0
    for request in requests:
        response = request.response()
        if response is None or response.from_service_worker:
            continue
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        count += 1
    return {"requests": count, "bytes": total}


def lighthouse(stack: Stack, cookie: str) -> dict | None:
    """Lighthouse's report of the signed-in home through nginx (self-signed: errors ignored)."""
    binary = lighthouse_binary()
    if binary is None:
        return None
    report = Path(tempfile.mkdtemp()) / "lighthouse-home-nginx.json"
    command = [
        str(binary), f"{stack.url}/#/home", "--output=json", f"--output-path={report}",
        "--quiet", "--only-categories=performance,accessibility",
        f"--chrome-flags={LIGHTHOUSE_FLAGS} --ignore-certificate-errors",
        "--extra-headers=" + json.dumps({"Cookie": f"__Host-darman={cookie}"}),
    ]  # fmt: skip
    done = subprocess.run(
        command, env=dict(os.environ, CHROME_PATH=CHROMIUM), text=True, capture_output=True
    )
    if done.returncode != 0 or not report.exists():
        print(f"Lighthouse failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return None
    return json.loads(report.read_text(encoding="utf-8"))


def inquiries(stack: Stack, seconds: int) -> dict:
    """wrk (2 threads, 16 connections) on the provider inquiry through nginx."""
    codes = stack.folder / "codes.txt"
    codes.write_text(
        "\n".join((families.INSURED, families.WIFE, families.SON, families.UNKNOWN)) + "\n"
    )
    tokens = stack.folder / "tokens.txt"  # one centre: its limit (600 a minute) bounds a run
    tokens.write_text(stack.provider_token + "\n")
    env = dict(os.environ, BENCH_CODES=str(codes), BENCH_TOKENS=str(tokens),
               BENCH_THREADS="2")  # fmt: skip
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(LUA), stack.url]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout).__dict__


def one_node(stack: Stack) -> None:
    """Take node B out of nginx's upstream and reload nginx."""
    site = stack.folder / "darman.conf"
    port = stack.node_ports["b"]
    text = site.read_text()
    site.write_text(
        "\n".join(line for line in text.splitlines() if f"127.0.0.1:{port}" not in line) + "\n"
    )
    subprocess.run(
        ["nginx", "-p", str(stack.folder), "-c", str(stack.folder / "nginx.conf"), "-s", "reload"],
        check=True,
    )
    time.sleep(2)  # the old worker finishes its connections


def main() -> None:
    """Start the stack, measure, stop it, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--skip-lighthouse", action="store_true")
    options = parser.parse_args()
    stack = Stack(Path(tempfile.mkdtemp(prefix="darman-bench-deploy-")))
    try:
        stack.start()
        cookie = sign_in(stack)
        wire = wire_bytes(stack, cookie)
        report = None if options.skip_lighthouse else lighthouse(stack, cookie)
        inquiries(stack, 3)  # warm up both nodes
        two = inquiries(stack, options.seconds)
        one_node(stack)
        one = inquiries(stack, options.seconds)
    finally:
        stack.stop()
    print(f"\n== behind nginx over https (Chromium {wire['chromium']}, {os.cpu_count()} cores,"
          f" brotli {'on' if stack.brotli else 'off'}) ==")  # fmt: skip
    for name in ("first", "repeat"):
        seen = wire[name]
        print(f"{name} visit of the signed-in home: {seen['bytes'] / KB:.1f} KB on the wire in "
              f"{seen['requests']} network requests")  # fmt: skip
    if not options.skip_lighthouse:
        print_lighthouse(report)
    for name, result in (("two nodes", two), ("one node", one)):
        print(f"inquiry through nginx, {name}: {result['rps']:.0f} req/s (p50 "
              f"{result['p50_ms']:.1f} / p99 {result['p99_ms']:.1f} ms), "
              f"{result['non_2xx']} non-2xx, {result['socket_errors']} socket errors")  # fmt: skip
    print(f"two nodes / one node: {two['rps'] / one['rps']:.2f}")


if __name__ == "__main__":
    main()
