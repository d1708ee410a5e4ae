"""deploy/ agrees with the code: nginx sends the app's CSP, files it keeps a year never change
under the same name, the environment file names real settings, gunicorn logs no paths."""

import hashlib
import re
from pathlib import Path

from server.config import Config
from server.headers import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
IMMUTABLE = re.compile(r"^(fonts|icons|js/vendor)/")


def test_nginx_sends_the_apps_content_security_policy():
    snippet = (DEPLOY / "nginx" / "darman-headers.conf").read_text()
    (policy,) = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', snippet)
    assert policy == CONTENT_SECURITY_POLICY


def test_files_kept_a_year_change_only_with_a_new_name():
    """nginx marks fonts/, icons/ and js/vendor/ immutable: new content needs a new file name
    (then update the name where it is used, and deploy/nginx/immutable.sha256)."""
    recorded = {}
    for line in (DEPLOY / "nginx" / "immutable.sha256").read_text().splitlines():
        digest, name = line.split()
        recorded[name] = digest
    pwa = ROOT / "pwa"
    present = {
        path.relative_to(pwa).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in pwa.rglob("*")
        if path.is_file()
        and path.suffix != ".txt"
        and IMMUTABLE.match(path.relative_to(pwa).as_posix())
    }
    assert present == recorded


def test_the_immutable_location_matches_those_folders():
    site = (DEPLOY / "nginx" / "darman.conf").read_text()
    assert "location ~ ^/(fonts|icons|js/vendor)/ {" in site
    assert "location = /metrics {\n        return 404;" in site


def test_the_environment_file_names_real_settings():
    names = re.findall(r"^#? ?(DARMAN_[A-Z_]+)=", (DEPLOY / "darman.env.example").read_text(), re.M)
    assert "DARMAN_PROXY_HOPS" in names and "DARMAN_CARD_KEY_STORE" in names
    known = set(vars(Config)) | {
        "DARMAN_SECRET_KEY",
        "DARMAN_INSTANCE_PATH",
        "DARMAN_GUNICORN_WORKERS",
    }
    assert sorted(set(names) - known) == []


def test_gunicorn_writes_no_access_log():
    settings: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), settings)  # noqa: S102 — our own file
    assert settings["accesslog"] is None
