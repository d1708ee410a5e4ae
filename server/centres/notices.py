"""Texts to a centre's people: the SMS that says a registration was approved."""

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from ..auth.sms import SmsDeliveryError, backend_from_config
from ..extensions import db
from ..models import CentreMember, Person, Provider


def approved(centre: Provider) -> int:
    """Text every administrator of the centre that it is active; returns how many were sent."""
    mobiles = db.session.scalars(
        select(Person.mobile)
        .join(CentreMember, CentreMember.person_id == Person.id)
        .where(
            CentreMember.provider_id == centre.id,
            CentreMember.is_admin.is_(True),
            CentreMember.removed_at.is_(None),
        )
    ).all()
    text = gettext(
        "Darman — %(centre)s was approved. You can now sign in at %(address)s.",
        centre=centre.name,
        address=current_app.config["DARMAN_ORIGIN"].split(",")[0].strip() + "/centre/",
    )
    backend, sent = backend_from_config(current_app.config), 0
    for mobile in filter(None, mobiles):
        try:
            backend.send_text(mobile, text)
            sent += 1
        except SmsDeliveryError as error:  # approval stands; the doctor can still sign in
            current_app.logger.warning("approval SMS not delivered: status %s", error.status)
    return sent
