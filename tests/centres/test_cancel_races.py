"""A doctor cancelling a prescription while a pharmacy delivers it, released together round
after round (the pharmacy in the web and through the API): exactly one of them wins, and what is
stored agrees with who won — never a cancelled prescription with units delivered. Runs on SQLite
and, with DATABASE_URL, on PostgreSQL, as `test_races.py`."""

import pytest
from sqlalchemy import select, update
from test_races import (
    ROUNDS,
    api_delivery,
    bearer,
    new_prescription,
    race,
    web_delivery,
)

from server.extensions import db
from server.models import Prescription, PrescriptionItem, Provider

DOCTOR = "مطب دکتر احمدی"


def cancelling(client, token: str, code: str):
    """The doctor's cancellation through the API."""
    url = f"/api/provider/prescriptions/{code}/cancel"
    return lambda: client.post(url, json={"reason": "دوز اشتباه"}, headers=bearer(token))


def written_by(app, code: str, name: str) -> None:
    """Make the prescription of `code` the one the provider named `name` wrote."""
    with app.app_context():
        doctor_id = db.session.scalar(select(Provider.id).where(Provider.name == name))
        db.session.execute(
            update(Prescription).where(Prescription.code == code).values(provider_id=doctor_id)
        )
        db.session.commit()


def stored(app) -> list[tuple[bool, bool, int]]:
    """Each prescription's (cancelled whole, its item cancelled, units delivered)."""
    with app.app_context():
        rows = db.session.execute(
            select(
                Prescription.cancelled_at, PrescriptionItem.cancelled_at, PrescriptionItem.dispensed
            )
            .join(PrescriptionItem, PrescriptionItem.prescription_id == Prescription.id)
            .order_by(Prescription.id)
        )
        return [(whole is not None, item is not None, units) for whole, item, units in rows]


def winner(answers) -> str:
    """Who won the round: `cancel` or `delivery` (by the refusal the other got)."""
    refused = [a for a in answers if a.status_code == 409]
    assert len(refused) == 1, [a.status_code for a in answers]
    if refused[0].is_json and refused[0].get_json()["error"] == "dispensed":
        return "delivery"
    return "cancel"


@pytest.mark.parametrize("pharmacy", ["web", "api"])
def test_a_cancel_and_a_delivery_at_once_never_both_win(
    app, catalogue, pharmacists, make_provider, pharmacy
):
    doctor = make_provider(DOCTOR, "doctor")
    razi, _ = pharmacists
    pharmacy_token = make_provider("داروخانه سینا ۲", "pharmacy")
    winners = []
    for _ in range(ROUNDS):
        code = new_prescription(app)
        written_by(app, code, DOCTOR)
        deliver = (
            web_delivery(razi, code)
            if pharmacy == "web"
            else api_delivery(app.test_client(), pharmacy_token, code)
        )
        answers = race(cancelling(app.test_client(), doctor, code), deliver)
        winners.append(winner(answers))
    rows = stored(app)
    print(f"\n{pharmacy}: cancel won {winners.count('cancel')} of {ROUNDS} rounds")
    expected = [(True, True, 0) if won == "cancel" else (False, False, 10) for won in winners]
    assert rows == expected
