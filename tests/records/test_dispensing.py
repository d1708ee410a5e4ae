"""Centres deliver a prescription in parts, until it is complete or 60 days have passed."""

import pytest
from prescribing import CBC, FBS, ITEM_OF, is_persian, prescription_body
from sqlalchemy import select

from server.extensions import db
from server.models import Dispensing, PrescriptionItem, Provider


def deliveries(app) -> list[tuple[str, str, int]]:
    """(centre, item code, quantity) of every delivery, in order."""
    with app.app_context():
        rows = db.session.execute(
            select(Provider.name, PrescriptionItem.code, Dispensing.quantity)
            .join(Provider, Provider.id == Dispensing.provider_id)
            .join(PrescriptionItem, PrescriptionItem.id == Dispensing.item_id)
            .order_by(Dispensing.id)
        )
        return [tuple(row) for row in rows]


def dispensed(app) -> dict[str, int]:
    """Each item's delivered total."""
    with app.app_context():
        rows = db.session.execute(select(PrescriptionItem.code, PrescriptionItem.dispensed))
        return {code: total for code, total in rows}


def test_two_pharmacies_deliver_parts_until_complete(app, written, pharmacy, pharmacy2, dispense):
    first = dispense(pharmacy, written["code"], {"D1001": 2, "D1002": 30})
    assert first.status_code == 200
    assert first.get_json()["complete"] is False
    assert [
        (i["code"], i["quantity"], i["dispensed"], i["remaining"])
        for i in first.get_json()["items"]
    ] == [
        ("D1001", 3, 2, 1),
        ("D1002", 60, 30, 30),
    ]
    second = dispense(pharmacy2, written["code"], {"D1001": 1, "D1002": 30})
    assert second.status_code == 200
    assert second.get_json()["complete"] is True
    assert [i["remaining"] for i in second.get_json()["items"]] == [0, 0]
    assert deliveries(app) == [
        ("داروخانه رازی", "D1001", 2),
        ("داروخانه رازی", "D1002", 30),
        ("داروخانه سینا", "D1001", 1),
        ("داروخانه سینا", "D1002", 30),
    ]


def test_over_dispensing_is_refused_and_changes_nothing(app, written, pharmacy, dispense):
    assert dispense(pharmacy, written["code"], {"D1001": 2}).status_code == 200
    response = dispense(pharmacy, written["code"], {"D1002": 10, "D1001": 2})
    assert response.status_code == 409
    answer = response.get_json()
    assert (answer["error"], answer["item"], answer["remaining"]) == ("over_dispensed", "D1001", 1)
    assert answer["message"] == "از آموکسی‌سیلین ۵۰۰ میلی‌گرم فقط ۱ عدد برای تحویل مانده است."
    assert dispensed(app) == {"D1001": 2, "D1002": 0}  # metformin was not delivered either
    assert len(deliveries(app)) == 1


def test_a_fully_delivered_item_is_refused(app, written, pharmacy, dispense):
    dispense(pharmacy, written["code"], {"D1001": 3})
    response = dispense(pharmacy, written["code"], {"D1001": 1})
    assert response.status_code == 409
    assert response.get_json()["error"] == "over_dispensed"
    assert response.get_json()["remaining"] == 0


def test_more_than_prescribed_at_once_is_refused(app, written, pharmacy, dispense):
    response = dispense(pharmacy, written["code"], {"D1001": 4})
    assert response.status_code == 409
    assert dispensed(app)["D1001"] == 0


