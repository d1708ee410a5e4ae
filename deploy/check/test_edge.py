"""What nginx does at the edge: HTTP/2 over TLS, brotli and gzip, the shell revalidated and the
versioned files kept, the app's headers on static files too, /metrics kept inside, every other
path proxied, a request id from nginx to the app's log, and nothing private in any log."""

import gzip
import re
import subprocess

import pytest
from families import INSURED, INSURED_MOBILE
from helpers import curl, scrape

from server.headers import CONTENT_SECURITY_POLICY


def test_http2_over_tls_and_http_redirects(stack):
    assert curl(stack, "/").version == "2"
    redirect = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
         f"http://localhost:{stack.http_port}/api/ping"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert redirect == f"301 https://localhost:{stack.https_port}/api/ping"


@pytest.mark.parametrize("path", ["/app.js", "/styles.css", "/js/api.js", "/i18n/fa.json"])
def test_text_is_compressed_brotli_or_gzip(stack, path):
    plain = curl(stack, path)
    zipped = curl(stack, path, "-H", "Accept-Encoding: gzip")
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    assert len(zipped.body) < len(plain.body) * 0.6
    if stack.brotli:
        squeezed = curl(stack, path, "-H", "Accept-Encoding: br, gzip")
        assert squeezed.headers["content-encoding"] == "br"
        assert len(squeezed.body) <= len(zipped.body)


@pytest.mark.parametrize(
    "path", ["/", "/app.js", "/styles.css", "/css/tokens.css", "/manifest.json", "/js/api.js"]
)
def test_the_shell_is_revalidated_every_time(stack, path):
    answer = curl(stack, path)
    assert answer.status == 200
    assert answer.headers["cache-control"] == "no-cache"
    assert "x-request-id" not in answer.headers  # nginx served it from disk
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    again = curl(stack, path, "-H", f"If-None-Match: {answer.headers['etag']}")
    assert again.status == 304


def test_the_manifest_keeps_its_media_type(stack):
    assert curl(stack, "/manifest.json").headers["content-type"] == "application/manifest+json"


def test_the_service_worker_comes_from_the_app_with_its_version(stack):
    answer = curl(stack, "/service-worker.js")
    assert answer.headers["cache-control"] == "no-cache"
    assert "x-request-id" in answer.headers  # proxied: the app writes the version in
    assert b"__VERSION__" not in answer.body


@pytest.mark.parametrize(
    "path", ["/fonts/Vazirmatn-Variable.woff2", "/icons/icon-192.png", "/js/vendor/jsqr.js"]
)
def test_versioned_files_are_kept_a_year(stack, path):
    answer = curl(stack, path)
    assert answer.status == 200
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/api/ping", "/healthz", "/readyz", "/centre/", "/staff/"])
def test_every_other_path_goes_to_the_app(stack, path):
    answer = curl(stack, path)
    assert "x-request-id" in answer.headers
    assert answer.status in (200, 302, 401, 404)


def test_api_answers_are_never_stored(stack):
    assert curl(stack, "/api/ping").headers["cache-control"] == "no-store"


def test_metrics_are_kept_inside(stack):
    assert curl(stack, "/metrics").status == 404
    found = scrape(f"http://127.0.0.1:{stack.node_ports['a']}/metrics")
    assert any(name == "darman_http_requests_total" for name, _ in found)
    assert ("darman_outbox_waiting", ()) in found


def test_nginx_request_id_reaches_the_app_log_and_nothing_private_is_logged(stack):
    answer = curl(stack, f"/api/nothing/{INSURED}?mobile={INSURED_MOBILE}")
    request_id = answer.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id
    logs = {name: stack.log(name) for name in ("node-a", "node-b", "worker")}
    logs["nginx-access"] = (stack.folder / "nginx-access.log").read_text()
    assert any(request_id in text for name, text in logs.items() if name.startswith("node"))
    assert request_id in logs["nginx-access"]
    for name, text in logs.items():
        assert INSURED not in text and INSURED_MOBILE not in text, name
        assert stack.provider_token not in text, name


def test_requests_are_spread_over_both_nodes(stack):
    ids = [curl(stack, "/api/ping").headers["x-request-id"] for _ in range(8)]
    for name in ("node-a", "node-b"):
        log = stack.log(name)
        assert any(request_id in log for request_id in ids), name
