"""The words of each notice (COPY.md's push_* sentences), in the account's language.

Persian has Jalali dates and Persian digits («۳۰ آذر ۱۴۰۵»); English has the Jalali date with
English month names («30 Azar 1405»), as the PWA shows dates in English.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale, gettext

from ..domain.digits import to_persian_digits
from ..domain.jalali import jalali_text, jalali_text_english
from .changes import Change
from .kinds import KINDS


@dataclass(frozen=True)
class NoticeText:
    """What a notice says and where it leads."""

    title: str
    body: str
    url: str


def render(kind: str, change: Change, locale: str, name: str = "") -> NoticeText:
    """The notice `kind` about `change`, in `locale`; `name` is the dependant's, if any."""
    with force_locale(locale):
        facts = dict(change.facts)
        when = facts.get("date")
        values = {
            "date": _date_text(when, locale) if when else "",
            "n": _number(facts.get("days_left", 0), locale),
            "center": facts.get("center", ""),
            "name": name,
            "number": _number(facts.get("number", ""), locale),
            "status": facts.get("status"),
            "staff": facts.get("staff", False),
            "part": _number(facts.get("part", ""), locale),
        }
        if kind == "sign_in":
            values["event"] = facts["event"]
            values["device"] = facts["device"] or gettext("Unknown device")
        if facts.get("at"):
            values["time"] = _time_text(facts["at"], locale)
        if kind == "record_read":
            values["what"] = facts.get("what")
        title, body = _words(kind, facts, values)
    return NoticeText(title, body, _url(kind, facts))


def _words(kind: str, facts: dict, values: dict) -> tuple[str, str]:
    """Title and body of one kind."""
    if kind == "document_reminder":
        return _family_title(values), _document_body(facts, values)
    if kind.startswith("dependant_"):
        return _family_title(values), _dependant_body(kind, facts, values)
    if kind == "coverage_gained":
        return gettext("Covered for treatment"), gettext(
            "You are covered for treatment until %(date)s.", date=values["date"]
        )
    if kind in ("coverage_lost", "coverage_ended"):
        return gettext("Not covered for treatment"), gettext(
            "Your treatment cover ended on %(date)s.", date=values["date"]
        )
    if kind == "expiry_earlier":
        return gettext("Expiry date changed"), gettext(
            "Your eligibility now ends earlier, on %(date)s.", date=values["date"]
        )
    if kind == "expiry_later":
        return gettext("Expiry date changed"), gettext(
            "Your eligibility has been extended to %(date)s.", date=values["date"]
        )
    if kind == "coverage_ending":
        return gettext("Cover ending soon"), _ending(facts, values)
    return _other_words(kind, values)


def _family_title(values: dict) -> str:
    """The title of a notice about a dependant: «خانوادهٔ شما: <name>»."""
    return gettext("Your family: %(name)s", name=values["name"])


def _other_words(kind: str, values: dict) -> tuple[str, str]:
    """Title and body of the newborn's and the health record's kinds."""
    if kind == "newborn_ending":
        return gettext("Your newborn's cover"), gettext(
            "Your newborn's cover under the mother's national code ends on %(date)s. To keep "
            "it, have the baby registered as a dependant with their own national code.",
            date=values["date"],
        )
    if kind == "sign_in":
        return _sign_in_words(values)
    if kind == "prescription_written":
        return gettext("New prescription"), gettext(
            "A prescription was written under your name at %(center)s. If it wasn't you, "
            "call 1420.",
            center=values["center"],
        )
    if kind == "prescription_cancelled":
        return gettext("Prescription cancelled"), gettext(
            "A prescription written for you at %(center)s was cancelled by the doctor; it can "
            "no longer be received. The reason is in your record.",
            center=values["center"],
        )
    if kind == "repeat_due":
        return gettext("Your next month's medicine"), gettext(
            "Part %(part)s of your repeat prescription can be received from %(date)s at any "
            "pharmacy.",
            part=values["part"],
            date=values["date"],
        )
    if kind == "objection_status":
        return gettext("Your objection"), _objection_body(values)
    if kind == "document_status":
        return gettext("Your document"), _document_status_body(values)
    if values["staff"] and values.get("what") == "document":  # a document sent for review
        return gettext("Your document was opened"), gettext(
            "%(center)s opened the document you sent to review it. Every view is listed in "
            "«Who saw my record».",
            center=values["center"],
        )
    if values["staff"]:  # SSO staff opened the person's objection in their console
        return gettext("Your objection was opened"), gettext(
            "%(center)s opened your objection to review it. Every view is listed in «Who saw "
            "my record».",
            center=values["center"],
        )
    return gettext("Health record viewed"), _read_body(values)