def test_the_last_day_is_day_60(app, written, pharmacy, dispense, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-01-21")
    # Not expired: the delivery goes on to the eligibility check, which Ali (covered until
    # 2026-12-21) no longer passes — the counter asks every time (issue 25).
    response = dispense(pharmacy, written["code"], {"D1001": 1})
    assert (response.status_code, response.get_json()["error"]) == (409, "not_covered")


def test_an_expired_prescription_is_refused(app, written, pharmacy, dispense, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-01-22")  # 61 days after writing
    response = dispense(pharmacy, written["code"], {"D1001": 1})
    assert response.status_code == 409
    answer = response.get_json()
    assert (answer["error"], answer["expires_on"]) == ("expired", "2027-01-21")
    assert "۱ بهمن ۱۴۰۵" in answer["message"]
    assert deliveries(app) == []


@pytest.fixture
def lab_order(family, doctor, write) -> dict:
    """A lab order for Ali: fasting blood sugar and CBC."""
    response = write(doctor, prescription_body(type="lab", items=[FBS, CBC]))
    assert response.status_code == 201
    return response.get_json()


def test_a_pharmacy_cannot_deliver_a_lab_order(app, lab_order, pharmacy, dispense):
    response = dispense(pharmacy, lab_order["code"], {"L2001": 1})
    assert response.status_code == 403
    assert response.get_json()["error"] == "wrong_center_kind"
    assert is_persian(response.get_json()["message"])
    assert deliveries(app) == []


def test_a_lab_cannot_deliver_drugs(app, written, lab, dispense):
    response = dispense(lab, written["code"], {"D1001": 1})
    assert response.status_code == 403
    assert deliveries(app) == []


def test_a_lab_delivers_a_lab_order(app, lab_order, lab, dispense):
    response = dispense(lab, lab_order["code"], {"L2001": 1, "L2002": 1})
    assert response.status_code == 200
    assert response.get_json()["complete"] is True


@pytest.mark.parametrize("type_", ["drug", "lab", "imaging", "physio", "visit"])
def test_a_hospital_delivers_any_type(family, doctor, make_provider, write, dispense, type_):
    hospital = make_provider("بیمارستان البرز", "hospital")
    item = ITEM_OF[type_]
    code = write(doctor, prescription_body(type=type_, items=[item])).get_json()["code"]
    assert dispense(hospital, code, {item["code"]: 1}).status_code == 200


@pytest.mark.parametrize(
    ("centre", "type_", "allowed"),
    [
        ("imaging", "imaging", True),
        ("imaging", "lab", False),
        ("physio", "physio", True),
        ("physio", "drug", False),
        ("pharmacy", "visit", False),
    ],
)
def test_each_centre_delivers_its_own_field(
    family, doctor, make_provider, write, dispense, centre, type_, allowed
):
    token = make_provider("مرکز", centre)
    item = ITEM_OF[type_]
    code = write(doctor, prescription_body(type=type_, items=[item])).get_json()["code"]
    assert dispense(token, code, {item["code"]: 1}).status_code == (200 if allowed else 403)


def test_a_doctor_cannot_record_delivery(app, written, doctor, dispense):
    response = dispense(doctor, written["code"], {"D1001": 1})
    assert response.status_code == 403
    assert response.get_json()["error"] == "wrong_provider_kind"
    assert deliveries(app) == []


def test_an_unknown_prescription_is_a_404(family, pharmacy, dispense):
    response = dispense(pharmacy, "123456789015", {"D1001": 1})  # valid check digit, not issued
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown_prescription"
    assert is_persian(response.get_json()["message"])


@pytest.mark.parametrize("code", ["123456789012", "12345", "abcdefghijkl"])
def test_a_malformed_prescription_code_is_a_400(family, pharmacy, dispense, code):
    response = dispense(pharmacy, code, {"D1001": 1})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_prescription_code"


def test_persian_digits_in_the_code_are_read(app, written, pharmacy, dispense):
    persian = written["code"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert dispense(pharmacy, persian, {"D1001": 1}).status_code == 200


@pytest.mark.parametrize(
    ("quantities", "status", "error"),
    [
        pytest.param({"D9999": 1}, 400, "unknown_item", id="unknown-item"),
        pytest.param({"D1001": 1, "D9999": 1}, 400, "unknown_item", id="one-unknown-item"),
        pytest.param({"D1001": 0}, 400, "invalid_quantity", id="zero"),
        pytest.param({"D1001": -1}, 400, "invalid_quantity", id="negative"),
        pytest.param({}, 400, "no_items", id="no-items"),
    ],
)
def test_bad_deliveries_are_refused_and_change_nothing(
    app, written, pharmacy, dispense, quantities, status, error
):
    response = dispense(pharmacy, written["code"], quantities)
    assert response.status_code == status
    assert response.get_json()["error"] == error
    assert is_persian(response.get_json()["message"])
    assert deliveries(app) == []
    assert dispensed(app) == {"D1001": 0, "D1002": 0}


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'{"items": [{"code": "D1001"}]}'])
def test_malformed_delivery_bodies_are_a_400(app, client, written, pharmacy, raw):
    response = client.post(
        f"/api/provider/prescriptions/{written['code']}/dispense",
        data=raw,
        headers={"Authorization": f"Bearer {pharmacy}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert is_persian(response.get_json()["message"])
    assert deliveries(app) == []


def test_a_retried_delivery_is_not_delivered_twice(app, written, pharmacy, dispense):
    first = dispense(pharmacy, written["code"], {"D1001": 2}, **{"Idempotency-Key": "sale-77"})
    again = dispense(pharmacy, written["code"], {"D1001": 2}, **{"Idempotency-Key": "sale-77"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.get_json() == first.get_json()
    assert dispensed(app)["D1001"] == 2
    other = dispense(pharmacy, written["code"], {"D1001": 1}, **{"Idempotency-Key": "sale-77"})
    assert other.status_code == 409
    assert other.get_json()["error"] == "idempotency_key_reused"


def test_a_centre_looks_a_prescription_up_by_its_code(client, written, pharmacy, dispense):
    dispense(pharmacy, written["code"], {"D1001": 2})
    response = client.get(
        f"/api/provider/prescriptions/{written['code']}",
        headers={"Authorization": f"Bearer {pharmacy}"},
    )
    assert response.status_code == 200
    found = response.get_json()
    assert [(i["code"], i["remaining"]) for i in found["items"]] == [("D1001", 1), ("D1002", 60)]
    assert found["items"][0]["dispensing"][0]["center"] == "داروخانه رازی"


def test_a_lab_cannot_look_up_a_drug_prescription(client, written, lab):
    response = client.get(
        f"/api/provider/prescriptions/{written['code']}", headers={"Authorization": f"Bearer {lab}"}
    )
    assert response.status_code == 403
