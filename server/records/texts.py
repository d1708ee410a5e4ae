"""What the record says to people: type and centre names, statuses, and each item's sentence
("۲ از ۳ عدد تحویل شده — بقیه را تا … از هر داروخانه‌ای بگیرید")."""

from datetime import date, datetime

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from .. import clock
from ..domain.digits import to_persian_digits
from ..i18n import date_text, number

TYPE_LABELS = {
    "drug": _l("Drug prescription"),
    "lab": _l("Laboratory order"),
    "imaging": _l("Imaging order"),
    "physio": _l("Physiotherapy order"),
    "visit": _l("Visit referral"),
}
PROVIDER_KIND_LABELS = {
    "doctor": _l("Doctor"),
    "pharmacy": _l("Pharmacy"),
    "lab": _l("Laboratory"),
    "imaging": _l("Imaging centre"),
    "physio": _l("Physiotherapy centre"),
    "clinic": _l("Clinic"),
    "hospital": _l("Hospital"),
}
# SSO staff as the citizen's access log names them: by role, never by their own name.
STAFF_ROLE_LABELS = {
    "branch": _l("SSO branch staff"),
    "insurance": _l("SSO insurance staff"),
    "medical": _l("SSO medical staff"),
    "admin": _l("SSO system administrator"),
}
STATUS_LABELS = {
    "complete": _l("Fully received"),
    "partial": _l("Partly received"),
    "open": _l("Not received yet"),
    "expired": _l("The time to receive it has passed"),
    "cancelled": _l("Cancelled by the doctor"),
}
# Where the rest of a service can be had: any centre of the kind, as seed 002 says.
WHERE = {
    "lab": _l("at any laboratory"),
    "imaging": _l("at any imaging centre"),
    "physio": _l("at any physiotherapy centre"),
    "visit": _l("at a hospital"),
}


def label(table: dict, code: str) -> str:
    """The text of a code in one of the tables above (the code itself when unknown)."""
    return str(table.get(code, code))


def moment(at: datetime) -> str:
    """A stored time as Tehran's Jalali date and clock time: «۱ آذر ۱۴۰۵، ساعت ۱۰:۲۰»."""
    local = clock.as_tehran(at)
    time = local.strftime("%H:%M")
    if str(get_locale()) == "fa":
        time = to_persian_digits(time)
    return gettext("%(date)s, %(time)s", date=date_text(local.date()), time=time)


def item_sentence(type_: str, status: str, quantity: int, dispensed: int, last_day: date) -> str:
    """Where one item stands, in a sentence, with what is left and until when."""
    values = {"quantity": number(quantity), "dispensed": number(dispensed)}
    values["date"] = date_text(last_day)
    if type_ == "drug":
        return _drug_sentence(status, values)
    return _service_sentence(status, values, str(WHERE.get(type_, WHERE["visit"])))


def _drug_sentence(status: str, values: dict) -> str:
    """A drug item's sentence: received from pharmacies."""
    if status == "complete":
        return gettext("Fully received (%(quantity)s).", **values)
    if status == "expired":
        return gettext(
            "%(dispensed)s of %(quantity)s received; the time to get the rest ended on %(date)s.",
            **values,
        )
    if status == "partial":
        return gettext(
            "%(dispensed)s of %(quantity)s received — get the rest by %(date)s at any pharmacy.",
            **values,
        )
    return gettext("Not received yet — get it by %(date)s at any pharmacy.", **values)


def _service_sentence(status: str, values: dict, where: str) -> str:
    """A test's, scan's, session's or visit's sentence: done at centres of its kind."""
    if status == "complete":
        return gettext("Fully done.")
    if status == "expired":
        return gettext(
            "%(dispensed)s of %(quantity)s done; the time to have the rest done ended on %(date)s.",
            **values,
        )
    if status == "partial":
        return gettext(
            "%(dispensed)s of %(quantity)s done — have the rest done by %(date)s %(where)s.",
            where=where,
            **values,
        )
    return gettext("Not done yet — have it done by %(date)s %(where)s.", where=where, **values)


def centre_item_sentence(
    type_: str, status: str, quantity: int, dispensed: int, last_day: date
) -> str:
    """Where one item stands as a centre reads it: what is left and where, in the third person
    (the patient's sentences tell the patient what to do)."""
    if status not in ("partial", "open"):
        return item_sentence(type_, status, quantity, dispensed, last_day)
    values = {"quantity": number(quantity), "dispensed": number(dispensed)}
    values["date"] = date_text(last_day)
    if type_ == "drug":
        if status == "partial":
            return gettext(
                "%(dispensed)s of %(quantity)s received; the rest can be received at any "
                "pharmacy until %(date)s.",
                **values,
            )
        return gettext(
            "Not received yet; it can be received at any pharmacy until %(date)s.", **values
        )
    values["where"] = str(WHERE.get(type_, WHERE["visit"]))
    if status == "partial":
        return gettext(
            "%(dispensed)s of %(quantity)s done; the rest can be done %(where)s until %(date)s.",
            **values,
        )
    return gettext("Not done yet; it can be done %(where)s until %(date)s.", **values)


def member_at_centre(role: str | None, name: str, centre: str) -> str:
    """Who read, as the citizen sees it: «دکتر مریم احمدی — مطب …» (a title for doctors)."""
    if role == "doctor":
        name = gettext("Dr %(name)s", name=name)
    return gettext("%(member)s — %(centre)s", member=name, centre=centre)
