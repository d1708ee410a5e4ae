"""Drug allergies: recorded by a doctor in a visit (logged as a read), checked against every new
prescription in both directions (a class covers its members; a combination carries each of its
ingredients), written through only with a reason, which the pharmacy reads; disputed by the
insured through an objection that staff resolve."""

import pytest
from catalogue_loading import write_small_catalogue
from families import INSURED, WIFE
from prescribing import AMOXICILLIN, METFORMIN, bearer, prescription_body
from sqlalchemy import func, select
from visits import make_visit

from server.extensions import db
from server.models import Allergy, AllergyAcknowledgement

CO_AMOXICLAV = {"code": "D1016", "quantity": 10}  # amoxicillin + clavulanic acid
CEFALEXIN = {"code": "D1018", "quantity": 10}


@pytest.fixture
def more_drugs(runner, tmp_path, catalogue):
    """The small catalogue and a combination with amoxicillin and a cephalosporin."""
    path = write_small_catalogue(tmp_path / "more.csv", ("D1016", "D1018"))
    result = runner.invoke(args=["darman", "catalogue", "import", str(path)])
    assert result.exit_code == 0, result.output


@pytest.fixture
def record_allergy(client, doctor):
    """POST an allergy for a patient (after the doctor's visit, unless not `visit`)."""

    def post(body: dict, national_code: str = INSURED, token: str = doctor, visit: bool = True):
        if visit:
            make_visit(client, token, {"national_code": national_code})
        url = f"/api/provider/patients/{national_code}/allergies"
        return client.post(url, json=body, headers=bearer(token))

    return post


PENICILLINS = {"ingredient": "Penicillins", "reaction": "کهیر و تنگی نفس", "severity": "severe"}


