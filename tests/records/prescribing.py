"""What the record's tests write: items, bodies, headers, and a check for Persian text."""

from families import INSURED

TODAY = "2026-11-22"  # the suite's pinned date (1 Azar 1405)
AMOXICILLIN = {
    "code": "D1001",
    "name": "آموکسی‌سیلین ۵۰۰ میلی‌گرم",
    "instructions": "هر ۸ ساعت یک عدد",
    "quantity": 3,
}
METFORMIN = {"code": "D1002", "name": "متفورمین ۵۰۰ میلی‌گرم", "quantity": 60}
FBS = {"code": "L2001", "name": "آزمایش قند خون ناشتا", "quantity": 1}
CBC = {"code": "L2002", "name": "شمارش کامل خون (CBC)", "quantity": 1}
HBA1C = {"code": "L2003", "name": "هموگلوبین A1c", "quantity": 1}
CHEST_XRAY = {"code": "R3001", "name": "رادیوگرافی قفسه سینه", "quantity": 1}
KNEE_PHYSIO = {"code": "P4001", "name": "جلسه فیزیوتراپی زانو", "quantity": 6}
CARDIOLOGY = {"code": "V5001", "name": "ویزیت متخصص قلب و عروق", "quantity": 1}
# An item of each type, for tests that write every type.
ITEM_OF = {
    "drug": AMOXICILLIN,
    "lab": FBS,
    "imaging": CHEST_XRAY,
    "physio": KNEE_PHYSIO,
    "visit": CARDIOLOGY,
}
# Writing Ali's usual prescription again while the first is open is a duplicate of each drug:
# these reasons let a test write it more than once.
REFILL = [
    {"id": "D1001:D1001:amoxicillin", "reason": "تمدید نسخه"},
    {"id": "D1002:D1002:metformin", "reason": "تمدید نسخه"},
]


def is_persian(text: str) -> bool:
    """True when the text has Persian letters."""
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def bearer(token: str, **headers: str) -> dict:
    """The Authorization header (and any others)."""
    return {"Authorization": f"Bearer {token}", **headers}


def prescription_body(**fields) -> dict:
    """A drug prescription for Ali written today; `fields` replace or add."""
    body = {
        "national_code": INSURED,
        "written_on": TODAY,
        "type": "drug",
        "diagnosis": "عفونت حاد گلو",
        "items": [AMOXICILLIN, METFORMIN],
    }
    body.update(fields)
    return body
