"""The misuse alert: each new prescription and each provider read of a record puts an event in
the outbox for the record's owner (a newborn's mother), in the same transaction."""

from datetime import datetime

from families import INSURED, UNKNOWN, WIFE
from prescribing import CBC, bearer, prescription_body
from sqlalchemy import select

from server.extensions import db
from server.models import Person


def person_id(app, national_code: str) -> int:
    """A person's id."""
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.national_code == national_code))


def test_a_new_prescription_writes_an_event(app, written, outbox):
    (event,) = outbox("prescription_written")
    assert event.person_id == person_id(app, INSURED)
    assert event.status == "pending"
    assert event.old is None
    assert set(event.new) == {"prescription_id", "center", "at"}
    assert (event.new["prescription_id"], event.new["center"]) == (written["id"], "مطب دکتر احمدی")
    assert datetime.fromisoformat(event.new["at"]).utcoffset().total_seconds() == 3.5 * 3600


def test_a_newborns_prescription_alerts_the_mother(app, family, doctor, write, outbox):
    body = prescription_body(type="lab", items=[CBC])
    del body["national_code"]
    body.update(mother_national_code=WIFE, birth_date="2026-11-12")
    assert write(doctor, body).status_code == 201
    assert [e.person_id for e in outbox("prescription_written")] == [person_id(app, WIFE)]


def test_a_refused_write_writes_no_event(family, doctor, write, outbox):
    write(doctor, prescription_body(national_code=UNKNOWN))
    write(doctor, prescription_body(items=[]))
    assert outbox("prescription_written") == []


def test_a_doctors_read_writes_an_event(app, client, written, doctor, outbox):
    response = client.get(f"/api/provider/patients/{INSURED}/records", headers=bearer(doctor))
    assert response.status_code == 200
    (event,) = outbox("record_read")
    assert event.person_id == person_id(app, INSURED)
    assert set(event.new) == {"center", "kind", "at", "what"}
    assert (event.new["center"], event.new["kind"]) == ("مطب دکتر احمدی", "doctor")
    assert event.new["what"] == "history"  # the notice says what was seen


def test_a_centres_lookup_writes_an_event(client, written, pharmacy, outbox):
    client.get(f"/api/provider/prescriptions/{written['code']}", headers=bearer(pharmacy))
    assert [(e.new["center"], e.new["kind"], e.new["what"]) for e in outbox("record_read")] == [
        ("داروخانه رازی", "pharmacy", "prescription")
    ]


def test_citizens_reads_write_no_event(ali, written, outbox):
    ali.get("/api/records")
    ali.get(f"/api/records/{written['id']}")
    assert outbox("record_read") == []


def test_a_delivery_writes_no_read_event(written, pharmacy, dispense, outbox):
    dispense(pharmacy, written["code"], {"D1001": 1})
    assert outbox("record_read") == []
