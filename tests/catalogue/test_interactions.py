"""Interactions and duplicates on writing: among the items and against the patient's current
medicines; major ones and duplicates stop the prescription unless a reason is given for each."""

import pytest
from families import WIFE
from prescribing_drugs import drugs
from sqlalchemy import select

from server.extensions import db
from server.models import InteractionAcknowledgement

WARFARIN, ASPIRIN, IBUPROFEN = "D1084", "D1085", "D1007"
SILDENAFIL, NITROGLYCERIN = "D1095", "D1090"
SERTRALINE, TRAMADOL = "D1155", "D1124"
ATORVASTATIN, CLARITHROMYCIN = "D1003", "D1024"
ENALAPRIL, SPIRONOLACTONE = "D1057", "D1080"
HCTZ, TRIAMTERENE_HCTZ, METFORMIN, OMEPRAZOLE = "D1077", "D1082", "D1002", "D1008"

MAJOR_PAIRS = [
    pytest.param(WARFARIN, ASPIRIN, "aspirin+warfarin", id="warfarin-aspirin"),
    pytest.param(WARFARIN, IBUPROFEN, "ibuprofen+warfarin", id="warfarin-ibuprofen"),
    pytest.param(SILDENAFIL, NITROGLYCERIN, "nitroglycerin+sildenafil", id="sildenafil-ntg"),
    pytest.param(SERTRALINE, TRAMADOL, "sertraline+tramadol", id="sertraline-tramadol"),
    pytest.param(
        ATORVASTATIN, CLARITHROMYCIN, "atorvastatin+clarithromycin", id="atorvastatin-clari"
    ),
]
MODERATE_PAIRS = [
    pytest.param(WARFARIN, CLARITHROMYCIN, "clarithromycin+warfarin", id="warfarin-clari"),
    pytest.param(ENALAPRIL, SPIRONOLACTONE, "enalapril+spironolactone", id="enalapril-spiro"),
]


def pair_id(first: str, second: str, cause: str) -> str:
    """The stable id of an interaction between two codes."""
    return f"{min(first, second)}:{max(first, second)}:{cause}"


def is_persian(text: str) -> bool:
    """True when the text has Persian letters."""
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@pytest.mark.parametrize("reverse", [False, True], ids=["in-order", "reversed"])
@pytest.mark.parametrize(("first", "second", "cause"), MAJOR_PAIRS)
def test_a_major_pair_on_one_prescription_is_refused(
    doctor, write, counts, first, second, cause, reverse
):
    a, b = (second, first) if reverse else (first, second)
    response = write(doctor, drugs((a, 5), (b, 5)))
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["error"] == "interaction"
    assert is_persian(answer["message"])
    [found] = answer["interactions"]
    assert found["id"] == pair_id(first, second, cause)
    assert (found["a"], found["b"], found["severity"], found["current"]) == (a, b, "major", False)
    assert is_persian(found["advice"])
    assert counts()["prescriptions"] == counts()["outbox"] == 0
    assert counts()["inquiries"] == 1  # the visit's only


@pytest.mark.parametrize("reverse", [False, True], ids=["in-order", "reversed"])
@pytest.mark.parametrize(("first", "second", "cause"), MAJOR_PAIRS)
def test_a_major_pair_against_a_current_medicine_is_refused(
    doctor, write, first, second, cause, reverse
):
    current, new = (second, first) if reverse else (first, second)
    assert write(doctor, drugs((current, 5))).status_code == 201
    response = write(doctor, drugs((new, 5)))
    assert response.status_code == 409
    [found] = response.get_json()["interactions"]
    assert found["id"] == pair_id(first, second, cause)
    assert (found["a"], found["b"], found["current"]) == (new, current, True)


@pytest.mark.parametrize("reverse", [False, True], ids=["in-order", "reversed"])
@pytest.mark.parametrize(("first", "second", "cause"), MODERATE_PAIRS)
def test_a_moderate_pair_is_written_with_a_warning(
    doctor, write, counts, first, second, cause, reverse
):
    a, b = (second, first) if reverse else (first, second)
    response = write(doctor, drugs((a, 5), (b, 5)))
    assert response.status_code == 201, response.get_json()
    [warning] = response.get_json()["warnings"]
    assert warning["id"] == pair_id(first, second, cause)
    assert (warning["a"], warning["b"], warning["severity"]) == (a, b, "moderate")
    assert is_persian(warning["advice"])
    assert counts()["prescriptions"] == 1
    assert counts()["acknowledgements"] == 0


def test_the_same_ingredient_in_two_items_is_a_duplicate(doctor, write):
    response = write(doctor, drugs((HCTZ, 30), (TRIAMTERENE_HCTZ, 30)))
    assert response.status_code == 409
    [found] = response.get_json()["interactions"]
    assert found["id"] == f"{HCTZ}:{TRIAMTERENE_HCTZ}:hydrochlorothiazide"
    assert found["severity"] == "duplicate"
    assert found["advice"] == (
        "«هیدروکلروتیازید ۲۵ میلی‌گرم» و «تریامترن اچ ۵۰/۲۵ میلی‌گرم» مادهٔ مؤثر یکسانی دارند؛ "
        "مصرف هر دو، دوز دارو را دو برابر می‌کند."
    )


def test_a_drug_the_patient_has_open_is_a_duplicate(doctor, write):
    assert write(doctor, drugs((METFORMIN, 60))).status_code == 201
    response = write(doctor, drugs((METFORMIN, 30)))
    assert response.status_code == 409
    [found] = response.get_json()["interactions"]
    assert (found["id"], found["current"]) == (f"{METFORMIN}:{METFORMIN}:metformin", True)
    assert found["advice"].startswith("بیمار «متفورمین ۵۰۰ میلی‌گرم» را در نسخه‌ای باز دارد")


