"""At the counter (issue 25): a delivery asks the patient's eligibility first and logs it as the
centre's inquiry, then answers each item's price and the patient's and SSO's shares in rials —
S1 at a contracted pharmacy, nothing from SSO at one with no contract — and writes one claim line
per dispensing row; a patient not covered gets 409 `not_covered` and nothing is delivered."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import ClaimLine, Dispensing, Inquiry, PrescriptionItem, Provider

AMOXICILLIN_RIAL, METFORMIN_RIAL = 447_000, 260_001  # an odd price: the rounding shows


@pytest.fixture
def tariffs(runner, catalogue, tmp_path):
    """Prices from 1 Farvardin 1405 for the two drugs of Ali's usual prescription."""
    path = tmp_path / "tariffs.csv"
    path.write_text(
        "code,valid_from,price_rial\n"
        f"D1001,2026-03-21,{AMOXICILLIN_RIAL}\nD1002,2026-03-21,{METFORMIN_RIAL}\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["darman", "tariffs", "import", str(path)]).exit_code == 0


def contract(app, runner, name: str) -> None:
    """Give the centre of this name a contract from the first of the month."""
    with app.app_context():
        centre_id = db.session.scalar(select(Provider.id).where(Provider.name == name))
    result = runner.invoke(
        args=["darman", "centre", "contract", str(centre_id), "--from", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output


def claim_lines(app, kind: str = "drug") -> list[tuple]:
    """The claim lines of a kind (the delivered drugs, or the doctor's visit): (code, quantity,
    price, patient's share, SSO's share, rule, has a dispensing row)."""
    with app.app_context():
        rows = db.session.scalars(
            select(ClaimLine).where(ClaimLine.kind == kind).order_by(ClaimLine.id)
        )
        return [
            (
                r.code,
                r.quantity,
                r.price,
                r.patient_share,
                r.sso_share,
                r.rule,
                r.dispensing_id is not None,
            )
            for r in rows
        ]


def test_a_contracted_pharmacy_is_told_the_price_and_both_shares(
    app, runner, written, pharmacy, dispense, tariffs
):
    contract(app, runner, "داروخانه رازی")
    answer = dispense(pharmacy, written["code"], {"D1001": 2, "D1002": 30})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    amoxicillin, metformin = body["items"]
    assert (amoxicillin["unit_price"], amoxicillin["price"]) == (AMOXICILLIN_RIAL, 894_000)
    assert (amoxicillin["patient_share"], amoxicillin["sso_share"]) == (268_200, 625_800)
    assert metformin["price"] == 7_800_030
    assert (metformin["patient_share"], metformin["sso_share"]) == (2_340_009, 5_460_021)
    assert body["totals"] == {
        "price": 894_000 + 7_800_030,
        "patient_share": 268_200 + 2_340_009,
        "sso_share": 625_800 + 5_460_021,
    }
    assert claim_lines(app) == [
        ("D1001", 2, 894_000, 268_200, 625_800, "outpatient", True),
        ("D1002", 30, 7_800_030, 2_340_009, 5_460_021, "outpatient", True),
    ]
    with app.app_context():  # the tracking code is the pharmacy's own, verifiable inquiry
        inquiry = db.session.scalars(
            select(Inquiry).where(Inquiry.tracking_code == body["tracking_code"])
        ).one()
        pharmacy_id = db.session.scalar(select(Provider.id).where(Provider.name == "داروخانه رازی"))
        assert (inquiry.provider_id, inquiry.covered) == (pharmacy_id, True)


def test_an_item_not_delivered_now_shows_its_unit_price_and_no_money(
    app, runner, written, pharmacy, dispense, tariffs
):
    contract(app, runner, "داروخانه رازی")
    body = dispense(pharmacy, written["code"], {"D1001": 1}).get_json()
    metformin = body["items"][1]
    assert (metformin["unit_price"], metformin["price"], metformin["sso_share"]) == (
        METFORMIN_RIAL, 0, 0
    )  # fmt: skip
    assert body["totals"]["price"] == AMOXICILLIN_RIAL


def test_a_pharmacy_with_no_contract_gets_no_share_from_sso(
    app, written, pharmacy, dispense, tariffs
):
    body = dispense(pharmacy, written["code"], {"D1001": 1}).get_json()
    assert (body["totals"]["patient_share"], body["totals"]["sso_share"]) == (AMOXICILLIN_RIAL, 0)
    assert claim_lines(app)[0][5] == "not_contracted"


def test_an_item_with_no_tariff_is_delivered_and_claimed_at_nothing(
    app, runner, written, pharmacy, dispense, catalogue
):
    contract(app, runner, "داروخانه رازی")
    answer = dispense(pharmacy, written["code"], {"D1001": 1})
    assert answer.status_code == 200  # the patient is not turned away for a missing price
    assert answer.get_json()["totals"] == {"price": 0, "patient_share": 0, "sso_share": 0}
    assert claim_lines(app) == [("D1001", 1, 0, 0, 0, "no_tariff", True)]


def test_a_patient_not_covered_today_gets_nothing_and_the_inquiry_stays(
    app, written, pharmacy, dispense, tariffs, monkeypatch
):
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2026-12-22")  # Ali's cover ended yesterday
    answer = dispense(pharmacy, written["code"], {"D1001": 1}, **{"Accept-Language": "fa"})
    assert answer.status_code == 409
    refusal = answer.get_json()
    assert refusal["error"] == "not_covered"
    assert "بیمار امروز حمایت درمانی ندارد" in refusal["message"]
    assert "۱۴۲۰" in refusal["message"]
    with app.app_context():
        inquiry = db.session.scalars(
            select(Inquiry).where(Inquiry.tracking_code == refusal["tracking_code"])
        ).one()
        assert inquiry.covered is False
        assert db.session.scalar(select(db.func.count()).select_from(Dispensing)) == 0
        assert set(db.session.scalars(select(PrescriptionItem.dispensed))) == {0}
    assert claim_lines(app) == []


@pytest.fixture
def visit_tariff(runner, tariffs, tmp_path):
    """The shipped catalogue (its visits) and a general practitioner's visit at 2 210 000."""
    assert runner.invoke(args=["darman", "catalogue", "import"]).exit_code == 0
    visits = tmp_path / "visits.csv"
    visits.write_text("code,valid_from,price_rial\nV5002,2026-03-21,2210000\n", encoding="utf-8")
    assert runner.invoke(args=["darman", "tariffs", "import", str(visits)]).exit_code == 0


def test_a_doctors_prescription_is_the_visits_claim_once_a_day(
    app, runner, family, doctor, write, visit_tariff
):
    from prescribing import CBC, prescription_body

    contract(app, runner, "مطب دکتر احمدی")
    assert write(doctor, prescription_body()).status_code == 201
    lab = prescription_body(type="lab", items=[CBC])
    assert write(doctor, lab).status_code == 201  # the same visit: no second claim
    assert claim_lines(app, "visit") == [
        ("V5002", 1, 2_210_000, 663_000, 1_547_000, "outpatient", False)
    ]


def test_a_doctor_with_no_contract_claims_the_visit_with_nothing_from_sso(
    app, family, doctor, write, visit_tariff
):
    from prescribing import prescription_body

    assert write(doctor, prescription_body()).status_code == 201
    assert claim_lines(app, "visit") == [
        ("V5002", 1, 2_210_000, 2_210_000, 0, "not_contracted_visit", False)
    ]
