"""The insured's drug allergies: read them in the record, and dispute one (an objection SSO's
staff answer). Health data needs a sign-in within the last 10 minutes; every read is logged."""

from flask import Blueprint, current_app
from flask_login import current_user
from sqlalchemy import select

from ..auth.sessions import recent_sign_in_required
from ..extensions import db
from ..models import Allergy, Provider
from ..records import access, texts
from . import allergies
from .requests import clinical_operation
from .schemas import DisputeFiled, DisputeRequest, MyAllergies

bp = Blueprint("clinical_citizen", __name__, url_prefix="/api/records/allergies")


@bp.get("")
@clinical_operation(
    "My recorded drug allergies (a disputed one stays until SSO's staff decide)",
    response=MyAllergies,
    errors=(401,),
)
@recent_sign_in_required
def my_allergies():
    """Each allergy with who recorded it; the read is logged on my access log."""
    me = current_user.person_id
    rows = db.session.execute(
        select(Allergy, Provider.name)
        .join(Provider, Provider.id == Allergy.provider_id)
        .where(Allergy.person_id == me, Allergy.status != "removed")
        .order_by(Allergy.id)
    ).all()
    access.log_citizen_read(me, me, "self")
    return {
        "allergies": [
            {
                **allergies.described(row.Allergy),
                "recorded_by": row.name,
                "recorded_at_jalali": texts.moment(row.Allergy.recorded_at),
            }
            for row in rows
        ]
    }


@bp.post("/<int:allergy_id>/dispute")
@clinical_operation(
    "Dispute a recorded allergy: filed as an objection (1420) that SSO's staff answer",
    request_schema=DisputeRequest,
    response=DisputeFiled,
    errors=(400, 401, 404, 409, 429),
)
@recent_sign_in_required
def dispute(allergy_id: int, body: DisputeRequest):
    """201 with the objection's tracking number."""
    objection = allergies.dispute(
        current_user.account.id,
        current_user.person_id,
        allergy_id,
        body.text,
        current_app.config["DARMAN_OBJECTIONS_PER_DAY"],
    )
    return {
        "id": objection.id,
        "tracking_number": objection.tracking_number,
        "status": objection.status,
    }, 201
