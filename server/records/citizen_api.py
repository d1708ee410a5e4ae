"""The citizen's health record: my records (or a minor's on my family), one record in detail,
and who read it. Health data needs a sign-in within the last 10 minutes; every read is logged."""

from flask import Blueprint, request
from flask_login import current_user

from .. import clock
from ..auth.sessions import recent_sign_in_required
from ..domain.refusal import NotFound
from ..money import claims
from ..web.toolkit import national_code_argument
from . import access, reading
from .requests import (
    id_cursor_argument,
    limit_argument,
    record_cursor_argument,
    records_operation,
    types_argument,
)
from .schemas import AccessLog, RecordDetail, RecordList

bp = Blueprint("records", __name__, url_prefix="/api/records")


@bp.get("")
@records_operation(
    "My records, newest first (`?type=`, `?cursor=`, `?limit=`; `?national_code=` a minor on "
    "my family)",
    response=RecordList,
    errors=(400, 401, 403),
)
@recent_sign_in_required
def my_records():
    """A page of records; the read is logged on the record's owner's access log."""
    today = clock.today()
    me = current_user.person_id
    person_id, reader = access.patient_for_citizen(me, _national_code(), today)
    page = reading.records_page(
        person_id, types_argument(), record_cursor_argument(), limit_argument(), today
    )
    page["paid_this_year"] = claims.paid_in_year(person_id, today)
    access.log_citizen_read(me, person_id, reader)
    return page


@bp.get("/<int:record_id>")
@records_operation(
    "One record: items, each item's deliveries (where, when, how many), what is left and until "
    "when",
    response=RecordDetail,
    errors=(401, 404),
)
@recent_sign_in_required
def my_record(record_id: int):
    """Mine or a minor's on my family; anyone else's is not found. The read is logged."""
    today = clock.today()
    me = current_user.person_id
    row = reading.record(record_id)
    reader = access.citizen_reader_of(me, row.Prescription.person_id, today) if row else None
    if reader is None:
        raise NotFound("unknown_record")
    described = reading.detail(row, today, money=True)
    access.log_citizen_read(me, row.Prescription.person_id, reader, row.Prescription.id)
    return described


@bp.get("/access-log")
@records_operation(
    "Every read of my record (or a minor's on my family): by me, a parent, or a provider",
    response=AccessLog,
    errors=(400, 401, 403),
)
@recent_sign_in_required
def access_log():
    """Who read it, as what, and when, newest first."""
    me = current_user.person_id
    person_id, _ = access.patient_for_citizen(me, _national_code(), clock.today())
    return access.access_log(person_id, id_cursor_argument(), limit_argument())


def _national_code() -> str | None:
    """`?national_code=`: a minor on my family, normalised; None for my own record."""
    text = request.args.get("national_code")
    return national_code_argument(text) if text else None
