"""The provider API: doctors', pharmacies' and hospitals' software ask by national code."""

from flask import Blueprint, g, request

from .. import clock, inquiries
from ..auth import lookup_misses
from ..auth.providers import count_in_request, hot_count, provider_required
from ..domain import eligibility as rules
from ..domain.digits import to_latin_digits
from ..domain.jalali import jalali_text
from ..domain.refusal import Invalid, NotFound
from ..domain.tracking import is_valid_tracking_code
from ..web.toolkit import operation
from . import lookups
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
    if body.national_code is not None:  # the hot path: one statement, outside the ORM
        covered, tracking_code = inquiries.ask(
            body.national_code,
            today,
            channel=CHANNEL,
            provider_id=g.provider.id,
            count=hot_count(g.hot_connection),  # the token's count, with the inquiry's log
            connection=g.hot_connection,  # the connection that read the token
        )
        return {"covered": covered, "label": rules.label(covered), "tracking_code": tracking_code}
    count_in_request()  # the newborn's way: the count is committed with the log by the request
    answer = inquiries.find_newborn(body.mother_national_code, body.birth_date, today)
    tracking_code = inquiries.log(
        answer,
        channel=CHANNEL,
        national_code=body.mother_national_code,
        provider_id=g.provider.id,
        newborn_birth_date=body.birth_date,
    )
    return {"covered": answer.covered, "label": answer.label, "tracking_code": tracking_code}


@bp.get("/inquiries/<tracking_code>")
@provider_required
@operation(
    "Verify an inquiry by its tracking code and the national code it was about",
    response=InquiryRecord,
    errors=(400, 401, 404, 429),
    security="bearer",
    query=("national_code",),
)
def inquiry(tracking_code: str):
    """The logged inquiry, so that a centre can check a tracking code it was shown.

    The centre names whose code it is (`?national_code=`): a code alone reveals nobody. Either
    wrong is the same 404, and a token's 404s are limited, so codes cannot be swept.
    """
    tracking_code = to_latin_digits(tracking_code)
    if not is_valid_tracking_code(tracking_code):
        raise Invalid("invalid_tracking_code")
    national_code = lookups.national_code_parameter(request.args.get("national_code"))
    with lookup_misses.counted(g.provider, "tracking"):
        found = inquiries.by_tracking_code(tracking_code)
        if found is None or found.national_code != national_code:
            raise NotFound("unknown_tracking_code")
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
