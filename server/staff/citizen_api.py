"""The citizen's objections: `POST /api/objections` (JSON, or a form with a photo or PDF) and
`GET /api/objections`; and the documents sent for review: `POST /api/documents` (a form with
the file) and `GET /api/documents`. Refusals (`server/staff/objections.py`, `documents.py`) are
answered by the app's one handler; the request commits what was filed or sent."""

from dataclasses import replace

from flask import Blueprint, current_app, request
from flask_login import current_user, login_required
from pydantic import ValidationError
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from .. import clock
from ..domain.refusal import Invalid, TooLarge
from ..extensions import db
from ..models import DocumentSubmission, Objection, Person
from ..web.refusals import answer
from ..web.toolkit import bad_request, operation, parse_body
from ..web.uploads import allow_uploads
from . import documents, objections
from .schemas import (
    DocumentList,
    DocumentRequest,
    DocumentSent,
    ObjectionFiled,
    ObjectionList,
    ObjectionRequest,
)

bp = Blueprint("objections", __name__, url_prefix="/api/objections")
documents_bp = Blueprint("documents", __name__, url_prefix="/api/documents")

# Room for a 5 MB attachment and its form fields, on this route only (64 KB elsewhere).
UPLOAD_LIMIT = objections.MAX_ATTACHMENT_BYTES + 64 * 1024


allow_uploads(bp, UPLOAD_LIMIT)
allow_uploads(documents_bp, UPLOAD_LIMIT)


@bp.errorhandler(RequestEntityTooLarge)
@documents_bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    """A body past the room for an attachment: the file is too large, as the message says."""
    return answer(TooLarge("attachment_too_large", field="attachment"))


def _form(schema, file_field: str):
    """A multipart form's fields (all but the file; empty ones left out), validated."""
    fields = {k: v for k, v in request.form.items() if v != "" and k != file_field}
    try:
        return schema.model_validate(fields)
    except ValidationError as error:
        raise bad_request(error) from None


def _upload(file_field: str) -> objections.Attachment | None:
    """The form's file, its type read from its bytes (a photo or PDF of at most 5 MB)."""
    upload = request.files.get(file_field)
    if upload is None or not upload.filename:
        return None
    try:
        content = upload.stream.read(objections.MAX_ATTACHMENT_BYTES + 1)
    finally:
        upload.close()  # a large upload is a temporary file: closed now, even when refused
    return objections.check_attachment(content, file_field)


def _body() -> tuple[ObjectionRequest, objections.Attachment | None]:
    """The request as JSON, or as a multipart form with an optional `attachment` file."""
    if not request.mimetype.startswith("multipart/form-data"):
        return parse_body(ObjectionRequest), None
    return _form(ObjectionRequest, "attachment"), _upload("attachment")


@bp.post("")
@operation(
    "File an objection (1420) about my cover or a record",
    response=ObjectionFiled,
    errors=(400, 401, 404, 413, 429),
)
@login_required
def file_objection():
    """A tracking number comes back at once; staff answer in the console."""
    body, attachment = _body()
    objection = objections.file(
        current_user.account.id,
        current_user.person_id,
        body.subject,
        body.text.strip() or body.text,
        national_code=body.national_code,
        record_access_id=body.record_access_id,
        attachment=attachment,
        folder=objections.attachments_folder(current_app.instance_path),
        per_day=current_app.config["DARMAN_OBJECTIONS_PER_DAY"],
    )
    return _filed(objection), 201


# The body is JSON or a form (for the attachment), so it is parsed in the view; the document
# still shows the JSON schema.
file_objection.openapi = replace(file_objection.openapi, request=ObjectionRequest)


def _filed(row: Objection | DocumentSubmission) -> dict:
    """The answer to a filing or a sending: its id, tracking number and status."""
    return {
        "id": row.id,
        "tracking_number": row.tracking_number,
        "status": row.status,
    }


@bp.get("")
@operation("My objections and their answers", response=ObjectionList, errors=(401,))
@login_required
def my_objections():
    """Every objection I filed, the newest first."""
    rows = db.session.scalars(
        select(Objection)
        .where(Objection.account_id == current_user.account.id)
        .order_by(Objection.id.desc())
    )
    return {
        "objections": [
            {
                **_filed(row),
                "subject": row.subject,
                "answer": row.answer if row.status == "answered" else None,
                "at": clock.as_tehran(row.created_at).isoformat(),
            }
            for row in rows
        ]
    }


@documents_bp.post("")
@operation(
    "Send a document for review (a student certificate, a disability decision) for a family "
    "member or myself",
    response=DocumentSent,
    errors=(400, 401, 403, 404, 413, 429),
)
@login_required
def send_document():
    """A multipart form: `member_id` (none for myself), `kind`, `file`, and optionally
    `valid_until`, `university` and `note`; a tracking number comes back at once."""
    if not request.mimetype.startswith("multipart/form-data"):
        raise Invalid("document_file_missing", field="file")
    body = _form(DocumentRequest, "file")
    upload = _upload("file")
    if upload is None:
        raise Invalid("document_file_missing", field="file")
    sent = documents.Sent(body.member_id, body.kind, body.valid_until, body.note, body.university)
    submission = documents.send(
        current_user.account.id,
        current_user.person_id,
        sent,
        upload,
        documents.folder(current_app.instance_path),
        per_day=current_app.config["DARMAN_DOCUMENTS_PER_DAY"],
    )
    return _filed(submission), 201


# The body is a multipart form; the document shows its fields' schema.
send_document.openapi = replace(send_document.openapi, request=DocumentRequest)


@documents_bp.get("")
@operation("The documents I sent and what became of them", response=DocumentList, errors=(401,))
@login_required
def my_documents():
    """Every document I sent, the newest first, with the reason of a refusal."""
    return {
        "documents": [
            _sent_item(row, person) for row, person in documents.sent_by(current_user.account.id)
        ]
    }


def _sent_item(row: DocumentSubmission, person: Person) -> dict:
    """One document of the list."""
    return {
        **_filed(row),
        "member_id": f"p{person.id}",
        "name": f"{person.first_name} {person.last_name}",
        "kind": row.kind,
        "university": row.university,
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "reason": row.reason if row.status == "refused" else None,
        "at": clock.as_tehran(row.created_at).isoformat(),
    }
