"""A registering doctor's documents: checked by their content (PDF, JPEG or PNG, at most 5 MB)
and stored under the instance folder, never under the web root, by a random name."""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..domain.refusal import Invalid

MAX_BYTES = 5 * 1024 * 1024  # a document's largest size (DARMAN_CENTRE_DOCUMENT_MAX_BYTES)
MEDIA_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
DOCUMENT_LABELS = {
    "council_card": _l("Medical council card"),
    "national_card": _l("National card"),
    "medical_licence": _l("Permanent or temporary medical licence"),
    "activity_licence": _l("Activity licence (office)"),
}


@dataclass(frozen=True)
class CheckedDocument:
    """A document whose content passed: its bytes, media type and hash."""

    kind: str
    content: bytes
    media_type: str

    @property
    def sha256(self) -> str:
        """The content's SHA-256, kept to tell documents apart later."""
        return hashlib.sha256(self.content).hexdigest()


def folder() -> Path:
    """Where documents are kept: DARMAN_CENTRE_DOCUMENT_DIR or documents/ in the instance (for
    the request layer and the staff console, which pass it to the operations below)."""
    configured = current_app.config.get("DARMAN_CENTRE_DOCUMENT_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "documents"))


def check(kind: str, stream, max_bytes: int = MAX_BYTES) -> CheckedDocument:
    """Read an upload and check its content; a refusal naming the field (the kind) when it
    fails."""
    content = stream.read(max_bytes + 1) if stream else b""
    if not content:
        raise Invalid("document_missing", field=kind)
    if len(content) > max_bytes:
        raise Invalid("document_too_large", field=kind)
    guessed = filetype.guess(content)
    media_type = guessed.mime if guessed else None
    if media_type not in MEDIA_TYPES:
        raise Invalid("document_type", field=kind)
    return CheckedDocument(kind, content, media_type)


def holding_folder() -> Path:
    """Where a registration's accepted uploads wait, by random names, while the rest of its
    form is put right (beside the documents' folder, never under the web root)."""
    documents = folder()
    return documents.with_name(f"{documents.name}-held")


def held(kind: str, name: str, target: Path, max_bytes: int = MAX_BYTES) -> CheckedDocument:
    """A held upload, read and checked again; `document_missing` when it is gone."""
    try:
        with (target / Path(name).name).open("rb") as stream:
            return check(kind, stream, max_bytes)
    except FileNotFoundError:
        raise Invalid("document_missing", field=kind) from None


def sweep(target: Path, older_than: float) -> None:
    """Remove held uploads last written before `older_than` (a POSIX time): nobody came back."""
    if target.exists():
        for path in target.iterdir():
            if path.stat().st_mtime < older_than:
                path.unlink(missing_ok=True)


def store(document: CheckedDocument, target: Path) -> str:
    """Write a checked document under a random name in `target`; returns the name."""
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.{MEDIA_TYPES[document.media_type]}"
    fd = os.open(target / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(document.content)
    return name


def discard(names: list[str], target: Path) -> None:
    """Remove stored documents from `target` again (a registration that failed keeps nothing)."""
    for name in names:
        (target / name).unlink(missing_ok=True)
