"""Inbound SMS: a text holding a national code is answered by SMS with the general inquiry, or
with the owner's full answer when it comes from that code's mobile on record."""

import re

from flask_babel import gettext

from .. import clock, inquiries
from ..auth.sms import SmsBackend
from ..database import commit_now
from ..domain.digits import to_latin_digits
from ..domain.national_code import InvalidNationalCode, normalise
from ..extensions import db
from ..ops import metrics
from . import answers, gateway
from .gateway import InquiryLimits

CHANNEL = "sms"
_DIGIT_RUN = re.compile(r"[0-9][0-9 \u200c\-]*[0-9]|[0-9]")


class NoNationalCode(ValueError):
    """The text holds digits, but none of them a valid national code."""


def national_code_in(text: str) -> str | None:
    """The first valid national code among the text's digit runs; None, or NoNationalCode."""
    # Runs of 8–12 digits, Persian or Latin, spaces and dashes inside allowed; None when the
    # text has no such run at all, NoNationalCode when it has some and none is valid.
    candidates = []
    for run in _DIGIT_RUN.findall(to_latin_digits(text)):
        pieces = [run, *re.split(r"[ \u200c]+", run)]  # "001 234 5679", or "1 0012345679"
        candidates += [d for d in (re.sub(r"[^0-9]", "", p) for p in pieces) if 8 <= len(d) <= 12]
    for digits in candidates:
        try:
            return normalise(digits)
        except InvalidNationalCode:
            continue
    if candidates:
        raise NoNationalCode(text)
    return None


def reply_to(mobile: str, text: str, allowed: InquiryLimits, sms: SmsBackend) -> int | None:
    """Answer a message by SMS through `sms`, or the seconds to wait (nothing sent) when over a
    limit."""
    wait = gateway.admit(mobile, allowed)
    if wait:
        return wait
    answer = _reply(mobile, text)
    # The count (and the inquiry the reply names by its tracking code) is stored before the SMS
    # goes, and stays although the answer then says the SMS failed: every reply costs an SMS.
    commit_now(db.session)
    with metrics.counting_sms("text"):
        sms.send_text(mobile, answer)
    return None


def _reply(mobile: str, text: str) -> str:
    """The answer to a text: an inquiry when it holds a national code, else how to ask."""
    try:
        national_code = national_code_in(text)
    except NoNationalCode:
        return gettext("The national code is not valid. Please check it.")
    if national_code is None:
        return gettext("To check eligibility for treatment, send a national code.")
    return _inquire(national_code, mobile)


def _inquire(national_code: str, mobile: str) -> str:
    """Log the inquiry and word the reply (full only for the code's own mobile)."""
    owner = gateway.caller_owns(national_code, mobile)
    answer = inquiries.find(national_code, clock.today())
    tracking_code = inquiries.log(answer, channel=CHANNEL, national_code=national_code)
    return answers.sms_reply(national_code, answer, tracking_code, owner=owner)
