"""The inquiry answers of the phone channels, as lines of text (USSD pages, SMS replies)."""

from flask_babel import gettext

from .. import messages
from ..domain.jalali import jalali_text
from ..i18n import number
from ..inquiries import Answer

# One USSD page as gateways count it: 160 UCS-2 units (a Persian letter is one unit).
PAGE_LIMIT = 160


def ucs2_units(text: str) -> int:
    """How many UCS-2 (UTF-16) code units a gateway needs for `text`."""
    return len(text.encode("utf-16-le")) // 2


def fits(text: str) -> bool:
    """True when `text` fits one USSD page, in characters and in UCS-2 units."""
    return len(text) <= PAGE_LIMIT and ucs2_units(text) <= PAGE_LIMIT


def fit(required: list[str], optional: list[str]) -> str:
    """The required lines, then each optional line that still fits on the page."""
    lines = list(required)
    for line in optional:
        if fits("\n".join([*lines, line])):
            lines.append(line)
    return "\n".join(lines)


def tracking_line(tracking_code: str) -> str:
    """«کد رهگیری: ۱۲۳…»."""
    return gettext("Tracking code: %(code)s", code=number(tracking_code))


def expiry_line(answer: Answer) -> str | None:
    """The Jalali expiry, for the owner's own answer while they are covered."""
    valid_until = answer.eligibility.valid_until
    if not answer.covered or valid_until is None:
        return None
    return gettext("Eligibility valid until %(date)s", date=jalali_text(valid_until))


def reason_lines(answer: Answer, *, with_notes: bool = False) -> list[str]:
    """Why the owner is not covered, in words (with seed 000 item 5's note where it applies)."""
    lines = []
    for code in answer.eligibility.reasons:
        reason = messages.reason(code)
        lines.append(reason["message"])
        if with_notes and "note" in reason:
            lines.append(reason["note"])
    return lines


def general_page(answer: Answer, tracking_code: str, *, newborn: bool = False) -> str:
    """Has / has not and the tracking code (seed 000 item 2-a): no expiry, no reasons."""
    optional = [str(messages.NOTES["newborn"])] if newborn else []
    return fit([answer.label, tracking_line(tracking_code)], optional)


def own_page(answer: Answer, tracking_code: str) -> str:
    """The owner's answer (seed 000 2-b): status, Jalali expiry, tracking code, notes that fit."""
    required = [answer.label, *filter(None, [expiry_line(answer)]), tracking_line(tracking_code)]
    if answer.covered:
        optional = [gettext("This date may change with your contributions.")]
    else:
        optional = reason_lines(answer)[:1]
    optional.append(gettext("Objections: call 1420."))
    return fit(required, optional)


def sms_reply(national_code: str, answer: Answer, tracking_code: str, *, owner: bool) -> str:
    """An SMS answer: the general one, or the owner's with the expiry and the seeds' notes."""
    lines = [gettext("Darman"), gettext("National code: %(code)s", code=number(national_code))]
    lines.append(answer.label)
    if owner:
        lines += filter(None, [expiry_line(answer)])
        lines += reason_lines(answer, with_notes=True)
        if answer.covered:
            lines.append(str(messages.AS_OF_TODAY))
    lines.append(tracking_line(tracking_code))
    if owner:
        lines.append(str(messages.OBJECTION))
    return "\n".join(lines)
