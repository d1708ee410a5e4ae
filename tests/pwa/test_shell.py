"""The PWA as the server hands it out: the page, the manifest, the service worker, the texts."""

import json
import re
import shutil

from server import create_app


def fetch(client, path: str):
    """GET a file and close it (file answers hold an open file until closed)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def test_the_page_is_persian_right_to_left_with_no_inline_script(client):
    response = fetch(client, "/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # every script is a file
    assert "style=" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_manifest_makes_an_installable_app(client):
    response = fetch(client, "/manifest.json")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    for field in ("name", "short_name", "start_url", "scope", "theme_color", "background_color"):
        assert manifest[field]
    assert (manifest["lang"], manifest["dir"], manifest["display"]) == ("fa", "rtl", "standalone")
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = fetch(client, icon["src"])
        assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
        width = int.from_bytes(image.data[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"]


def test_the_font_is_self_hosted_with_its_licence(client):
    font = fetch(client, "/fonts/Vazirmatn-Variable.woff2")
    assert font.status_code == 200 and font.data.startswith(b"wOF2")
    assert "SIL OPEN FONT LICENSE" in fetch(client, "/fonts/OFL.txt").get_data(as_text=True).upper()


def test_the_service_worker_knows_its_version_and_shell(client):
    source = client.get("/service-worker.js").get_data(as_text=True)
    version = re.search(r"const VERSION = '([0-9a-f]{16})'", source).group(1)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1))
    assert {"/", "/app.js", "/styles.css", "/manifest.json", "/i18n/fa.json"} <= set(shell)
    assert "/fonts/Vazirmatn-Variable.woff2" in shell
    for path in shell:
        assert fetch(client, path).status_code == 200, path
    assert not any(path.startswith("/api/") for path in shell)
    assert len(version) == 16


def test_a_changed_file_makes_a_new_version(app, tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(app.config["DARMAN_PWA_DIR"], copy)
    served = create_app({**app.config, "DARMAN_PWA_DIR": str(copy)}).test_client()

    def version() -> str:
        source = served.get("/service-worker.js").get_data(as_text=True)
        return re.search(r"const VERSION = '(\w+)'", source).group(1)

    before = version()
    assert version() == before
    styles = copy / "styles.css"
    styles.write_text(styles.read_text() + "\n/* changed */\n")
    assert version() != before


def test_the_front_end_texts_come_from_the_same_catalogue(client):
    fa = client.get("/i18n/fa.json").get_json()
    assert fa["Tracking code: {code}"] == "کد رهگیری: {code}"
    assert fa["The national code is not valid. Please check it."].startswith("کد ملی")
    assert client.get("/i18n/en.json").status_code == 200
    assert client.get("/i18n/de.json").status_code == 404


def test_api_answers_are_not_cached_but_the_shell_revalidates(client):
    assert client.get("/api/ping").headers["Cache-Control"] == "no-store"
    assert fetch(client, "/app.js").headers["Cache-Control"] == "no-cache"
    assert client.get("/service-worker.js").headers["Cache-Control"] == "no-cache"
