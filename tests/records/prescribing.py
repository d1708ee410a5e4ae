"""What the record's tests write: items, bodies, headers, and a check for Persian text."""

from families import INSURED

TODAY = "2026-11-22"  # the suite's pinned date (1 Azar 1405)
AMOXICILLIN = {
    "code": "D1001",
    "name": "آموکسی‌سیلین ۵۰۰ میلی‌گرم",
    "instructions": "هر ۸ ساعت یک عدد",
    "quantity": 3,
}
METFORMIN = {"code": "D1002", "name": "متفورمین ۵۰۰", "quantity": 60}
FBS = {"code": "L2001", "name": "آزمایش قند خون ناشتا", "quantity": 1}
CBC = {"code": "L2002", "name": "شمارش کامل خون (CBC)", "quantity": 1}


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
