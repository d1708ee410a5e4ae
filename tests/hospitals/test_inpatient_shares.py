"""S3 (issue 25): what a public hospital serves a patient it has admitted, during the stay, is
inpatient — the patient pays 10 % — while S4 still wins: 65 or older on the day, nothing. The
same drug the day after discharge, or at another hospital, is not inpatient."""

from datetime import date

import pytest
from hospital_help import AMOXICILLIN_RIAL, bearer, contract, set_centre
from sqlalchemy import select, update

from server.extensions import db
from server.models import Admission, ClaimLine

TURNS_65_TODAY = "0078912342"  # born 1 Azar 1340: 65 on the suite's day, 1 Azar 1405
TURNS_65_TOMORROW = "0089123451"  # born 2 Azar 1340: still 64
PRICE = 3 * AMOXICILLIN_RIAL


@pytest.fixture
def pensioners(registry):
    """Two covered pensioners, one 65 today, the other 65 tomorrow."""
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{TURNS_65_TODAY},پروین,احمدی,1961-11-22,F,,",
        f"{TURNS_65_TOMORROW},منیژه,کریمی,1961-11-23,F,,",
    )
    registry.write(
        "insured.csv",
        "national_code,insurance_number,kind,start_date,end_date",
        f"{TURNS_65_TODAY},5550001,pensioner,2020-01-01,",
        f"{TURNS_65_TOMORROW},5550002,pensioner,2020-01-01,",
    )
    result = registry.load()
    assert result.exit_code == 0, result.output + result.stderr
    registry.clear()


def served_at_the_hospital(hospital, admit, write, dispense, national_code: str) -> dict:
    """Admit the patient yesterday, write amoxicillin there and serve it there: the line."""
    assert admit(hospital, national_code=national_code, admitted_on="2026-11-21").status_code == 201
    written = write(hospital, [{"code": "D1001", "quantity": 3}], national_code=national_code)
    assert written.status_code == 201, written.get_json()
    served = dispense(hospital, written.get_json()["code"], {"D1001": 3})
    assert served.status_code == 200, served.get_json()
    return served.get_json()["items"][0]


def rules_used(app) -> list[str]:
    """The rules of the claim lines, in order."""
    with app.app_context():
        return list(db.session.scalars(select(ClaimLine.rule).order_by(ClaimLine.id)))


def test_an_admitted_patient_pays_ten_percent_at_a_public_hospital(
    app, pensioners, hospital, admit, write, dispense, tariffs
):
    item = served_at_the_hospital(hospital, admit, write, dispense, TURNS_65_TOMORROW)
    assert (item["price"], item["patient_share"]) == (PRICE, PRICE * 10 // 100)
    assert item["sso_share"] == PRICE - PRICE * 10 // 100
    assert rules_used(app) == ["public_inpatient"]


def test_on_the_65th_birthday_an_inpatient_pays_nothing(
    app, pensioners, hospital, admit, write, dispense, tariffs
):
    item = served_at_the_hospital(hospital, admit, write, dispense, TURNS_65_TODAY)
    assert (item["patient_share"], item["sso_share"]) == (0, PRICE)
    assert rules_used(app) == ["public_65"]


def test_in_a_city_without_an_sso_hospital_an_inpatient_pays_nothing(
    app, pensioners, hospital, admit, write, dispense, tariffs
):
    set_centre(app, "بیمارستان تامین اجتماعی قم", city="تهران")
    item = served_at_the_hospital(hospital, admit, write, dispense, TURNS_65_TOMORROW)
    assert item["patient_share"] == 0 and rules_used(app) == ["public_no_sso_hospital"]


def test_after_discharge_it_is_not_inpatient(
    app, client, runner, pensioners, hospital, admit, write, dispense, tariffs
):
    admission = admit(hospital, national_code=TURNS_65_TOMORROW, admitted_on="2026-11-20")
    admission_id = admission.get_json()["id"]
    with app.app_context():  # discharged yesterday: today is outpatient
        db.session.execute(update(Admission).values(discharged_on=date(2026, 11, 21)))
        db.session.commit()
    contract(app, runner, "بیمارستان دانشگاهی کامکار")
    written = write(hospital, [{"code": "D1001", "quantity": 3}], national_code=TURNS_65_TOMORROW)
    served = dispense(hospital, written.get_json()["code"], {"D1001": 3})
    assert served.status_code == 200, served.get_json()
    assert rules_used(app) == ["outpatient"]
    assert (
        client.post(
            f"/api/provider/admissions/{admission_id}/discharge", headers=bearer(hospital)
        ).status_code
        == 409
    )
