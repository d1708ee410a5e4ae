"""The USSD menu: each gateway call brings every input so far, `*`-joined; we answer one page.

""                      → the menu
"1" → "1*<my code>"     → my eligibility, if this phone is the code's mobile (seed 000 2-b)
"2" → "2*<code>"        → someone else: has / has not and a tracking code (seed 000 2-a)
"3" → "3*<mother>" → "3*<mother>*<birth date>" → a newborn under the mother's code (N1)
"""

import math
from dataclasses import dataclass

from flask_babel import gettext

from .. import clock, inquiries, messages
from ..domain.digits import to_latin_digits
from ..domain.national_code import InvalidNationalCode, normalise
from ..domain.refusal import Refused
from ..domain.typed_dates import InvalidTypedDate, parse_typed_date
from ..i18n import number
from ..web.refusals import message_of
from . import answers, gateway
from .gateway import InquiryLimits

CHANNEL = "ussd"


@dataclass(frozen=True)
class Screen:
    """One page: `final` ends the session (END), otherwise the gateway asks for input (CON)."""

    final: bool
    text: str

    def render(self) -> str:
        """The gateway's form: `CON text` or `END text`."""
        return ("END " if self.final else "CON ") + self.text


def ask(text: str) -> Screen:
    """A page that waits for input."""
    return Screen(False, text)


def end(text: str) -> Screen:
    """A last page."""
    return Screen(True, text)


def menu() -> Screen:
    """The first page."""
    return ask(
        gettext(
            "Darman — eligibility for treatment\n1. My eligibility\n2. Someone else\n"
            "3. A newborn (by the mother's national code)"
        )
    )


def respond(mobile: str, inputs: list[str], allowed: InquiryLimits) -> Screen:
    """The page for this point of the session; an inquiry counts against `allowed`."""
    if not inputs:
        return menu()
    choice, rest = to_latin_digits(inputs[0]), inputs[1:]  # a Persian keypad sends «۲»
    flows = {"1": _mine, "2": _someone_else, "3": _newborn}
    if choice not in flows:
        return end(gettext("Please choose one of the menu's numbers."))
    return flows[choice](mobile, rest, allowed)


def _national_code(text: str) -> str | None:
    """The typed national code, normalised; None when it is not valid."""
    try:
        return normalise(text)
    except InvalidNationalCode:
        return None


def _invalid_national_code() -> Screen:
    """The seeds' wording for a mistyped code."""
    return end(gettext("The national code is not valid. Please check it."))


def _too_many(seconds: int) -> Screen:
    """This number has asked too often."""
    minutes = math.ceil(seconds / 60)
    return end(
        gettext(
            "Too many inquiries from this number. Please try again in %(minutes)s minutes.",
            minutes=number(minutes),
        )
    )


def _mine(mobile: str, rest: list[str], allowed: InquiryLimits) -> Screen:
    """Option 1: my own eligibility, with the expiry, when this phone is my mobile on record."""
    return _person_inquiry(mobile, rest, allowed, own=True)


def _someone_else(mobile: str, rest: list[str], allowed: InquiryLimits) -> Screen:
    """Option 2: the general inquiry — has / has not and a tracking code."""
    return _person_inquiry(mobile, rest, allowed, own=False)


def _person_inquiry(mobile: str, rest: list[str], allowed: InquiryLimits, *, own: bool) -> Screen:
    """Options 1 and 2: a national code typed, checked and answered; one's own needs this phone."""
    if not rest:
        if own:
            return ask(gettext("Enter your national code:"))
        return ask(gettext("Enter the person's national code:"))
    national_code = _national_code(rest[0])
    if national_code is None or len(rest) > 1:
        return _invalid_national_code()
    wait = gateway.admit(mobile, allowed)
    if wait:
        return _too_many(wait)
    if own and not gateway.caller_owns(national_code, mobile):
        return end(str(messages.MOBILE_MISMATCH))
    answer = inquiries.find(national_code, clock.today())
    tracking_code = inquiries.log(answer, channel=CHANNEL, national_code=national_code)
    page = answers.own_page if own else answers.general_page
    return end(page(answer, tracking_code))


def _newborn(mobile: str, rest: list[str], allowed: InquiryLimits) -> Screen:
    """Option 3: a newborn, by the mother's national code and the birth date."""
    if not rest:
        return ask(gettext("Enter the mother's national code:"))
    mother = _national_code(rest[0])
    if mother is None:
        return _invalid_national_code()
    if len(rest) == 1:
        return ask(gettext("Enter the baby's birth date (e.g. 1405/08/21 or 14050821):"))
    typed = "/".join(rest[1:])  # keypads without "/" type 1405*08*21, which arrives split
    try:
        birth_date = parse_typed_date(typed)
    except InvalidTypedDate:
        return end(gettext("The birth date is not valid. Please enter it like 1405/08/21."))
    wait = gateway.admit(mobile, allowed)
    if wait:
        return _too_many(wait)
    today = clock.today()
    try:
        answer = inquiries.find_newborn(mother, birth_date, today)
    except Refused as error:  # a date no newborn of hers can have (counted, as any try)
        return end(message_of(error))
    tracking_code = inquiries.log(
        answer, channel=CHANNEL, national_code=mother, newborn_birth_date=birth_date
    )
    return end(answers.general_page(answer, tracking_code, newborn=True))
