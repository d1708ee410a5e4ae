"""Texts to a centre's people: the SMS that says a registration was approved or rejected, and
that a contract request was approved or refused."""

from datetime import date

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from ..auth.sms import SmsDeliveryError, backend_from_config
from ..extensions import db
from ..i18n import date_text, rials
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


def contract_made(centre: Provider, valid_from: date, valid_until: date | None) -> int:
    """Text every administrator of the centre that SSO made its contract, and from when."""
    if valid_until is None:
        text = gettext(
            "Darman — the contract of %(centre)s with SSO starts on %(start)s.",
            centre=centre.name,
            start=date_text(valid_from),
        )
    else:
        text = gettext(
            "Darman — the contract of %(centre)s with SSO runs from %(start)s to %(end)s.",
            centre=centre.name,
            start=date_text(valid_from),
            end=date_text(valid_until),
        )
    return _send(centre, text, "contract")


def contract_refused(centre: Provider, reason: str) -> int:
    """Text every administrator of the centre that its contract request was refused, and why."""
    text = gettext(
        "Darman — the contract request of %(centre)s was not accepted. Reason: %(reason)s",
        centre=centre.name,
        reason=reason,
    )
    return _send(centre, text, "contract refusal")


def claims_reviewed(centre: Provider, month: str, deducted: int, payable: int) -> int:
    """Text every administrator of the centre that SSO closed its month's review: what was
    deducted and the final payment (or, when negative, what it owes)."""
    if payable >= 0:
        text = gettext(
            "Darman — SSO has reviewed the claims of %(centre)s for %(month)s: deductions"
            " %(deducted)s; final payment %(payable)s. The details are on your statement.",
            centre=centre.name, month=month, deducted=rials(deducted), payable=rials(payable),
        )  # fmt: skip
    else:
        text = gettext(
            "Darman — SSO has reviewed the claims of %(centre)s for %(month)s: deductions"
            " %(deducted)s; the advances paid were %(owed)s more than what was accepted, which"
            " will be withheld from your next payments. The details are on your statement.",
            centre=centre.name, month=month, deducted=rials(deducted), owed=rials(-payable),
        )  # fmt: skip
    return _send(centre, text, "claims review")


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
