"""Fixtures of the health record's tests: providers made with the real command, a prescription
writer, a signed-in Ali (the Rezaei family's main insured), and row counters."""

import pytest
from families import INSURED, INSURED_MOBILE
from prescribing import bearer, prescription_body
from sqlalchemy import func, select
from visits import make_visit

from server.extensions import db
from server.models import (
    Dispensing,
    IdempotencyKey,
    Inquiry,
    OutboxEvent,
    Prescription,
    PrescriptionItem,
    RecordAccess,
)


@pytest.fixture
def pharmacy2(make_provider) -> str:
    """Sina pharmacy's token."""
    return make_provider("داروخانه سینا", "pharmacy")


@pytest.fixture
def lab(make_provider) -> str:
    """Pasteur laboratory's token."""
    return make_provider("آزمایشگاه پاستور", "lab")


@pytest.fixture
def write(client, catalogue):
    """POST a prescription with a token (and an optional Idempotency-Key), the catalogue
    loaded; first, unless not `visit`, the doctor's eligibility inquiry about the patient (the
    visit a prescription is written in)."""

    def post(token: str, body: dict, key: str | None = None, visit: bool = True, **headers: str):
        if visit:
            make_visit(client, token, body)
        if key is not None:
            headers["Idempotency-Key"] = key
        return client.post(
            "/api/provider/prescriptions", json=body, headers=bearer(token, **headers)
        )

    return post


@pytest.fixture
def dispense(client):
    """POST a delivery of `{code: quantity}` on a prescription code."""

    def post(token: str, code: str, quantities: dict[str, int], **headers: str):
        body = {"items": [{"code": c, "quantity": q} for c, q in quantities.items()]}
        url = f"/api/provider/prescriptions/{code}/dispense"
        return client.post(url, json=body, headers=bearer(token, **headers))

    return post


@pytest.fixture
def written(family, doctor, write) -> dict:
    """Ali's drug prescription (amoxicillin 3, metformin 60), as the doctor's answer."""
    response = write(doctor, prescription_body())
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def ali(family, citizen):
    """Ali, the main insured, signed in just now."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


COUNTED = {
    "prescriptions": Prescription,
    "items": PrescriptionItem,
    "dispensing": Dispensing,
    "inquiries": Inquiry,
    "outbox": OutboxEvent,
    "reads": RecordAccess,
    "keys": IdempotencyKey,
}


@pytest.fixture
def counts(app):
    """How many rows each of the record's tables (and the inquiry log and outbox) holds."""

    def count() -> dict[str, int]:
        with app.app_context():
            return {
                name: db.session.scalar(select(func.count()).select_from(model))
                for name, model in COUNTED.items()
            }

    return count


@pytest.fixture
def outbox(app):
    """The outbox events of one kind, oldest first."""

    def events(kind: str) -> list[OutboxEvent]:
        with app.app_context():
            return list(
                db.session.scalars(
                    select(OutboxEvent).where(OutboxEvent.kind == kind).order_by(OutboxEvent.id)
                )
            )

    return events
