"""What the catalogue's tests write: drug prescriptions by code, and the bearer header."""

from families import INSURED

TODAY = "2026-11-22"


def bearer(token: str, **headers: str) -> dict:
    """The Authorization header (and any others)."""
    return {"Authorization": f"Bearer {token}", **headers}


def drugs(*items: tuple[str, int], **fields) -> dict:
    """A drug prescription for Ali written today with `(code, quantity)` items."""
    body = {
        "national_code": INSURED,
        "written_on": TODAY,
        "type": "drug",
        "items": [{"code": code, "quantity": quantity} for code, quantity in items],
    }
    body.update(fields)
    return body
