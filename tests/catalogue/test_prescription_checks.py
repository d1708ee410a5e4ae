"""Writing a prescription checks it against the catalogue: codes, kinds, largest quantities."""

import pytest
from families import INSURED_MOBILE, WIFE
from prescribing_drugs import drugs
from sqlalchemy import select

from server.extensions import db
from server.models import PrescriptionItem

LAB = {"type": "lab", "items": [{"code": "L2001", "quantity": 1}]}


def test_the_catalogue_name_is_written_whatever_the_request_says(app, doctor, write):
    body = drugs(("D1084", 30))
    body["items"][0]["name"] = "something else"
    response = write(doctor, body)
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        item = db.session.scalars(select(PrescriptionItem)).one()
        assert (item.code, item.name, item.quantity) == ("D1084", "وارفارین ۵ میلی‌گرم", 30)


def test_a_code_not_in_the_catalogue_is_refused(doctor, write, counts):
    response = write(doctor, drugs(("D1084", 30), ("D9999", 1)))
    assert response.status_code == 400
    answer = response.get_json()
    assert (answer["error"], answer["field"]) == ("unknown_catalogue_code", "items.1.code")
    assert answer["message"] == "قلم ۲: کد D9999 در فهرست دارو و خدمات نیست."
    assert (counts()["prescriptions"], counts()["inquiries"]) == (0, 1)  # the visit's only


def test_an_item_of_another_kind_is_refused(doctor, write, counts):
    response = write(doctor, drugs(("L2001", 1)))
    assert response.status_code == 400
    answer = response.get_json()
    assert (answer["error"], answer["kind"]) == ("wrong_item_kind", "lab")
    assert answer["message"] == "قلم ۱: «آزمایش قند خون ناشتا» را نمی‌توان در نسخهٔ دارویی نوشت."
    assert counts()["prescriptions"] == 0


def test_a_quantity_above_the_largest_is_refused_with_the_number_allowed(doctor, write, counts):
    response = write(doctor, drugs(("D1001", 31)))
    assert response.status_code == 400
    answer = response.get_json()
    assert (answer["error"], answer["field"], answer["max_quantity"]) == (
        "quantity_above_max",
        "items.0.quantity",
        30,
    )
    assert answer["message"] == (
        "قلم ۱: از «آموکسی‌سیلین ۵۰۰ میلی‌گرم» در هر نسخه حداکثر ۳۰ عدد می‌توان نوشت."
    )
    assert counts()["prescriptions"] == 0


def test_the_largest_quantity_itself_is_allowed(doctor, write):
    assert write(doctor, drugs(("D1001", 30))).status_code == 201


def test_the_limit_in_english_when_asked(doctor, write):
    response = write(doctor, drugs(("D1001", 31)), **{"Accept-Language": "en"})
    assert response.get_json()["message"] == (
        "Item 1: at most 30 عدد of آموکسی‌سیلین ۵۰۰ میلی‌گرم may be written at once."
    )


def test_services_are_checked_too(doctor, write):
    body = drugs(("L2001", 2), **LAB)
    body["items"] = [{"code": "L2001", "quantity": 2}]
    response = write(doctor, body)
    assert (response.status_code, response.get_json()["max_quantity"]) == (400, 1)


@pytest.mark.parametrize(
    ("item", "error"),
    [
        ({"code": "D1001"}, "missing_field"),
        ({"quantity": 1}, "missing_field"),
        ({"code": "D 1001", "quantity": 1}, "invalid_service_code"),
        ({"code": "D1001", "quantity": "3"}, "invalid_quantity"),
    ],
)
def test_malformed_items_are_a_400(doctor, write, counts, item, error):
    body = drugs()
    body["items"] = [item]
    response = write(doctor, body)
    assert (response.status_code, response.get_json()["error"]) == (400, error)
    assert counts()["prescriptions"] == 0


def test_the_patient_gets_an_sms_with_the_code_and_where_to_get_it(app, citizen, doctor, write):
    response = write(doctor, drugs(("D1084", 30)))
    assert response.status_code == 201
    sms = citizen.last_sms()
    code = response.get_json()["code"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert sms["to"] == INSURED_MOBILE
    assert sms["text"] == (
        f"درمان من — نسخهٔ دارویی شما در مطب دکتر احمدی ثبت شد. کد نسخه: {code}. "
        "این نسخه تا ۱ بهمن ۱۴۰۵ از هر داروخانه‌ای قابل دریافت است."
    )


def test_a_lab_orders_sms_names_laboratories(citizen, doctor, write):
    body = drugs(**LAB)
    assert write(doctor, body).status_code == 201
    assert "در هر آزمایشگاهی قابل دریافت است." in citizen.last_sms()["text"]


def test_a_failed_sms_does_not_undo_the_prescription(app, monkeypatch, doctor, write, counts):
    # A Kavenegar backend on a closed local port: the hand-over fails for real.
    monkeypatch.setitem(app.config, "DARMAN_SMS_BACKEND", "kavenegar")
    monkeypatch.setitem(app.config, "DARMAN_KAVENEGAR_API_KEY", "test-key")
    monkeypatch.setitem(app.config, "DARMAN_KAVENEGAR_TEMPLATE", "darman")
    monkeypatch.setitem(app.config, "DARMAN_KAVENEGAR_URL", "http://127.0.0.1:9")
    response = write(doctor, drugs(("D1084", 30)))
    assert response.status_code == 201
    assert counts()["prescriptions"] == 1


def test_a_newborns_medicines_are_the_newborns_not_the_mothers(doctor, write):
    assert write(doctor, drugs(("D1084", 30), national_code=WIFE)).status_code == 201
    newborn = drugs(("D1085", 5), mother_national_code=WIFE, birth_date="2026-11-12")
    del newborn["national_code"]
    assert write(doctor, newborn).status_code == 201  # the mother's warfarin is hers
    again = drugs(("D1085", 5), mother_national_code=WIFE, birth_date="2026-11-12")
    del again["national_code"]
    assert write(doctor, again).get_json()["error"] == "interaction"  # the newborn's aspirin
