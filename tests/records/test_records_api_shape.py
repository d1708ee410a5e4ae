"""The record's API as a whole: described in the OpenAPI document, and a page of records costs
the same number of queries however long it is."""

import pytest
from prescribing import CBC, FBS, HBA1C, prescription_body
from sqlalchemy import event

from server.extensions import db


def test_the_openapi_document_describes_the_record(client):
    document = client.get("/api/openapi.json").get_json()
    paths = document["paths"]
    write = paths["/api/provider/prescriptions"]["post"]
    assert write["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PrescriptionRequest"
    }
    assert write["security"] == [{"bearer": []}]
    assert {"400", "401", "403", "404", "409"} <= set(write["responses"])
    assert "post" in paths["/api/provider/prescriptions/{code}/dispense"]
    assert "get" in paths["/api/provider/patients/{national_code}/records"]
    for path in ("/api/records", "/api/records/{record_id}", "/api/records/access-log"):
        assert "get" in paths[path]
    schemas = document["components"]["schemas"]
    assert set(schemas["PrescriptionRequest"]["properties"]["type"]["enum"]) == {
        "drug",
        "lab",
        "imaging",
        "physio",
        "visit",
    }


@pytest.fixture
def many(family, doctor, write) -> None:
    """30 records of Ali's, each with three items."""
    for day in range(30):
        body = prescription_body(written_on=f"2026-11-{day % 20 + 1:02d}", type="lab")
        body["items"] = [FBS, CBC, HBA1C]
        assert write(doctor, body).status_code == 201


def queries(app, citizen, url: str) -> int:
    """How many SQL statements one GET runs."""
    count = 0

    def counted(*_args) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = citizen.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert response.status_code == 200
    return count


def test_a_page_of_records_costs_the_same_queries_however_long(app, ali, many):
    short = queries(app, ali, "/api/records?limit=2")
    assert 0 < short == queries(app, ali, "/api/records?limit=30")
