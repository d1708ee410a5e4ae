"""What the clinical refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext


def _allergy(allergies: list[dict], **_) -> str:
    """Which items carry an allergen, and what to do."""
    named = "، ".join(sorted({finding["name"] for finding in allergies}))
    return gettext(
        "The patient is recorded as allergic to an ingredient of %(items)s. Remove the item, or "
        "give a reason for writing it.",
        items=named,
    )


TEXTS = {
    "unknown_diagnosis": lambda code, **_: gettext(
        "%(code)s is not a WHO ICD-10 diagnosis code. Please choose one from the list.",
        code=code,
    ),
    "unknown_ingredient": lambda ingredient, **_: gettext(
        "The catalogue has no ingredient or class named %(ingredient)s.", ingredient=ingredient
    ),
    "allergy": _allergy,
    "unknown_allergy": lambda **_: gettext("No recorded allergy of yours has this id."),
    "already_disputed": lambda **_: gettext(
        "You have already disputed this allergy; SSO's staff will answer."
    ),
    "allergy_decided": lambda **_: gettext("This allergy has already been decided."),
}
