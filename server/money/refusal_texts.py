"""What the money side's refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

from ..i18n import number, rials

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
    "unknown_month": lambda **_: gettext("There is no such month."),
    "month_closed": lambda **_: gettext(
        "This month's review is closed: it can no longer be changed."
    ),
    "month_not_over": lambda **_: gettext(
        "This month is not over yet: it can be closed from the day after its last day."
    ),
    "month_not_settled": lambda **_: gettext(
        "Some days of this month have not been settled yet: it can be closed once they are."
    ),
    "review_reason_required": lambda **_: gettext(
        "Please write the reason: the centre sees it on its statement."
    ),
    "review_reason_too_long": lambda most, **_: gettext(
        "Please keep the reason within %(most)s characters.", most=number(most)
    ),
    "deduction_not_positive": lambda **_: gettext("A deduction is at least one rial."),
    "deduction_above_share": lambda share, **_: gettext(
        "A deduction cannot be more than the line's SSO share (%(share)s).", share=rials(share)
    ),
    "unknown_claim_line": lambda **_: gettext(
        "This centre has no claim line with this number in this month."
    ),
    "claim_line_not_payable": lambda **_: gettext(
        "This line is not payable (no contract on its day): there is nothing to deduct."
    ),
}
