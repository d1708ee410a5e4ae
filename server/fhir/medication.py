"""A drug prescription as FHIR R4 MedicationRequests, one per item, in a searchset Bundle: the
record's status in FHIR's words (a cancelled prescription or item is `cancelled`, with the
doctor's reason as `statusReason`), a repeat's parts as `dispenseRequest` (a month's
quantity, `numberOfRepeatsAllowed` the parts after the first), and the coded diagnoses as
`reasonCode` in WHO's ICD-10 system."""

from datetime import date

from ..clinical.diagnoses import fhir_reason_codes
from .resources import NATIONAL_CODE_SYSTEM

PRESCRIPTION_CODE_SYSTEM = "urn:darman:prescription-code"
CATALOGUE_SYSTEM = "urn:darman:catalogue"
# The record's item status → MedicationRequest.status.
STATUSES = {
    "open": "active",
    "partial": "active",
    "complete": "completed",
    "expired": "stopped",
    "cancelled": "cancelled",
}


def bundle(record: dict | None, national_code: str) -> dict:
    """The searchset: the record's items as MedicationRequests (none for no drug prescription)."""
    entries = []
    if record is not None and record["type"] == "drug":
        entries = [
            {"resource": medication_request(record, item, national_code)}
            for item in record["items"]
        ]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


def medication_request(record: dict, item: dict, national_code: str) -> dict:
    """One item (`reading.describe`'s) of a drug prescription."""
    code = record["code"]
    status = "cancelled" if record["status"] == "cancelled" else STATUSES[item["status"]]
    resource = {
        "resourceType": "MedicationRequest",
        "id": f"{code}-{item['code']}",
        "identifier": [{"system": PRESCRIPTION_CODE_SYSTEM, "value": code}],
        "groupIdentifier": {"system": PRESCRIPTION_CODE_SYSTEM, "value": code},
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {
            "coding": [{"system": CATALOGUE_SYSTEM, "code": item["code"], "display": item["name"]}],
            "text": item["name"],
        },
        "subject": {"identifier": {"system": NATIONAL_CODE_SYSTEM, "value": national_code}},
        "authoredOn": record["written_on"],
        "requester": {"display": record["provider"]["name"]},
        "dispenseRequest": _dispense_request(record, item),
    }
    cancelled = item.get("cancelled") or record.get("cancelled")
    if status == "cancelled" and cancelled:
        resource["statusReason"] = {"text": cancelled["reason"]}
    if item.get("instructions"):
        resource["dosageInstruction"] = [{"text": item["instructions"]}]
    if record.get("diagnoses"):  # WHO ICD-10, as the doctor coded them
        resource["reasonCode"] = fhir_reason_codes(record["diagnoses"])
    return resource


def _dispense_request(record: dict, item: dict) -> dict:
    """What may be dispensed: a part's quantity, the parts after the first, until when."""
    parts = record.get("parts", 1)
    return {
        "validityPeriod": {
            "start": record["written_on"],
            "end": date.fromisoformat(record["expires_on"]).isoformat(),
        },
        "numberOfRepeatsAllowed": parts - 1,
        "quantity": {"value": item["quantity"] // parts, "unit": "unit"},
    }
