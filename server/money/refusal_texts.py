"""What the money side's refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

from ..i18n import number

TEXTS = {
    "contract_overlaps": lambda **_: gettext(
        "This centre already has a contract over some of these days."
    ),
    "statement_backwards": lambda **_: gettext("The first day comes after the last."),
    "statement_too_long": lambda days, **_: gettext(
        "A statement covers at most %(days)s days.", days=number(days)
    ),
    "contract_ends_before_it_starts": lambda **_: gettext(
        "A contract cannot end before it starts."
    ),
}
