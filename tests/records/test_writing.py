"""A doctor writes a prescription: eligibility checked and logged, its own code, retries safe."""

import pytest
from families import INSURED, SON, UNKNOWN, WIFE
from prescribing import (
    AMOXICILLIN,
    CBC,
    FBS,
    METFORMIN,
    REFILL,
    TODAY,
    is_persian,
    prescription_body,
)
from sqlalchemy import select
from visits import make_visit

from server.domain.tracking import is_valid_tracking_code
from server.extensions import db
from server.models import Inquiry, Person, Prescription, PrescriptionItem


def stored(app, prescription_id: int) -> tuple[Prescription, list[PrescriptionItem]]:
    """A prescription and its items, from the database."""
    with app.app_context():
        prescription = db.session.get(Prescription, prescription_id)
        items = db.session.scalars(
            select(PrescriptionItem)
            .where(PrescriptionItem.prescription_id == prescription_id)
            .order_by(PrescriptionItem.position)
        ).all()
        db.session.expunge_all()
        return prescription, items


def person_id(app, national_code: str) -> int:
    """A person's id by national code."""
    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.national_code == national_code))


def test_a_doctor_writes_a_prescription(app, family, doctor, write):
    response = write(doctor, prescription_body())
    assert response.status_code == 201
    answer = response.get_json()
    assert is_valid_tracking_code(answer["code"])
    assert is_valid_tracking_code(answer["tracking_code"])
    assert answer["code"] != answer["tracking_code"]
    assert (answer["covered"], answer["label"]) == (True, "حمایت درمانی دارد")
    assert (answer["written_on"], answer["expires_on"]) == (TODAY, "2027-01-21")
    assert answer["expires_on_jalali"] == "۱ بهمن ۱۴۰۵"
    prescription, items = stored(app, answer["id"])
    assert (prescription.code, prescription.type) == (answer["code"], "drug")
    assert prescription.person_id == person_id(app, INSURED)
    assert prescription.diagnosis == "عفونت حاد گلو"
    assert [(i.code, i.name, i.instructions, i.quantity, i.dispensed) for i in items] == [
        ("D1001", AMOXICILLIN["name"], AMOXICILLIN["instructions"], 3, 0),
        ("D1002", METFORMIN["name"], None, 60, 0),
    ]


def test_the_eligibility_inquiry_is_logged_with_the_tracking_code(app, written):
    prescription, _ = stored(app, written["id"])
    with app.app_context():
        visit, inquiry = db.session.scalars(select(Inquiry).order_by(Inquiry.id)).all()
    assert inquiry.tracking_code == written["tracking_code"] == prescription.tracking_code
    assert (inquiry.channel, inquiry.national_code, inquiry.covered) == ("provider", INSURED, True)
    assert visit.tracking_code != inquiry.tracking_code  # the visit's own, before the write


def test_a_patient_who_is_not_covered_still_gets_the_prescription(app, family, doctor, write):
    response = write(doctor, prescription_body(national_code=SON))  # 21, no certificate
    assert response.status_code == 201
    assert (response.get_json()["covered"], response.get_json()["label"]) == (
        False,
        "حمایت درمانی ندارد",
    )
    prescription, _ = stored(app, response.get_json()["id"])
    assert prescription.covered is False


def test_a_newborns_prescription_goes_under_the_mother(app, family, doctor, write):
    body = prescription_body(type="lab", items=[CBC])
    del body["national_code"]
    body.update(mother_national_code=WIFE, birth_date="2026-11-12")
    response = write(doctor, body)
    assert response.status_code == 201
    assert response.get_json()["covered"] is True
    prescription, _ = stored(app, response.get_json()["id"])
    assert prescription.person_id == person_id(app, WIFE)
    assert prescription.newborn_birth_date.isoformat() == "2026-11-12"


def test_persian_digits_and_short_codes_are_read(app, family, doctor, write):
    body = prescription_body(national_code="۰۰۱۲۳۴۵۶۷۹", written_on="2026-11-20")
    body["items"] = [dict(FBS, code="L۲۰۰۱")]
    body["type"] = "lab"
    response = write(doctor, body)
    assert response.status_code == 201
    prescription, items = stored(app, response.get_json()["id"])
    assert prescription.person_id == person_id(app, INSURED)
    assert items[0].code == "L2001"


