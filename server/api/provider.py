"""The provider API: doctors', pharmacies' and hospitals' software ask by national code."""

from flask import Blueprint, g
from flask_babel import gettext

from .. import clock, inquiries
from ..auth.providers import provider_required
from ..database import read_only_transaction
from ..domain import eligibility as rules
from ..domain.digits import to_latin_digits
from ..domain.jalali import jalali_text
from ..domain.tracking import is_valid_tracking_code
from ..errors import ApiError
from ..extensions import db
from . import operation
from .schemas import EligibilityAnswer, EligibilityRequest, InquiryRecord

bp = Blueprint("provider", __name__, url_prefix="/api/provider")

CHANNEL = "provider"


@bp.post("/eligibility")
@provider_required
@operation(
    "General inquiry by national code, or a newborn by the mother's code and birth date",
    request_schema=EligibilityRequest,
    response=EligibilityAnswer,
    errors=(400, 401),
    security="bearer",
)
def eligibility(body: EligibilityRequest):
    """Has / has not, with a tracking code; no expiry and no name (seed 000, item 2-a)."""
    today = clock.today()
    read_only_transaction(db.session())  # the write lock only for the log's short insert
    if body.national_code is not None:
        answer = inquiries.find(body.national_code, today)
        asked_for, birth_date = body.national_code, None
    else:
        if body.birth_date > today:
            message = gettext("The birth date cannot be in the future.")
            raise ApiError(400, "future_date", message, field="birth_date")
        answer = inquiries.find_newborn(body.mother_national_code, body.birth_date, today)
        asked_for, birth_date = body.mother_national_code, body.birth_date
    db.session.commit()  # ends the read
    tracking_code = inquiries.log(
        answer,
        channel=CHANNEL,
        national_code=asked_for,
        provider_id=g.provider.id,
        newborn_birth_date=birth_date,
    )
    return {"covered": answer.covered, "label": answer.label, "tracking_code": tracking_code}


@bp.get("/inquiries/<tracking_code>")
@provider_required
@operation(
    "Verify an inquiry by its tracking code",
    response=InquiryRecord,
    errors=(400, 401, 404),
    security="bearer",
)
def inquiry(tracking_code: str):
    """The logged inquiry, so that a centre can check a tracking code it was shown."""
    tracking_code = to_latin_digits(tracking_code)
    if not is_valid_tracking_code(tracking_code):
        message = gettext("The tracking code is not valid. Please check it.")
        raise ApiError(400, "invalid_tracking_code", message)
    found = inquiries.by_tracking_code(tracking_code)
    if found is None:
        message = gettext("No inquiry has this tracking code.")
        raise ApiError(404, "unknown_tracking_code", message)
    asked_at = clock.as_tehran(found.asked_at)
    return {
        "tracking_code": found.tracking_code,
        "national_code": found.national_code,
        "newborn_birth_date": found.newborn_birth_date.isoformat()
        if found.newborn_birth_date
        else None,
        "covered": found.covered,
        "label": rules.label(found.covered),
        "channel": found.channel,
        "asked_at": asked_at.isoformat(),
        "asked_at_jalali": jalali_text(asked_at.date()) + asked_at.strftime(" %H:%M"),
    }
