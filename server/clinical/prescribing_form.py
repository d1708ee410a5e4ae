"""The new-prescription form's clinical parts in the web for centres: the ICD-10 codes typed
(or picked as the doctor types) and the reasons for writing an item despite a recorded allergy,
asked per allergy when the write operation answers 409 `allergy`."""

import re

from ..domain.digits import to_latin_digits
from . import allergies, diagnoses

_SEPARATORS = re.compile(r"[\s,،;؛]+")


def codes(form) -> list[str]:
    """The codes in the diagnoses field, as typed (the write operation checks them)."""
    text = to_latin_digits(form.diagnoses.data or "")
    return [code for code in _SEPARATORS.split(text) if code]


def reasons(form) -> list[dict]:
    """The reasons typed, each by its allergy's id."""
    return [
        {"id": int(entry.allergy.data), "reason": (entry.reason.data or "").strip()}
        for entry in form.allergy_reasons
        if (entry.allergy.data or "").isdigit() and (entry.reason.data or "").strip()
    ]


def ask_reasons(form, allergic: list[dict]) -> list[dict]:
    """The allergies met (once each, with the items that carry them), each given a reason field
    that keeps what was typed for the same allergy."""
    typed = {entry.allergy.data: entry.reason.data or "" for entry in form.allergy_reasons}
    met: dict[int, dict] = {}
    for finding in allergic:
        entry = met.setdefault(finding["id"], {**finding, "names": []})
        entry["names"].append(finding["name"])
    form.allergy_reasons.process(
        None, [{"allergy": str(key), "reason": typed.get(str(key), "")} for key in met]
    )
    return list(met.values())


def written_extra(prescription_id: int) -> dict:
    """What the written prescription's page shows besides the items: the coded diagnoses and
    the allergies written through with their reasons."""
    return {
        "diagnoses": diagnoses.of([prescription_id]).get(prescription_id, []),
        "acknowledged_allergies": allergies.acknowledgements_of(prescription_id),
    }
