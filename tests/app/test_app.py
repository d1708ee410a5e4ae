"""The app itself: configuration, health, error shape, headers, migrations, catalogues."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from server import _instance_secret, create_app

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_healthz_fails_as_json_when_the_database_does_not(tmp_path):
    broken = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db", "SECRET_KEY": "x"}
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 500
    assert response.get_json()["error"] == "internal_error"


def test_database_url_and_secret_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("DARMAN_SECRET_KEY", "from-the-environment")
    code = (
        "from server import create_app; app = create_app(); "
        "print(app.config['SQLALCHEMY_DATABASE_URI']); print(app.config['SECRET_KEY'])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout.split()
    assert output == [f"sqlite:///{tmp_path}/env.db", "from-the-environment"]


def test_a_secret_key_is_made_once_in_the_instance_folder(tmp_path):
    key = _instance_secret(str(tmp_path), "secret_key")
    assert len(key) == 64
    assert _instance_secret(str(tmp_path), "secret_key") == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_unknown_api_paths_answer_json_in_persian(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "not_found",
        "message": "چیزی در این نشانی پیدا نشد.",
    }


def test_security_headers_on_every_answer(client):
    response = client.get("/healthz")
    policy = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def catalog(path: Path):
    """A .po or .pot file, read."""
    with path.open("rb") as stream:
        return read_po(stream)


def test_every_message_has_a_persian_translation():
    pot = catalog(ROOT / "translations" / "messages.pot")
    fa = catalog(ROOT / "translations" / "fa" / "LC_MESSAGES" / "messages.po")
    untranslated = [m.id for m in pot if m.id and not (fa.get(m.id) and fa.get(m.id).string)]
    assert untranslated == []


def test_the_template_holds_every_message_of_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
            "-k", "lazy_gettext", "-k", "_l", "-k", "t", "-o", str(fresh), "--no-location", ".",
        ],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    extracted = {m.id for m in catalog(fresh) if m.id}
    kept = {m.id for m in catalog(ROOT / "translations" / "messages.pot") if m.id}
    assert extracted - kept == set(), "run `make translations-update` and translate"


# t('…') in the PWA's code; Babel's JavaScript reader misses a t() inside a template literal,
# which then reached people in English inside Persian (issue 24, fault 4).
FRONT_END_TEXT = re.compile(r"""\bt\(\s*(['"])((?:\\.|(?!\1).)*)\1""")


def test_every_text_of_the_pwa_is_in_the_template_and_has_persian():
    pot = {m.id for m in catalog(ROOT / "translations" / "messages.pot") if m.id}
    fa = catalog(ROOT / "translations" / "fa" / "LC_MESSAGES" / "messages.po")
    texts = set()
    for path in (ROOT / "pwa").rglob("*.js"):
        if "vendor" not in path.parts:
            source = path.read_text(encoding="utf-8")
            texts |= {m.group(2).replace("\\'", "'") for m in FRONT_END_TEXT.finditer(source)}
    texts.discard("English text")  # i18n.js's comment
    assert sorted(texts - pot) == []
    assert sorted(text for text in texts if not (fa.get(text) and fa.get(text).string)) == []
