"""Hospitals prescribe in the API as in the web (one rule: `records.rules.may_write`), and mark
what they lack to be got outside: with a reason, served with cover (S1 at a contracted
pharmacy) elsewhere, never by the hospital itself; the record and the SMS say where."""

from families import INSURED
from hospital_help import AMOXICILLIN_RIAL, bearer, contract
from sqlalchemy import func, select

from server.extensions import db
from server.models import ClaimLine, Prescription, PrescriptionItem
from server.records import rules

OUTSIDE = {"code": "D1001", "quantity": 3, "obtain_outside": True, "outside_reason": "موجود نیست"}
INSIDE = {"code": "D1002", "quantity": 60}


def test_one_rule_says_who_writes_for_the_api_and_the_web():
    assert rules.may_write("hospital") and rules.may_write("hospital", "doctor")
    assert rules.may_write("doctor") and rules.may_write("clinic", "doctor")
    assert not rules.may_write("hospital", "pharmacist")
    assert not rules.may_write("pharmacy") and not rules.may_write("lab", "doctor")


def test_a_hospital_token_writes_a_prescription(app, family, hospital, write):
    response = write(hospital)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["covered"] is True


def test_a_pharmacy_token_still_may_not_write(family, pharmacy, write):
    response = write(pharmacy)
    assert response.status_code == 403
    assert response.get_json()["message"] == "فقط پزشکان و بیمارستان‌ها می‌توانند نسخه بنویسند."


def test_an_item_got_outside_needs_a_reason(app, family, hospital, write):
    response = write(hospital, [{"code": "D1001", "quantity": 3, "obtain_outside": True}])
    body = response.get_json()
    assert response.status_code == 400 and body["error"] == "outside_reason_required"
    assert "بیرون" in body["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Prescription)) == 0


def test_only_a_hospital_marks_an_item_outside(app, family, doctor, write):
    response = write(doctor, [OUTSIDE])
    body = response.get_json()
    assert response.status_code == 400 and body["error"] == "outside_only_in_hospitals"
    assert body["field"] == "items.0.obtain_outside"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Prescription)) == 0


def test_an_outside_item_is_served_with_cover_at_a_pharmacy_not_at_the_hospital(
    app, runner, client, family, hospital, pharmacy, tariffs, write, dispense
):
    contract(app, runner, "داروخانه رازی")
    written = write(hospital, [OUTSIDE, INSIDE])
    assert written.status_code == 201, written.get_json()
    code = written.get_json()["code"]
    refused = dispense(hospital, code, {"D1001": 3})
    assert refused.status_code == 409 and refused.get_json()["error"] == "obtained_outside"
    assert "بیرون" in refused.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ClaimLine)) == 0
    served = dispense(pharmacy, code, {"D1001": 3})
    assert served.status_code == 200, served.get_json()
    item = served.get_json()["items"][0]
    price = 3 * AMOXICILLIN_RIAL
    assert (item["price"], item["patient_share"]) == (price, price * 30 // 100)  # S1
    assert item["sso_share"] == price - price * 30 // 100
    with app.app_context():
        rules_used = db.session.scalars(select(ClaimLine.rule)).all()
    assert rules_used == ["outpatient"]
    assert dispense(hospital, code, {"D1002": 60}).status_code == 200  # its own item it serves


def test_the_record_says_where_an_outside_item_is_got(app, client, family, hospital, write):
    code = write(hospital, [OUTSIDE, INSIDE]).get_json()["code"]
    detail = client.get(f"/api/provider/prescriptions/{code}", headers=bearer(hospital))
    outside, inside = detail.get_json()["items"]
    assert outside["obtain_outside"] is True and outside["outside_reason"] == "موجود نیست"
    assert "داروخانهٔ طرف قرارداد" in outside["obtain_at"]
    assert "obtain_at" not in inside or inside["obtain_at"] is None
    with app.app_context():
        kept = db.session.scalars(
            select(PrescriptionItem).order_by(PrescriptionItem.position)
        ).all()
    assert [(i.obtain_outside, i.outside_reason) for i in kept] == [
        (True, "موجود نیست"),
        (False, None),
    ]


def test_the_sms_says_where_an_outside_item_is_got(app, family, hospital, write):
    from server.catalogue.notices import prescription_text

    code = write(hospital, [OUTSIDE, INSIDE]).get_json()["code"]
    with app.app_context():
        prescription = db.session.scalars(
            select(Prescription).where(Prescription.code == code)
        ).one()
        text = prescription_text(prescription, "بیمارستان", "fa")
    assert "داروخانهٔ طرف قرارداد سازمان تأمین اجتماعی تهیه کنید" in text
    assert text.count("تهیه کنید") == 1  # only the outside item
    assert INSURED not in text
