"""The last covered day is covered and the day after is not, through every path: the snapshot,
the provider API, FHIR, the citizen's answer, the family list, USSD, inbound SMS and the card.

Ali's cover runs to 30 Azar 1405 (2026-12-21); Zahra's newborn, born 2026-11-12 (21 Aban),
is covered under her code to 20 Azar (2026-12-11).
"""

from datetime import date

import pytest
from families import INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE

from server import inquiries
from server.card.verify import verify

LAST_DAY = "2026-12-21"
DAY_AFTER = "2026-12-22"
NEWBORN_LAST_DAY = "2026-12-11"
NEWBORN_DAY_AFTER = "2026-12-12"
COVERED = "حمایت درمانی دارد"
NOT_COVERED = "حمایت درمانی ندارد"
DAYS = [pytest.param(LAST_DAY, True, id="last-day"), pytest.param(DAY_AFTER, False, id="day-after")]
NEWBORN_DAYS = [
    pytest.param(NEWBORN_LAST_DAY, True, id="last-day"),
    pytest.param(NEWBORN_DAY_AFTER, False, id="day-after"),
]


@pytest.fixture
def on_day(app, monkeypatch):
    """Pin "today" for the app (the snapshot stays as imported on 2026-11-22)."""

    def pin(day: str) -> None:
        monkeypatch.setitem(app.config, "DARMAN_TODAY", day)

    return pin


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_snapshot(app, family, day, covered):
    with app.app_context():
        answer = inquiries.find(INSURED, date.fromisoformat(day))
    assert answer.covered is covered
    assert answer.eligibility.valid_until == date(2026, 12, 21)
    assert answer.label == (COVERED if covered else NOT_COVERED)


@pytest.mark.parametrize(("day", "covered"), NEWBORN_DAYS)
def test_snapshot_newborn(app, family, day, covered):
    with app.app_context():
        answer = inquiries.find_newborn(WIFE, date(2026, 11, 12), date.fromisoformat(day))
    assert answer.covered is covered
    assert answer.eligibility.valid_until == date(2026, 12, 11)


def test_snapshot_newborn_of_a_mother_without_cover(app, family):
    with app.app_context():
        mother = inquiries.find(WIFE, date(2026, 12, 22))
        answer = inquiries.find_newborn(WIFE, date(2026, 12, 15), date(2026, 12, 22))
    assert answer.person_id == mother.person_id is not None  # the inquiry is logged on her
    assert answer.eligibility.valid_until is None
    assert (answer.covered, answer.eligibility.reasons) == (False, ("insured_not_covered",))


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_provider(client, family, token, on_day, day, covered):
    on_day(day)
    response = client.post(
        "/api/provider/eligibility",
        json={"national_code": INSURED},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (response.get_json()["covered"], response.get_json()["label"]) == (
        covered,
        COVERED if covered else NOT_COVERED,
    )


@pytest.mark.parametrize(("day", "covered"), NEWBORN_DAYS)
def test_provider_newborn(client, family, token, on_day, day, covered):
    on_day(day)
    response = client.post(
        "/api/provider/eligibility",
        json={"mother_national_code": WIFE, "birth_date": "2026-11-12"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.get_json()["covered"] is covered


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_fhir(client, family, token, on_day, day, covered):
    on_day(day)
    body = {
        "resourceType": "CoverageEligibilityRequest",
        "status": "active",
        "purpose": ["validation"],
        "patient": {"identifier": {"system": "urn:darman:national-code", "value": INSURED}},
        "created": day,
        "insurer": {"display": "SSO"},
    }
    response = client.post(
        "/fhir/CoverageEligibilityRequest/$submit",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["insurance"][0]["inforce"] is covered


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_citizen(family, citizen, on_day, day, covered):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    on_day(day)
    answer = citizen.get("/api/eligibility").get_json()
    assert (answer["covered"], answer["valid_until"]) == (covered, "2026-12-21")
    assert answer["days_left"] in ((1,) if covered else (0, None))


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_citizen_family(family, citizen, on_day, day, covered):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    on_day(day)
    members = citizen.get("/api/family").get_json()["members"]
    wife = next(m for m in members if m["national_code"] == WIFE)
    assert wife["covered"] is covered


@pytest.mark.parametrize(("day", "covered"), NEWBORN_DAYS)
def test_citizen_family_newborn(family, citizen, on_day, day, covered):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    on_day(day)
    members = citizen.get("/api/family").get_json()["members"]
    newborns = [m["covered"] for m in members if m["relation"] == "newborn"]
    assert newborns == [True] if covered else True not in newborns


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_ussd_my_own(family, gateway, on_day, day, covered):
    on_day(day)
    answer = gateway.session("+98 912 123 4567", "1", INSURED)[-1]
    assert answer.splitlines()[0] == f"END {COVERED if covered else NOT_COVERED}"


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_ussd_someone_else(family, gateway, on_day, day, covered):
    on_day(day)
    answer = gateway.session("+989350000000", "2", INSURED)[-1]
    assert answer.splitlines()[0] == f"END {COVERED if covered else NOT_COVERED}"


@pytest.mark.parametrize(("day", "covered"), NEWBORN_DAYS)
def test_ussd_newborn(family, gateway, on_day, day, covered):
    on_day(day)
    answer = gateway.session(WIFE_MOBILE, "3", WIFE, "2026-11-12")[-1]
    assert (COVERED in answer) is covered and (NOT_COVERED in answer) is not covered


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_inbound_sms(family, gateway, on_day, day, covered):
    on_day(day)
    assert gateway.sms("+989350000000", INSURED).status_code == 200
    text = gateway.sent()[-1]["text"]
    assert (COVERED in text) is covered and (NOT_COVERED in text) is not covered


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_card_issued_on_the_day(family, citizen, card_keys, client, on_day, clock, day, covered):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    on_day(day)
    token = citizen.get("/api/card").get_json()["token"]
    card = verify(token, client.get("/api/card/keys").get_json(), clock.now)
    assert card.covered is covered


@pytest.mark.parametrize(("day", "covered"), DAYS)
def test_card_shown_on_the_day(family, citizen, card_keys, client, clock, day, covered):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    token = citizen.get("/api/card").get_json()["token"]
    card = verify(token, client.get("/api/card/keys").get_json(), clock.now)
    assert card.shows_covered(date.fromisoformat(day)) is covered