def rows(app, model) -> int:
    """How many rows a table holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_an_allergy_is_recorded_in_a_visit_and_logged_as_a_read(
    app, family, catalogue, record_allergy, ali
):
    response = record_allergy(PENICILLINS)
    assert response.status_code == 201, response.get_json()
    allergy = response.get_json()
    assert allergy["ingredient"] == "penicillins"
    assert "amoxicillin" in allergy["covers"] and allergy["status"] == "active"
    log = ali.get("/api/records/access-log").get_json()["entries"]
    assert [(e["who"], e["kind"]) for e in log] == [("مطب دکتر احمدی", "provider")]
    mine = ali.get("/api/records/allergies").get_json()["allergies"]
    assert [(a["id"], a["ingredient"], a["reaction"], a["recorded_by"]) for a in mine] == [
        (allergy["id"], "penicillins", "کهیر و تنگی نفس", "مطب دکتر احمدی")
    ]


def test_no_visit_no_allergy(app, family, catalogue, record_allergy):
    response = record_allergy(PENICILLINS, visit=False)
    assert response.status_code == 403
    assert response.get_json()["error"] == "no_visit"
    assert rows(app, Allergy) == 0


def test_a_pharmacy_records_no_allergy(app, family, catalogue, record_allergy, pharmacy):
    response = record_allergy(PENICILLINS, token=pharmacy)
    assert response.status_code == 403
    assert rows(app, Allergy) == 0


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        ({**PENICILLINS, "ingredient": "unobtainium"}, "unknown_ingredient", "ingredient"),
        ({**PENICILLINS, "severity": "deadly"}, "invalid_severity", "severity"),
        ({**PENICILLINS, "reaction": ""}, "invalid_reaction", "reaction"),
        ({"ingredient": "amoxicillin", "severity": "mild"}, "missing_field", "reaction"),
    ],
)
def test_bad_input_is_a_localized_400_that_changes_nothing(
    app, family, catalogue, record_allergy, body, error, field
):
    response = record_allergy(body)
    assert response.status_code == 400
    answer = response.get_json()
    assert (answer["error"], answer.get("field")) == (error, field)
    assert any("\u0600" <= ch <= "\u06ff" for ch in answer["message"])
    assert rows(app, Allergy) == 0


def test_an_allergy_to_a_class_stops_its_member(family, more_drugs, record_allergy, doctor, write):
    allergy = record_allergy(PENICILLINS).get_json()
    response = write(doctor, prescription_body(items=[AMOXICILLIN, METFORMIN]))
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["error"] == "allergy"
    assert [
        {k: f[k] for k in ("id", "code", "ingredient", "reaction")} for f in answer["allergies"]
    ] == [
        {
            "id": allergy["id"],
            "code": "D1001",
            "ingredient": "penicillins",
            "reaction": "کهیر و تنگی نفس",
        }
    ]
    assert "آموکسی‌سیلین" in answer["message"]


def test_an_allergy_to_an_ingredient_stops_a_combination_holding_it(
    family, more_drugs, record_allergy, doctor, write
):
    body = {"ingredient": "amoxicillin", "reaction": "بثورات پوستی", "severity": "moderate"}
    allergy = record_allergy(body).get_json()
    response = write(doctor, prescription_body(items=[CO_AMOXICLAV]))
    assert response.status_code == 409
    assert [(f["id"], f["code"], f["matched"]) for f in response.get_json()["allergies"]] == [
        (allergy["id"], "D1016", ["amoxicillin"])
    ]
    # another class is not stopped
    assert write(doctor, prescription_body(items=[CEFALEXIN])).status_code == 201


def test_an_acknowledged_allergy_is_written_and_the_pharmacy_reads_why(
    app, family, more_drugs, record_allergy, doctor, pharmacy, write, client
):
    allergy = record_allergy(PENICILLINS).get_json()
    reason = "تست پوستی منفی؛ زیر نظر"
    body = prescription_body(
        items=[AMOXICILLIN], acknowledged_allergies=[{"id": allergy["id"], "reason": reason}]
    )
    response = write(doctor, body)
    assert response.status_code == 201, response.get_json()
    written = response.get_json()
    assert written["acknowledged_allergies"] == [
        {
            "id": allergy["id"],
            "code": "D1001",
            "name": "آموکسی‌سیلین ۵۰۰ میلی‌گرم",
            "ingredient": "penicillins",
            "reaction": "کهیر و تنگی نفس",
            "reason": reason,
        }
    ]
    seen = client.get(f"/api/provider/prescriptions/{written['code']}", headers=bearer(pharmacy))
    assert seen.get_json()["acknowledged_allergies"] == written["acknowledged_allergies"]
    assert rows(app, AllergyAcknowledgement) == 1


def test_an_acknowledgement_of_another_allergy_does_not_pass(
    app, family, more_drugs, record_allergy, doctor, write, counts
):
    record_allergy(PENICILLINS)
    body = prescription_body(
        items=[AMOXICILLIN], acknowledged_allergies=[{"id": 999, "reason": "x" * 5}]
    )
    assert write(doctor, body).status_code == 409
    assert counts()["prescriptions"] == 0


def test_another_persons_allergy_is_not_theirs(family, more_drugs, record_allergy, doctor, write):
    record_allergy(PENICILLINS, national_code=WIFE)
    assert write(doctor, prescription_body(items=[AMOXICILLIN])).status_code == 201


def test_a_disputed_allergy_is_still_checked(
    app, family, more_drugs, record_allergy, doctor, write, ali
):
    allergy = record_allergy(PENICILLINS).get_json()
    filed = ali.post(
        f"/api/records/allergies/{allergy['id']}/dispute",
        json={"text": "من هرگز به پنی‌سیلین حساسیت نداشته‌ام."},
    )
    assert filed.status_code == 201, filed.get_json()
    again = ali.post(
        f"/api/records/allergies/{allergy['id']}/dispute", json={"text": "دوباره اعتراض دارم."}
    )
    assert again.status_code == 409
    mine = ali.get("/api/records/allergies").get_json()["allergies"]
    assert mine[0]["status"] == "disputed"
    assert write(doctor, prescription_body(items=[AMOXICILLIN])).status_code == 409
    objections = ali.get("/api/objections").get_json()["objections"]
    assert [(o["subject"], o["tracking_number"]) for o in objections] == [
        ("allergy", filed.get_json()["tracking_number"])
    ]  # staff decide it in the console: tests/staff/test_allergy_disputes.py


def test_nobody_disputes_another_persons_allergy(family, catalogue, record_allergy, ali):
    allergy = record_allergy(PENICILLINS, national_code=WIFE).get_json()
    response = ali.post(
        f"/api/records/allergies/{allergy['id']}/dispute", json={"text": "مال من نیست"}
    )
    assert response.status_code == 404