def test_an_unknown_national_code_is_a_404_in_persian(family, doctor, write, counts):
    response = write(doctor, prescription_body(national_code=UNKNOWN), visit=False)
    assert response.status_code == 404
    answer = response.get_json()
    assert answer["error"] == "unknown_patient"
    assert answer["message"] == "این کد ملی در سامانه ثبت نشده است."
    assert counts()["prescriptions"] == counts()["inquiries"] == 0


@pytest.mark.parametrize("kind", ["pharmacy", "lab", "imaging", "physio"])
def test_only_doctors_and_hospitals_write(family, make_provider, write, counts, kind):
    token = make_provider("مرکز", kind)
    response = write(token, prescription_body(), visit=False)
    assert response.status_code == 403
    assert response.get_json()["error"] == "wrong_provider_kind"
    assert is_persian(response.get_json()["message"])
    assert counts()["prescriptions"] == counts()["inquiries"] == 0


def test_without_a_token_the_answer_is_401(client, family, counts):
    response = client.post("/api/provider/prescriptions", json=prescription_body())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert counts()["prescriptions"] == 0


def _without(field: str) -> dict:
    """A good body without one field."""
    body = prescription_body()
    del body[field]
    return body


def _item(**fields) -> dict:
    """A body whose only item has these fields replaced."""
    return prescription_body(items=[dict(AMOXICILLIN, **fields)])


BAD_BODIES = [
    pytest.param(prescription_body(national_code="0012345678"), "invalid_national_code", id="nc"),
    pytest.param(prescription_body(national_code="12ab"), "invalid_national_code", id="letters"),
    pytest.param(_without("national_code"), "ambiguous_patient", id="no-patient"),
    pytest.param(
        prescription_body(mother_national_code=WIFE, birth_date="2026-11-12"),
        "ambiguous_patient",
        id="both-patients",
    ),
    pytest.param(prescription_body(type="massage"), "invalid_type", id="bad-type"),
    pytest.param(prescription_body(type=None), "invalid_type", id="null-type"),
    pytest.param(_without("type"), "missing_field", id="no-type"),
    pytest.param(_without("written_on"), "missing_field", id="no-date"),
    pytest.param(prescription_body(written_on="2026-02-30"), "invalid_date", id="bad-date"),
    pytest.param(prescription_body(written_on="2026-11-23"), "future_date", id="tomorrow"),
    pytest.param(prescription_body(written_on="2026-09-22"), "written_on_too_old", id="old"),
    pytest.param(
        prescription_body(national_code=None, mother_national_code=WIFE, birth_date="2026-11-23"),
        "future_date",
        id="newborn-born-tomorrow",
    ),
    pytest.param(
        prescription_body(national_code=None, mother_national_code=WIFE, birth_date="0001-01-01"),
        "not_a_newborn",
        id="newborn-born-in-year-one",
    ),
    pytest.param(prescription_body(items=[]), "no_items", id="empty-items"),
    pytest.param(prescription_body(items="D1001"), "no_items", id="items-not-a-list"),
    pytest.param(prescription_body(items=[AMOXICILLIN] * 2), "duplicate_item", id="twice"),
    pytest.param(prescription_body(items=[1]), "invalid_request", id="item-not-an-object"),
    pytest.param(_item(quantity=None), "invalid_quantity", id="quantity-null"),
    pytest.param(_item(quantity=0), "invalid_quantity", id="quantity-0"),
    pytest.param(_item(quantity=-2), "invalid_quantity", id="quantity-negative"),
    pytest.param(_item(quantity=1.5), "invalid_quantity", id="quantity-fraction"),
    pytest.param(_item(quantity="3"), "invalid_quantity", id="quantity-text"),
    pytest.param(_item(quantity=True), "invalid_quantity", id="quantity-bool"),
    pytest.param(_item(quantity=10_000), "invalid_quantity", id="quantity-huge"),
    pytest.param(_item(code="د-۱"), "invalid_service_code", id="code-persian-letters"),
    pytest.param(_item(code=""), "invalid_service_code", id="code-empty"),
    pytest.param(_item(name="   "), "invalid_request", id="name-blank"),
    pytest.param(_item(name="x" * 201), "invalid_request", id="name-too-long"),
    pytest.param(_item(name="قرص\u0000"), "invalid_character", id="name-nul"),
    pytest.param(prescription_body(diagnosis="y" * 501), "invalid_request", id="diagnosis-long"),
]


