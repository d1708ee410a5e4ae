"""Common instructions a doctor picks instead of typing them («هر ۸ ساعت یک عدد» …)."""

from flask_babel import lazy_gettext as _l

DRUG = ("drug",)

# id → (text, the prescription types it suits); ids are stable, texts follow the language.
PRESETS = {
    "every_8_hours": (_l("One every 8 hours"), DRUG),
    "every_12_hours": (_l("One every 12 hours"), DRUG),
    "every_6_hours_if_needed": (_l("One every 6 hours if needed for pain or fever"), DRUG),
    "once_a_day": (_l("One a day"), DRUG),
    "before_bed": (_l("One a day before bed"), DRUG),
    "fasting": (_l("One a day on an empty stomach, before breakfast"), DRUG),
    "twice_with_meals": (_l("One twice a day with meals"), DRUG),
    "three_times_after_meals": (_l("One three times a day after meals"), DRUG),
    "once_a_week": (_l("One a week"), DRUG),
    "under_the_tongue": (_l("One under the tongue when chest pain starts"), DRUG),
    "two_puffs": (_l("Two puffs when short of breath"), DRUG),
    "teaspoon_every_8_hours": (_l("One teaspoon (5 ml) every 8 hours"), DRUG),
    "thin_layer_twice": (_l("Apply a thin layer twice a day"), DRUG),
    "eye_drop_every_6_hours": (_l("One drop in each eye every 6 hours"), DRUG),
    "fasting_12_hours": (_l("Fast for 12 hours before the test"), ("lab",)),
    "three_sessions_a_week": (_l("Three sessions a week"), ("physio",)),
    "urgent": (_l("Urgent"), ("lab", "imaging", "visit")),
}


def presets(kind: str | None = None) -> list[dict]:
    """The presets in the request's language, optionally only those suiting one type."""
    return [
        {"id": key, "text": str(text), "kinds": list(kinds)}
        for key, (text, kinds) in PRESETS.items()
        if kind is None or kind in kinds
    ]
