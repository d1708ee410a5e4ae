"""What the hospitals' refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

from ..i18n import number

TEXTS = {
    "admitted_in_future": lambda **_: gettext("The admission date cannot be in the future."),
    "admitted_too_long_ago": lambda days, **_: gettext(
        "An admission can be recorded at most %(days)s days back.", days=number(days)
    ),
    "already_admitted": lambda **_: gettext(
        "This patient is already admitted to this hospital; discharge them first."
    ),
    "unknown_admission": lambda **_: gettext("This hospital has no admission with this number."),
    "already_discharged": lambda **_: gettext("This patient has already been discharged."),
    "unknown_overlap": lambda **_: gettext("No overlap of insurers has this number."),
    "overlap_resolved": lambda **_: gettext("This overlap has already been resolved."),
    "outside_only_in_hospitals": lambda **_: gettext(
        "Only a hospital marks an item to be got outside."
    ),
    "obtained_outside": lambda name, **_: gettext(
        "%(name)s is to be got outside this hospital: any contracted centre of its kind serves it.",
        name=name,
    ),
}
