"""The provider inquiry's one-statement hot path answers and logs exactly what the snapshot
read of every other channel does, on the last covered day and the day after."""

from datetime import date, timedelta

import pytest
from families import DAUGHTER, FATHER, INSURED, SON, UNKNOWN, WIFE
from sqlalchemy import select

from server import inquiries
from server.extensions import db
from server.models import Inquiry, Person

LAST_DAY = date(2026, 12, 21)  # 30 Azar 1405: Ali's cover and his family's end


@pytest.fixture
def token(runner):
    """A pharmacy's token, made with the real command."""
    result = runner.invoke(args=["darman", "provider", "create", "داروخانه", "--kind", "pharmacy"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


@pytest.mark.parametrize("day", [LAST_DAY, LAST_DAY + timedelta(days=1)], ids=["last", "after"])
@pytest.mark.parametrize("national_code", [INSURED, WIFE, SON, DAUGHTER, FATHER, UNKNOWN])
def test_the_hot_path_agrees_with_the_snapshot_read(app, client, family, token, national_code, day):
    pinned = app.config["DARMAN_TODAY"]
    app.config["DARMAN_TODAY"] = day.isoformat()
    try:
        response = client.post(
            "/api/provider/eligibility",
            json={"national_code": national_code},
            headers={"Authorization": f"Bearer {token}"},
        )
    finally:
        app.config["DARMAN_TODAY"] = pinned
    assert response.status_code == 200
    tracking_code = response.get_json()["tracking_code"]
    with app.app_context():
        expected = inquiries.find(national_code, day)
        logged = db.session.execute(
            select(Inquiry).where(Inquiry.tracking_code == tracking_code)
        ).scalar_one()
        person_id = db.session.scalar(
            select(Person.id).where(Person.national_code == national_code)
        )
    assert response.get_json()["covered"] is expected.covered
    assert expected.covered is (
        national_code != UNKNOWN and national_code != SON and day == LAST_DAY
    )
    assert (logged.person_id, logged.covered, logged.valid_until) == (
        person_id,
        expected.covered,
        expected.eligibility.valid_until,
    )
    assert (logged.channel, logged.national_code, logged.newborn_birth_date) == (
        "provider",
        national_code,
        None,
    )