@pytest.mark.parametrize(("body", "error"), BAD_BODIES)
def test_bad_input_is_a_400_in_persian_and_writes_nothing(
    client, family, doctor, write, counts, body, error
):
    make_visit(client, doctor, prescription_body())  # Ali's visit: what is refused is the body
    response = write(doctor, body, visit=False)
    assert response.status_code == 400, response.get_json()
    answer = response.get_json()
    assert answer["error"] == error
    assert is_persian(answer["message"])
    assert counts() == dict.fromkeys(counts(), 0) | {"inquiries": 1}  # the visit's only


def test_an_items_problem_names_the_item(family, doctor, write):
    body = prescription_body(items=[AMOXICILLIN, dict(METFORMIN, quantity=0)])
    answer = write(doctor, body).get_json()
    assert answer["field"] == "items.1.quantity"
    assert answer["message"] == "قلم ۲: تعداد باید عددی صحیح از ۱ تا ۱۰۰۰ باشد."


def test_a_missing_item_field_names_the_item(family, doctor, write):
    body = prescription_body(items=[{"code": "D1001"}])
    assert write(doctor, body).get_json()["message"] == "قلم ۱: واردکردن تعداد لازم است."


def test_bad_input_in_english_when_asked(family, doctor, write):
    response = write(doctor, _item(quantity=0), **{"Accept-Language": "en"})
    assert response.get_json()["message"] == (
        "Item 1: The quantity must be a whole number from 1 to 1000."
    )


@pytest.mark.parametrize(
    "raw", [b"", b"not json", b"[1, 2]", b'"x"', b"{", b"null", '{"items": "\u0000"}']
)
def test_malformed_json_is_a_400_and_writes_nothing(client, family, doctor, counts, raw):
    response = client.post(
        "/api/provider/prescriptions",
        data=raw,
        headers={"Authorization": f"Bearer {doctor}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert is_persian(response.get_json()["message"])
    assert set(counts().values()) == {0}


def test_a_retry_with_the_same_key_gets_the_same_answer(family, doctor, write, counts):
    first = write(doctor, prescription_body(), key="visit-1001")
    again = write(doctor, prescription_body(), key="visit-1001", visit=False)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    after = counts()
    # the visit's inquiry and the one prescription's own
    assert (after["prescriptions"], after["inquiries"], after["outbox"]) == (1, 2, 1)


def test_the_same_request_in_other_digits_is_the_same_request(family, doctor, write, counts):
    first = write(doctor, prescription_body(), key="k1").get_json()
    retried = write(doctor, prescription_body(national_code="۰۰۱۲۳۴۵۶۷۹"), key="k1")
    assert retried.get_json() == first
    assert counts()["prescriptions"] == 1


def test_the_same_key_with_another_body_is_refused(family, doctor, write, counts):
    assert write(doctor, prescription_body(), key="k1").status_code == 201
    response = write(doctor, prescription_body(diagnosis="سرماخوردگی"), key="k1")
    assert response.status_code == 409
    assert response.get_json()["error"] == "idempotency_key_reused"
    assert is_persian(response.get_json()["message"])
    assert counts()["prescriptions"] == 1


def test_keys_belong_to_one_doctor(family, doctor, make_provider, write, counts):
    other = make_provider("مطب دکتر کریمی", "doctor")
    first = write(doctor, prescription_body(), key="k1").get_json()
    second = write(other, prescription_body(acknowledged_interactions=REFILL), key="k1").get_json()
    assert first["code"] != second["code"]
    assert counts()["prescriptions"] == 2


def test_without_a_key_each_post_is_a_new_prescription(family, doctor, write, counts):
    write(doctor, prescription_body(acknowledged_interactions=REFILL))
    write(doctor, prescription_body(acknowledged_interactions=REFILL))
    assert counts()["prescriptions"] == 2


@pytest.mark.parametrize("key", ["", "with space", "x" * 101, "clé"])
def test_a_malformed_key_is_a_400(family, doctor, write, counts, key):
    response = write(doctor, prescription_body(), key=key)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_idempotency_key"
    assert counts()["prescriptions"] == 0
