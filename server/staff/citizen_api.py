"""The citizen's objections: `POST /api/objections` (JSON, or a form with a photo or PDF) and
`GET /api/objections`. Refusals of the filing (`server/staff/objections.py`) are answered by
the app's one handler; the request commits the objection."""

from dataclasses import replace

from flask import Blueprint, current_app, request
from flask_login import current_user, login_required
from pydantic import ValidationError
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from .. import clock
from ..domain.refusal import TooLarge
from ..extensions import db
from ..models import Objection
from ..web.refusals import answer
from ..web.toolkit import bad_request, operation, parse_body
from ..web.uploads import allow_uploads
from . import objections
from .schemas import ObjectionFiled, ObjectionList, ObjectionRequest

bp = Blueprint("objections", __name__, url_prefix="/api/objections")

# Room for a 5 MB attachment and its form fields, on this route only (64 KB elsewhere).
UPLOAD_LIMIT = objections.MAX_ATTACHMENT_BYTES + 64 * 1024


allow_uploads(bp, UPLOAD_LIMIT)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    """A body past the room for an attachment: the file is too large, as the message says."""
    return answer(TooLarge("attachment_too_large", field="attachment"))


def _body() -> tuple[ObjectionRequest, objections.Attachment | None]:
    """The request as JSON, or as a multipart form with an optional `attachment` file."""
    if not request.mimetype.startswith("multipart/form-data"):
        return parse_body(ObjectionRequest), None
    fields = {k: v for k, v in request.form.items() if v != "" and k != "attachment"}
    try:
        body = ObjectionRequest.model_validate(fields)
    except ValidationError as error:
        raise bad_request(error) from None
    upload = request.files.get("attachment")
    if upload is None or not upload.filename:
        return body, None
    try:
        content = upload.stream.read(objections.MAX_ATTACHMENT_BYTES + 1)
    finally:
        upload.close()  # a large upload is a temporary file: closed now, even when refused
    return body, objections.check_attachment(content)


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


def _filed(objection: Objection) -> dict:
    """The filing's answer."""
    return {
        "id": objection.id,
        "tracking_number": objection.tracking_number,
        "status": objection.status,
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
