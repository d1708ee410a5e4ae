"""A doctor (or the centre) who wrote a prescription cancels it: whole before anything of it is
delivered, item by item after; a cancelled one is refused at every counter and shown as
cancelled to its patient, who is told."""

from prescribing import bearer, prescription_body
from sqlalchemy import select

from server.extensions import db
from server.models import Prescription, PrescriptionItem


def cancel(client, token: str, code: str, body: dict, **headers: str):
    """POST a cancellation."""
    url = f"/api/provider/prescriptions/{code}/cancel"
    return client.post(url, json=body, headers=bearer(token, **headers))


def stored(app, code: str) -> tuple:
    """The prescription's cancellation and each item's (cancelled?, dispensed)."""
    with app.app_context():
        prescription = db.session.scalars(
            select(Prescription).where(Prescription.code == code)
        ).one()
        items = db.session.scalars(
            select(PrescriptionItem)
            .where(PrescriptionItem.prescription_id == prescription.id)
            .order_by(PrescriptionItem.position)
        ).all()
        whole = (prescription.cancelled_at is not None, prescription.cancel_reason)
        return whole, [(item.code, item.cancelled_at is not None, item.dispensed) for item in items]


def test_the_doctor_cancels_before_delivery_and_no_pharmacy_serves_it(
    app, client, written, doctor, pharmacy, dispense, outbox
):
    answer = cancel(client, doctor, written["code"], {"reason": "دوز اشتباه"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "cancelled"
    assert body["cancelled"]["reason"] == "دوز اشتباه"
    assert body["cancelled"]["by"]
    assert [item["status"] for item in body["items"]] == ["cancelled", "cancelled"]
    assert [item["remaining"] for item in body["items"]] == [0, 0]
    assert stored(app, written["code"]) == (
        (True, "دوز اشتباه"),
        [("D1001", True, 0), ("D1002", True, 0)],
    )
    refused = dispense(pharmacy, written["code"], {"D1001": 1}, **{"Accept-Language": "fa"})
    assert (refused.status_code, refused.get_json()["error"]) == (409, "cancelled")
    assert "لغو" in refused.get_json()["message"]
    assert stored(app, written["code"])[1][0] == ("D1001", True, 0)
    events = outbox("prescription_cancelled")
    assert len(events) == 1 and events[0].new["center"]


def test_once_something_is_delivered_only_the_rest_can_be_cancelled_item_by_item(
    app, client, written, doctor, pharmacy, dispense
):
    assert dispense(pharmacy, written["code"], {"D1001": 3}).status_code == 200
    whole = cancel(client, doctor, written["code"], {"reason": "عوارض"})
    assert (whole.status_code, whole.get_json()["error"]) == (409, "dispensed")
    assert whole.get_json()["items"] == ["D1002"]
    done = cancel(client, doctor, written["code"], {"reason": "عوارض", "items": ["D1001"]})
    assert (done.status_code, done.get_json()["error"]) == (409, "dispensed")
    rest = cancel(client, doctor, written["code"], {"reason": "عوارض", "items": ["D1002"]})
    assert rest.status_code == 200, rest.get_json()
    assert rest.get_json()["status"] == "cancelled"
    assert [i["status"] for i in rest.get_json()["items"]] == ["complete", "cancelled"]
    assert stored(app, written["code"]) == (
        (False, None),
        [("D1001", False, 3), ("D1002", True, 0)],
    )
    refused = dispense(pharmacy, written["code"], {"D1002": 1})
    assert (refused.status_code, refused.get_json()["error"]) == (409, "cancelled")
    assert refused.get_json()["item"] == "D1002"


def test_a_partly_delivered_item_stops_where_it_is(
    app, client, written, doctor, pharmacy, dispense
):
    assert dispense(pharmacy, written["code"], {"D1002": 30}).status_code == 200
    rest = cancel(client, doctor, written["code"], {"reason": "قطع دارو", "items": ["D1002"]})
    assert rest.status_code == 200
    metformin = rest.get_json()["items"][1]
    assert (metformin["status"], metformin["dispensed"], metformin["remaining"]) == (
        "cancelled",
        30,
        0,
    )
    assert dispense(pharmacy, written["code"], {"D1002": 1}).status_code == 409
    assert stored(app, written["code"])[1][1] == ("D1002", True, 30)


def test_someone_elses_prescription_is_not_found(app, client, written, make_provider):
    other = make_provider("مطب دکتر دیگر", "doctor")
    answer = cancel(client, other, written["code"], {"reason": "اشتباه"})
    assert (answer.status_code, answer.get_json()["error"]) == (404, "unknown_prescription")
    assert stored(app, written["code"])[0] == (False, None)


def test_a_pharmacy_cannot_cancel(app, client, written, pharmacy):
    answer = cancel(client, pharmacy, written["code"], {"reason": "اشتباه"})
    assert answer.status_code == 404
    assert stored(app, written["code"])[0] == (False, None)


def test_an_empty_reason_is_refused_in_the_language_asked(app, client, written, doctor):
    answer = cancel(client, doctor, written["code"], {"reason": "  "}, **{"Accept-Language": "fa"})
    assert (answer.status_code, answer.get_json()["error"]) == (400, "reason_required")
    assert "لغو" in answer.get_json()["message"]
    assert stored(app, written["code"])[0] == (False, None)


def test_an_item_not_on_the_prescription_is_refused(app, client, written, doctor):
    answer = cancel(client, doctor, written["code"], {"reason": "اشتباه", "items": ["D9999"]})
    assert (answer.status_code, answer.get_json()["error"]) == (400, "unknown_item")
    assert stored(app, written["code"])[1][0] == ("D1001", False, 0)


def test_cancelling_twice_is_a_conflict(app, client, written, doctor):
    assert cancel(client, doctor, written["code"], {"reason": "اشتباه"}).status_code == 200
    again = cancel(client, doctor, written["code"], {"reason": "اشتباه"})
    assert (again.status_code, again.get_json()["error"]) == (409, "cancelled")


def test_the_patient_sees_it_cancelled_with_why(app, client, written, doctor, ali):
    assert cancel(client, doctor, written["code"], {"reason": "دوز اشتباه"}).status_code == 200
    records = ali.get("/api/records").get_json()["records"]
    assert records[0]["status"] == "cancelled"
    assert records[0]["receive_until"] is None
    detail = ali.get(f"/api/records/{written['id']}").get_json()
    assert detail["cancelled"]["reason"] == "دوز اشتباه"
    assert all(item["remaining"] == 0 for item in detail["items"])


def test_the_patient_is_texted_that_the_code_no_longer_serves(app, client, written, doctor, ali):
    assert cancel(client, doctor, written["code"], {"reason": "دوز اشتباه"}).status_code == 200
    text = ali.last_sms()["text"]
    assert "لغو" in text


def test_a_cancelled_drug_is_no_longer_a_current_medicine(app, client, written, doctor, write):
    again = write(doctor, prescription_body())
    assert (again.status_code, again.get_json()["error"]) == (409, "interaction")  # duplicates
    assert cancel(client, doctor, written["code"], {"reason": "دوز اشتباه"}).status_code == 200
    rewritten = write(doctor, prescription_body())
    assert rewritten.status_code == 201, rewritten.get_json()
