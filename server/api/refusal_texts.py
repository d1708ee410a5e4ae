"""What the citizen's and the providers' eligibility APIs' refusals say (`server/web/refusals.py`
maps them to answers)."""

from flask_babel import gettext

TEXTS = {
    "invalid_tracking_code": lambda **_: gettext(
        "The tracking code is not valid. Please check it."
    ),
    "unknown_tracking_code": lambda **_: gettext(
        "No inquiry has this tracking code and national code."
    ),
    "missing_national_code": lambda **_: gettext(
        "Please give the national code the inquiry was about."
    ),
    "not_main_insured": lambda **_: gettext(
        "Only the main insured can see the family's eligibility."
    ),
    "member_not_found": lambda **_: gettext("This person is not on your family."),
}