def _read_body(values: dict) -> str:
    """A provider's read, calmly: who, when and what they saw, as at an ordinary visit; only
    then what to do if the person made no visit there."""
    what = values.get("what")
    if what == "open_prescriptions":
        return gettext(
            "%(center)s looked up your open prescriptions on %(time)s, as is done when "
            "medicines are delivered. If you did not go there, call 1420.",
            **values,
        )
    if what == "prescription":
        return gettext(
            "%(center)s opened one of your prescriptions on %(time)s, as is done at a visit. "
            "If you did not go there, call 1420.",
            **values,
        )
    return gettext(
        "%(center)s looked at your health record on %(time)s, as is done at a visit. If you "
        "did not go there, call 1420.",
        **values,
    )


def _sign_in_words(values: dict) -> tuple[str, str]:
    """A new sign-in or a new passkey, with the device and the time, and what to do if not you."""
    if values.get("event") == "passkey":
        return gettext("New passkey on your account"), gettext(
            "A passkey was added to your account on %(device)s, %(time)s. If it wasn't you, "
            "remove it and sign that device out in Settings.",
            **values,
        )
    return gettext("New sign-in to your account"), gettext(
        "Your account was signed in on %(device)s, %(time)s. If it wasn't you, sign that "
        "device out in Settings.",
        **values,
    )


def _objection_body(values: dict) -> str:
    """Where the person's objection now stands (its tracking number)."""
    number, status = values["number"], values.get("status")
    if status == "answered":
        return gettext(
            "Your objection %(number)s has been answered. See the answer in the app.", number=number
        )
    if status == "in_review":
        return gettext("Your objection %(number)s is being reviewed.", number=number)
    return gettext("Your objection %(number)s has been received.", number=number)


def _document_status_body(values: dict) -> str:
    """What became of a document sent from the app (its tracking number); no health detail."""
    number, status = values["number"], values.get("status")
    if status == "accepted":
        return gettext(
            "Your document %(number)s has been accepted and the cover is updated.", number=number
        )
    return gettext(
        "Your document %(number)s was not accepted. See the reason in the app.", number=number
    )


def _ending(facts: dict, values: dict) -> str:
    """push_ending: n days left (today included), or "today" on the last day."""
    if facts.get("days_left", 0) <= 1:
        return gettext("Your eligibility ends today, %(date)s.", date=values["date"])
    return gettext("Your eligibility ends in %(n)s days, on %(date)s.", **values)


def _document_body(facts: dict, values: dict) -> str:
    """What a dependant will need, by when, and how: in the app where it can take it, else at a
    branch (the original birth certificate is seen in person); 1420 for help."""
    edge = facts.get("edge")
    if edge == "son_19":
        return gettext(
            "%(name)s turns 19 on %(date)s. From then on his cover needs a valid university "
            "enrolment certificate: please send it in the app (Family, then his card) before "
            "that day, or bring it to a branch of the Social Security Organisation. "
            "Questions: 1420.",
            **values,
        )
    if edge == "daughter_18":
        return gettext(
            "%(name)s turns 18 on %(date)s. From then on her cover needs her original birth "
            "certificate to be shown: it must be seen in person, so please show it at a branch "
            "of the Social Security Organisation before that day. Questions: 1420.",
            **values,
        )
    if edge == "disability":
        return gettext(
            "The disability document of %(name)s ends on %(date)s. To keep the cover, please "
            "send the renewed document in the app, or bring it to a branch of the Social "
            "Security Organisation. Questions: 1420.",
            **values,
        )
    return gettext(
        "The university enrolment certificate of %(name)s ends on %(date)s. To keep the cover, "
        "please send the new certificate in the app, or bring it to a branch of the Social "
        "Security Organisation. Questions: 1420.",
        **values,
    )


