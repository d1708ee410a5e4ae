"""Serves the PWA (pwa/, no build step), its service worker with the shell's version, and the
front end's catalogues as /i18n/<lang>.json (the same Babel catalogues as the server's)."""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from babel.support import Translations
from flask import Blueprint, Response, abort, current_app, send_from_directory

bp = Blueprint("pwa", __name__)

ROOT_FILES = ("app.js", "styles.css", "manifest.json")
SHELL_FOLDERS = ("css", "js", "fonts", "icons")


def pwa_dir() -> Path:
    """Where the front end's files are (DARMAN_PWA_DIR, by default the repo's pwa/)."""
    return Path(current_app.config["DARMAN_PWA_DIR"])


def shell_paths() -> list[str]:
    """The URLs the service worker precaches: the page, its code, style, font, icons, texts."""
    folder = pwa_dir()
    paths = ["/", *(f"/{name}" for name in ROOT_FILES)]
    for sub in SHELL_FOLDERS:
        paths += sorted(
            f"/{path.relative_to(folder).as_posix()}"
            for path in (folder / sub).rglob("*")
            if path.is_file() and path.suffix != ".txt"
        )
    return paths + [f"/i18n/{lang}.json" for lang in current_app.config["LANGUAGES"]]


def _shell_files() -> list[Path]:
    """Every file whose change makes a new version."""
    folder = pwa_dir()
    files = [folder / "index.html", folder / "service-worker.js"]
    files += [folder / path.lstrip("/") for path in shell_paths() if "." in path.rsplit("/", 1)[-1]]
    translations = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    return [f for f in files if f.exists()] + sorted(translations.rglob("*.mo"))


@lru_cache(maxsize=8)
def _digest(stamp: tuple) -> str:
    """A short hash of the shell's files, recomputed only when one of them changed."""
    digest = hashlib.sha256()
    for path, _mtime, _size in stamp:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def shell_version() -> str:
    """The version of the shell, named in the service worker's cache."""
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in _shell_files())
    return _digest(stamp)


def _fresh(response: Response) -> Response:
    """Revalidate every time: the service worker, not the HTTP cache, keeps the shell."""
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
def index():
    """The app's one page."""
    return _fresh(send_from_directory(pwa_dir(), "index.html"))


@bp.get("/service-worker.js")
def service_worker():
    """The worker, with this version and shell list written in."""
    source = (pwa_dir() / "service-worker.js").read_text(encoding="utf-8")
    source = source.replace("__VERSION__", shell_version())
    source = source.replace("__SHELL__", json.dumps(shell_paths()))
    return _fresh(Response(source, mimetype="text/javascript"))


@bp.get("/<any(app.js, styles.css, manifest.json):name>")
def root_file(name: str):
    """The app's code, style and manifest."""
    mimetype = "application/manifest+json" if name == "manifest.json" else None
    return _fresh(send_from_directory(pwa_dir(), name, mimetype=mimetype))


@bp.get("/<any(css, js, fonts, icons):folder>/<path:name>")
def shell_file(folder: str, name: str):
    """The design tokens, modules, the font (and its licence), icons."""
    return _fresh(send_from_directory(pwa_dir() / folder, name))


@bp.get("/i18n/<lang>.json")
def catalogue(lang: str):
    """The texts of one language as {English: translation}, for `t()` in the front end."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    directory = current_app.config["BABEL_TRANSLATION_DIRECTORIES"]
    translations = Translations.load(directory, [lang])
    texts = {
        key: value
        for key, value in getattr(translations, "_catalog", {}).items()
        if isinstance(key, str) and key and value
    }
    return _fresh(
        current_app.response_class(
            json.dumps(texts, ensure_ascii=False), mimetype="application/json"
        )
    )
