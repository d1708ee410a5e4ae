"""Refresh the catalogues from the code, fill Persian texts from translations/incoming/*.json,
and compile. Used while several people add texts at once: each keeps their Persian texts in
their own JSON file ({"English msgid": "Persian"}), and anyone may run this at any time.

    .venv/bin/python scripts/merge_translations.py
"""

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
FA = TRANSLATIONS / "fa" / "LC_MESSAGES" / "messages.po"


def pybabel(*args: str) -> None:
    """Run pybabel from the project's virtual environment."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def incoming() -> dict[str, str]:
    """Every Persian text waiting in translations/incoming/."""
    texts: dict[str, str] = {}
    for path in sorted((TRANSLATIONS / "incoming").glob("*.json")):
        texts.update(json.loads(path.read_text(encoding="utf-8")))
    return texts


def fill(path: Path, texts: dict[str, str]) -> list[str]:
    """Fill the untranslated entries we have texts for; return those still untranslated."""
    with path.open("rb") as stream:
        catalog = read_po(stream)
    missing = []
    for message in catalog:
        if message.id and not message.string:
            if message.id in texts:
                message.string = texts[message.id]
            else:
                missing.append(message.id)
    catalog.obsolete.clear()
    with path.open("wb") as stream:
        write_po(stream, catalog, width=100)
    return missing


def main() -> int:
    """Extract, update, fill, compile; exit 1 while some text has no Persian."""
    pot = str(TRANSLATIONS / "messages.pot")
    keywords = ["-k", "lazy_gettext", "-k", "_l", "-k", "t"]  # t(): the front end's
    pybabel("extract", "-F", "babel.cfg", *keywords, "--no-location", "--sort-output",
            "--project", "darman", "-o", pot, ".")  # fmt: skip
    pybabel("update", "-i", pot, "-d", str(TRANSLATIONS), "--no-fuzzy-matching")
    missing = fill(FA, incoming())
    pybabel("compile", "-d", str(TRANSLATIONS))
    for message in missing:
        print(f"no Persian yet: {message!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