def test_a_drug_delivered_in_full_still_counts_for_90_days(
    app, monkeypatch, doctor, pharmacy, write, api
):
    monkeypatch.setitem(app.config, "DARMAN_NOW", "2026-11-22T08:00:00+00:00")
    written = write(doctor, drugs((WARFARIN, 30))).get_json()
    delivered = api(
        pharmacy,
        "POST",
        f"/api/provider/prescriptions/{written['code']}/dispense",
        json={"items": [{"code": WARFARIN, "quantity": 30}]},
    )
    assert delivered.get_json()["complete"] is True
    assert write(doctor, drugs((ASPIRIN, 5))).status_code == 409
    # 80 days on: the prescription has expired, but the delivery was within 90 days
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-02-10")
    monkeypatch.setitem(app.config, "DARMAN_NOW", "2027-02-10T08:00:00+00:00")
    assert write(doctor, drugs((ASPIRIN, 5), written_on="2027-02-10")).status_code == 409
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-03-10")
    monkeypatch.setitem(app.config, "DARMAN_NOW", "2027-03-10T08:00:00+00:00")
    assert write(doctor, drugs((ASPIRIN, 5), written_on="2027-03-10")).status_code == 201


def test_an_expired_prescription_is_no_longer_a_current_medicine(app, monkeypatch, doctor, write):
    assert write(doctor, drugs((WARFARIN, 30))).status_code == 201
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-01-21")  # its last day: still current
    assert write(doctor, drugs((ASPIRIN, 5), written_on="2027-01-21")).status_code == 409
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2027-01-22")
    assert write(doctor, drugs((ASPIRIN, 5), written_on="2027-01-22")).status_code == 201


def test_another_patients_medicines_do_not_count(doctor, write):
    assert write(doctor, drugs((WARFARIN, 30), national_code=WIFE)).status_code == 201
    assert write(doctor, drugs((ASPIRIN, 5))).status_code == 201


REASON = "بیمار دریچهٔ مصنوعی دارد و INR هفتگی پایش می‌شود"


def test_a_reason_for_each_major_one_lets_it_be_written_and_is_kept(
    app, doctor, pharmacy, write, api
):
    found_id = pair_id(WARFARIN, ASPIRIN, "aspirin+warfarin")
    body = drugs((WARFARIN, 30), (ASPIRIN, 30))
    body["acknowledged_interactions"] = [{"id": found_id, "reason": REASON}]
    response = write(doctor, body)
    assert response.status_code == 201, response.get_json()
    [passed] = response.get_json()["acknowledged_interactions"]
    assert (passed["id"], passed["severity"], passed["reason"]) == (found_id, "major", REASON)
    with app.app_context():
        stored = db.session.scalars(select(InteractionAcknowledgement)).one()
        assert (stored.finding_id, stored.item_a, stored.item_b, stored.reason) == (
            found_id,
            WARFARIN,
            ASPIRIN,
            REASON,
        )
    shown = api(pharmacy, "GET", f"/api/provider/prescriptions/{response.get_json()['code']}")
    assert shown.status_code == 200
    [acknowledged] = shown.get_json()["acknowledged_interactions"]
    assert (acknowledged["a"], acknowledged["b"], acknowledged["reason"]) == (
        WARFARIN,
        ASPIRIN,
        REASON,
    )
    assert is_persian(acknowledged["advice"])


def test_every_blocking_one_needs_its_own_reason(doctor, write, counts):
    body = drugs((WARFARIN, 30), (ASPIRIN, 30), (IBUPROFEN, 20))
    body["acknowledged_interactions"] = [
        {"id": pair_id(WARFARIN, ASPIRIN, "aspirin+warfarin"), "reason": REASON}
    ]
    response = write(doctor, body)
    assert response.status_code == 409
    assert [f["id"] for f in response.get_json()["interactions"]] == [
        pair_id(WARFARIN, IBUPROFEN, "ibuprofen+warfarin")
    ]
    assert [w["severity"] for w in response.get_json()["warnings"]] == ["moderate"]  # aspirin+NSAID
    assert counts()["prescriptions"] == counts()["acknowledgements"] == 0


def test_a_reason_for_something_else_does_not_count(doctor, write):
    body = drugs((WARFARIN, 30), (ASPIRIN, 30))
    body["acknowledged_interactions"] = [{"id": "D1:D2:x+y", "reason": REASON}]
    assert write(doctor, body).status_code == 409


@pytest.mark.parametrize(
    "acknowledgement",
    [{"id": "x"}, {"reason": REASON}, {"id": "x", "reason": "  "}, {"id": "x", "reason": "ok"}],
)
def test_a_malformed_acknowledgement_is_a_400(doctor, write, counts, acknowledgement):
    body = drugs((WARFARIN, 30), (ASPIRIN, 30), acknowledged_interactions=[acknowledgement])
    response = write(doctor, body)
    assert response.status_code == 400
    assert is_persian(response.get_json()["message"])
    assert counts()["prescriptions"] == 0


def test_an_unrelated_drug_is_written_without_findings(doctor, write):
    assert write(doctor, drugs((WARFARIN, 30))).status_code == 201
    response = write(doctor, drugs((OMEPRAZOLE, 30)))
    assert response.status_code == 201
    assert (response.get_json()["warnings"], response.get_json()["acknowledged_interactions"]) == (
        [],
        [],
    )


def test_the_409_in_english_when_asked(client, doctor, write):
    response = write(doctor, drugs((WARFARIN, 30), (ASPIRIN, 30)), **{"Accept-Language": "en"})
    assert response.get_json()["message"] == (
        "This prescription has a serious interaction or a duplicate. It can be written only "
        "with a reason for each one."
    )
