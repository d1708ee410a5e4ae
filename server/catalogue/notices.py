"""The SMS a patient gets when a prescription is written (its code, and where it is served) and
when it is cancelled."""

from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.sms import SmsDeliveryError, backend_from_config
from ..database import read_only_transaction
from ..domain.digits import to_persian_digits
from ..domain.jalali import jalali_text
from ..extensions import db
from ..hospitals import outside
from ..i18n import number
from ..models import Account, Person, Prescription
from ..records import rules, texts

# Where a prescription of each type is served (seed 002: at any centre of the kind).
SERVED_AT = {
    "drug": _l("at any pharmacy"),
    "lab": _l("at any laboratory"),
    "imaging": _l("at any imaging centre"),
    "physio": _l("at any physiotherapy centre"),
    "visit": _l("at a hospital"),
}


def prescription_text(prescription: Prescription, center: str, locale: str) -> str:
    """The message, in the patient's language (Persian digits in Persian); a repeat says its
    parts and from when the next one may be had, not only its last day."""

    def say(**values) -> str:  # in the patient's locale (`_in_words`)
        where = texts.label(SERVED_AT, prescription.type)
        last = jalali_text(prescription.expires_on)
        if prescription.parts <= 1:
            return gettext(
                "Darman — your %(type)s was written at %(center)s. Prescription code: %(code)s. "
                "It can be received %(where)s until %(date)s.",
                where=where, date=last, **values,
            )  # fmt: skip
        return gettext(
            "Darman — your %(type)s was written at %(center)s in %(parts)s monthly parts. "
            "Prescription code: %(code)s. The first part can be received %(where)s now, the "
            "next from %(next)s; the last until %(date)s.",
            parts=number(prescription.parts), where=where, date=last,
            next=jalali_text(rules.part_due_on(prescription.written_on, 2)), **values,
        )  # fmt: skip

    return _in_words(
        prescription,
        center,
        locale,
        lambda **values: say(**values) + outside.sms_lines(prescription.id),
    )


def cancellation_text(prescription: Prescription, center: str, locale: str) -> str:
    """The message that a prescription was cancelled: its code no longer serves."""
    return _in_words(
        prescription,
        center,
        locale,
        lambda **values: gettext(
            "Darman — your %(type)s written at %(center)s (code %(code)s) was cancelled by the "
            "doctor and can no longer be received. The reason is in your health record.",
            **values,
        ),
    )


def _in_words(prescription: Prescription, center: str, locale: str, say: Callable) -> str:
    """`say(type, center, code)` in the patient's language (Persian digits in Persian)."""
    with force_locale(locale):
        code = prescription.code if locale != "fa" else to_persian_digits(prescription.code)
        kind = texts.label(texts.TYPE_LABELS, prescription.type)
        return say(type=kind, center=center, code=code)


def send_prescription_sms(person_id: int, prescription: Prescription, center: str) -> bool:
    """Text the patient (a newborn's mother) the new prescription's code; False when there is no
    mobile on record or the SMS could not be handed over (the prescription stands either way)."""
    return _send(person_id, lambda locale: prescription_text(prescription, center, locale))


def send_cancellation_sms(person_id: int, prescription: Prescription, center: str) -> bool:
    """Text the patient that the prescription of the code they were texted is cancelled."""
    return _send(person_id, lambda locale: cancellation_text(prescription, center, locale))


def _send(person_id: int, text_in: Callable[[str], str]) -> bool:
    """Text the patient `text_in(their locale)`; False when there is no mobile on record or the
    SMS could not be handed over.

    Called after the write is committed; the read here ends before the SMS goes out, so no lock
    is held while the SMS provider answers.
    """
    read_only_transaction(db.session())
    row = db.session.execute(
        select(Person.mobile, Account.locale)
        .outerjoin(Account, Account.person_id == Person.id)
        .where(Person.id == person_id)
    ).first()
    has_mobile = row is not None and bool(row.mobile)
    text = text_in(row.locale or "fa") if has_mobile else ""
    db.session.rollback()  # ends the read, which wrote nothing
    if not has_mobile:
        return False
    try:
        backend = backend_from_config(current_app.config)
    except ValueError as error:  # a misconfigured backend must not turn a written one into a 500
        current_app.logger.error("prescription SMS not sent: %s", error)
        return False
    try:
        backend.send_text(row.mobile, text)
    except SmsDeliveryError as error:
        # Never the number or the text: they are the patient's.
        current_app.logger.warning("prescription SMS not delivered: status %s", error.status)
        return False
    return True
