"""What the record's refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

from ..domain.eligibility import CURRENT_PROCEDURE_REASONS
from ..domain.jalali import jalali_text
from ..i18n import number
from ..messages import CURRENT_PROCEDURE, REASONS


def _over_dispensed(name: str, remaining: int, **_) -> str:
    """What remains of the item, named as the pharmacist reads it on the prescription."""
    if remaining <= 0:
        return gettext("%(name)s has already been fully delivered.", name=name)
    return gettext(
        "Only %(remaining)s of %(name)s remain to be delivered.",
        remaining=number(remaining),
        name=name,
    )


def _not_covered(tracking_code: str, reasons: list[str], **_) -> str:
    """Not covered at the counter: why, the tracking code, and what the patient may do."""
    why = " ".join(str(REASONS.get(code, "")) for code in reasons)
    sentences = [
        gettext(
            "The patient is not covered for treatment today (tracking code %(code)s), so nothing "
            "has been delivered.",
            code=number(tracking_code),
        ),
        why,
    ]
    if set(reasons) & CURRENT_PROCEDURE_REASONS:
        sentences.append(str(CURRENT_PROCEDURE))
    sentences.append(
        gettext("If the patient disagrees, they can call 1420 or go to an SSO branch.")
    )
    return " ".join(filter(None, sentences))


def _wrong_provider_kind(action: str, **_) -> str:
    """Who may do the refused action (`server/records/provider_api.py`'s `kinds_required`)."""
    if action == "write":
        return gettext("Only doctors and hospitals can write prescriptions.")
    if action == "admit":
        return gettext("Only hospitals admit patients.")
    if action == "read":
        return gettext("Only doctors can read a patient's health record.")
    if action == "keep_favourites":  # the catalogue's favourites
        return gettext("Only doctors keep favourite prescriptions.")
    return gettext(
        "Delivery is recorded by pharmacies, laboratories, imaging and physiotherapy centres "
        "and hospitals."
    )


def _cancelled(name: str | None = None, date=None, **_) -> str:
    """A cancelled prescription (with the day) or item (by name): nothing of it is delivered."""
    if name is not None:
        return gettext(
            "The doctor cancelled %(name)s on this prescription; it cannot be delivered.",
            name=name,
        )
    if date is not None:
        return gettext(
            "The doctor cancelled this prescription on %(date)s; nothing of it can be delivered.",
            date=jalali_text(date),
        )
    return gettext("The doctor cancelled this prescription; nothing of it can be delivered.")


def _dispensed(name: str | None = None, **_) -> str:
    """Too late to cancel: something (or all of the item) was already delivered."""
    if name is not None:
        return gettext(
            "%(name)s has already been fully delivered; it cannot be cancelled.", name=name
        )
    return gettext(
        "Part of this prescription has already been delivered, so it cannot be cancelled "
        "whole. What has not been delivered can still be cancelled item by item."
    )


def _too_many_parts(limit: int) -> str:
    """The most parts a repeat prescription may have for this patient."""
    if limit > 6:
        return gettext(
            "A repeat prescription has at most %(max)s monthly parts.", max=number(limit)
        )
    return gettext(
        "A repeat prescription has at most %(max)s monthly parts; up to 12 only for a patient "
        "on the special-patients list.",
        max=number(limit),
    )


TEXTS = {
    "wrong_provider_kind": _wrong_provider_kind,
    "written_on_too_old": lambda days, **_: gettext(
        "A prescription cannot be written more than %(days)s days back.", days=number(days)
    ),
    "unknown_prescription": lambda **_: gettext("No prescription has this code."),
    "wrong_center_kind": lambda **_: gettext(
        "This centre cannot deliver this kind of prescription."
    ),
    "expired": lambda date, **_: gettext(
        "This prescription expired on %(date)s; nothing more can be delivered on it.",
        date=jalali_text(date),
    ),
    "unknown_item": lambda code, **_: gettext(
        "Item %(code)s is not on this prescription.", code=code
    ),
    "over_dispensed": _over_dispensed,
    "cancelled": _cancelled,
    "dispensed": _dispensed,
    "not_due": lambda date, name, **_: gettext(
        "The next part of %(name)s can be received from %(date)s, not before.",
        name=name,
        date=jalali_text(date),
    ),
    "too_many_parts": lambda max, **_: _too_many_parts(max),
    "not_covered": _not_covered,
    "idempotency_key_reused": lambda **_: gettext(
        "This Idempotency-Key was already used for a different request."
    ),
    "unknown_record": lambda **_: gettext("No such record was found."),
    "not_your_minor": lambda **_: gettext(
        "You can see only your own record and those of your children under 18 on your family."
    ),
    "no_visit": lambda hours, action="read", **_: _no_visit(hours, action),
}


def _no_visit(hours: int, action: str) -> str:
    """403 `no_visit`: what the doctor may do only after a visit (`read` the record, `write` a
    prescription)."""
    if action == "write":
        return gettext(
            "You can write a prescription for a patient only after an eligibility inquiry about "
            "them within the last %(hours)s hours.",
            hours=number(hours),
        )
    return gettext(
        "You can read a patient's record only after an eligibility inquiry about them "
        "within the last %(hours)s hours.",
        hours=number(hours),
    )
