"""Reading the clinical API's requests: its own kinds of bad input, each a localized 400."""

from functools import partial

from flask_babel import gettext

from ..records.requests import record_problem
from ..web.toolkit import invalid_with, operation


def clinical_problem(kind: str, location: list[str], context: dict) -> tuple[str, str] | None:
    """Our code and message for a bad severity, ingredient or reaction, else the record's."""
    if location == ["severity"]:
        return "invalid_severity", gettext("The severity must be one of: mild, moderate, severe.")
    if location == ["ingredient"]:
        return "invalid_ingredient", gettext(
            "Please name the ingredient or class, e.g. amoxicillin or penicillins."
        )
    if location == ["reaction"]:
        return "invalid_reaction", gettext("Please describe the reaction in 2 to 300 characters.")
    if location == ["text"]:
        return "invalid_text", gettext("Please write why, in 5 to 1000 characters.")
    return record_problem(kind, location, context)


bad_request = invalid_with(clinical_problem)
clinical_operation = partial(operation, invalid=bad_request)
