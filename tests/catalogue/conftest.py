"""Fixtures of the catalogue's tests: providers made with the real command, the small catalogue
loaded with the real commands, and helpers that write prescriptions and call the API."""

import pytest
from prescribing_drugs import bearer
from sqlalchemy import func, select
from visits import make_visit

from server.extensions import db
from server.models import (
    Favourite,
    Inquiry,
    InteractionAcknowledgement,
    OutboxEvent,
    Prescription,
    PrescriptionItem,
)


@pytest.fixture
def write(client, family, catalogue):
    """POST a prescription with a doctor's token, after the doctor's eligibility inquiry about
    the patient (the visit a prescription is written in; none when not `visit`)."""

    def post(token: str, body: dict, visit: bool = True, **headers: str):
        if visit:
            make_visit(client, token, body)
        return client.post(
            "/api/provider/prescriptions", json=body, headers=bearer(token, **headers)
        )

    return post


@pytest.fixture
def api(client):
    """Call the provider API with a token: `api(token, "GET", url, json=…)`."""

    def call(token: str, method: str, url: str, json: dict | None = None, **headers: str):
        return client.open(url, method=method, json=json, headers=bearer(token, **headers))

    return call


COUNTED = {
    "prescriptions": Prescription,
    "items": PrescriptionItem,
    "inquiries": Inquiry,
    "outbox": OutboxEvent,
    "acknowledgements": InteractionAcknowledgement,
    "favourites": Favourite,
}


@pytest.fixture
def counts(app):
    """How many rows the tables a prescription or favourite writes to hold."""

    def count() -> dict[str, int]:
        with app.app_context():
            return {
                name: db.session.scalar(select(func.count()).select_from(model))
                for name, model in COUNTED.items()
            }

    return count
