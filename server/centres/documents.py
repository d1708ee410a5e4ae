"""A registering doctor's documents: checked by their content (PDF, JPEG or PNG, at most 5 MB)
and stored under the instance folder, never under the web root, by a random name."""

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .accounts import CentreError

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
    """Where documents are kept: DARMAN_CENTRE_DOCUMENT_DIR or documents/ in the instance."""
    configured = current_app.config.get("DARMAN_CENTRE_DOCUMENT_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "documents"))


def check(kind: str, stream) -> CheckedDocument:
    """Read an upload and check its content; CentreError (with the field) when it fails."""
    label = DOCUMENT_LABELS[kind]
    limit = current_app.config["DARMAN_CENTRE_DOCUMENT_MAX_BYTES"]
    content = stream.read(limit + 1) if stream else b""
    if not content:
        message = gettext("Please attach the %(document)s.", document=label)
        raise CentreError("document_missing", message, kind)
    if len(content) > limit:
        message = gettext(
            "The %(document)s is larger than 5 MB. Please send a smaller file.", document=label
        )
        raise CentreError("document_too_large", message, kind)
    guessed = filetype.guess(content)
    media_type = guessed.mime if guessed else None
    if media_type not in MEDIA_TYPES:
        message = gettext("The %(document)s must be a PDF, JPEG or PNG file.", document=label)
        raise CentreError("document_type", message, kind)
    return CheckedDocument(kind, content, media_type)


def store(document: CheckedDocument) -> str:
    """Write a checked document under a random name; returns the name (relative to folder())."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.{MEDIA_TYPES[document.media_type]}"
    fd = os.open(target / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(document.content)
    return name


def discard(names: list[str]) -> None:
    """Remove stored documents again (a registration that failed keeps nothing)."""
    for name in names:
        (folder() / name).unlink(missing_ok=True)
