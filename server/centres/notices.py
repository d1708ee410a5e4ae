"""Texts to a centre's people: the SMS that says a registration was approved or rejected."""

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from ..auth.sms import SmsDeliveryError, backend_from_config
from ..extensions import db
from ..models import CentreMember, Person, Provider


def _admin_mobiles(centre: Provider) -> list[str]:
    """The mobiles of the centre's present administrators."""
    return db.session.scalars(
        select(Person.mobile)
        .join(CentreMember, CentreMember.person_id == Person.id)
        .where(
            CentreMember.provider_id == centre.id,
            CentreMember.is_admin.is_(True),
            CentreMember.removed_at.is_(None),
        )
    ).all()


def approved(centre: Provider) -> int:
    """Text every administrator of the centre that it is active; returns how many were sent."""
    text = gettext(
        "Darman — %(centre)s was approved. You can now sign in at %(address)s.",
        centre=centre.name,
        address=current_app.config["DARMAN_ORIGIN"].split(",")[0].strip() + "/centre/",
    )
    return _send(centre, text, "approval")


def rejected(centre: Provider) -> int:
    """Text every administrator of the centre that it was not approved, and why."""
    text = gettext(
        "Darman — the registration of %(centre)s was not approved. Reason: %(reason)s",
        centre=centre.name,
        reason=centre.rejection_reason or "",
    )
    return _send(centre, text, "rejection")


def _send(centre: Provider, text: str, what: str) -> int:
    """Send one text to the centre's administrators; returns how many were sent."""
    backend, sent = backend_from_config(current_app.config), 0
    for mobile in filter(None, _admin_mobiles(centre)):
        try:
            backend.send_text(mobile, text)
            sent += 1
        except SmsDeliveryError as error:  # the decision stands; the SMS is only a courtesy
            current_app.logger.warning("%s SMS not delivered: status %s", what, error.status)
    return sent