def _dependant_body(kind: str, facts: dict, values: dict) -> str:
    """The same sentences about a dependant, by name."""
    if kind == "dependant_gained":
        return gettext("%(name)s is covered for treatment until %(date)s.", **values)
    if kind in ("dependant_lost", "dependant_ended"):
        return gettext("The treatment cover of %(name)s ended on %(date)s.", **values)
    if kind == "dependant_expiry_earlier":
        return gettext("The eligibility of %(name)s now ends earlier, on %(date)s.", **values)
    if kind == "dependant_expiry_later":
        return gettext("The eligibility of %(name)s has been extended to %(date)s.", **values)
    if facts.get("days_left", 0) <= 1:
        return gettext("The eligibility of %(name)s ends today, %(date)s.", **values)
    return gettext("The eligibility of %(name)s ends in %(n)s days, on %(date)s.", **values)


def _url(kind: str, facts: dict) -> str:
    """The PWA screen the notice opens."""
    if kind in ("prescription_written", "prescription_cancelled", "repeat_due") and facts.get(
        "record"
    ):
        return f"/#/records/{facts['record']}"
    if kind == "newborn_ending" and not facts.get("family_screen", True):
        return "/#/notices"  # a mother who is not a main insured has no family screen
    return KINDS[kind].screen


def _date_text(value: date, locale: str) -> str:
    """A Jalali date in words: Persian with Persian digits, or English."""
    return jalali_text(value) if locale == "fa" else jalali_text_english(value)


def _time_text(moment: datetime, locale: str) -> str:
    """A Tehran time as «۱ آذر ۱۴۰۵، ساعت ۱۴:۳۰» or «1 Azar 1405, at 14:30»."""
    clock_time = _number(f"{moment.hour:02d}:{moment.minute:02d}", locale)
    return gettext("%(date)s, at %(time)s", date=_date_text(moment.date(), locale), time=clock_time)


def _number(value: int, locale: str) -> str:
    """A number in the locale's digits."""
    return to_persian_digits(value) if locale == "fa" else str(value)


def sms_text(kind: str, change: Change, locale: str, name: str = "", code: str = "") -> str | None:
    """The short SMS of a notice that no push delivered, or None for a kind that has none.

    Nothing of health beyond what SSO's own SMS carries: a prescription's code, never a drug,
    a diagnosis or the centre (a clinic's name can tell an illness); the app holds the rest.
    """
    facts = change.facts
    with force_locale(locale):
        when = facts.get("date")
        values = {"date": _date_text(when, locale) if when else "", "name": name}
        if kind in ("coverage_lost", "coverage_ended", "dependant_lost", "dependant_ended"):
            return _sms_cover_ended(kind, values)
        if kind == "coverage_gained":
            return gettext("Darman: you are covered for treatment until %(date)s.", **values)
        if kind == "dependant_gained":
            return gettext("Darman: %(name)s is covered for treatment until %(date)s.", **values)
        if kind == "prescription_written" and code:
            return gettext(
                "Darman: a prescription with code %(code)s was written under your national "
                "code. If it wasn't you, call 1420.",
                code=_number(code, locale),
            )
        if kind == "record_read" and facts.get("at"):
            return gettext(
                "Darman: your health record was opened on %(time)s. See who in the Darman app; "
                "if you made no visit, call 1420.",
                time=_time_text(facts["at"], locale),
            )
        if kind == "objection_status" and facts.get("status") == "answered":
            return gettext(
                "Darman: your objection %(number)s has been answered. See the answer in the "
                "Darman app.",
                number=_number(facts.get("number", ""), locale),
            )
        if kind == "document_status" and facts.get("status") in ("accepted", "refused"):
            return _sms_document(facts["status"], _number(facts.get("number", ""), locale))
    return None


def _sms_document(status: str, number: str) -> str:
    """The SMS of a decided document (sent from the app): its tracking number, never its kind."""
    if status == "accepted":
        return gettext(
            "Darman: your document %(number)s has been accepted and the cover is updated.",
            number=number,
        )
    return gettext(
        "Darman: your document %(number)s was not accepted. See the reason in the Darman app.",
        number=number,
    )


def _sms_cover_ended(kind: str, values: dict) -> str:
    """The SMS of a cover that ended: the person's own, or a dependant's by name."""
    if kind.startswith("dependant_"):
        return gettext("Darman: the treatment cover of %(name)s ended on %(date)s.", **values)
    return gettext(
        "Darman: your treatment cover ended on %(date)s. See why in the Darman app or call 1420.",
        **values,
    )
