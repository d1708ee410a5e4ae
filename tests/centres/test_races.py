"""Races on the record, fired through a barrier round after round with exact totals after: two
pharmacies delivering the last units of an item (web and API), and two doctors writing a major
interaction for the same patient at once (web and API). Each request runs in its own thread with
its own session and connection, as two gunicorn workers would; the suite runs it on SQLite and,
with DATABASE_URL, on PostgreSQL. Written before the locks (commit edc57fd), it failed on that
code on both databases: up to 48 of 50 deliveries doubled and 49 of 50 interactions both
written (docs/security.md, «Races»)."""

from datetime import date, timedelta

import pytest
from families import INSURED
from races import race
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from visits import make_visit
from web_prescribing import items, make_doctor, make_pharmacist, visit

from server.domain.tracking import new_tracking_code
from server.extensions import db
from server.models import (
    Dispensing,
    OutboxEvent,
    Person,
    Prescription,
    PrescriptionItem,
    Provider,
)

ROUNDS = 50
TODAY = date(2026, 11, 22)  # the suite's pinned date
AMOXICILLIN, WARFARIN, ASPIRIN = "D1001", "D1084", "D1085"
UNITS = 10
FULLY_DELIVERED = "آموکسی‌سیلین پیش‌تر به‌طور کامل تحویل شده است."


def refusal(answer) -> str:
    """What a 409 says: the API's error code, or the refusal a web page shows."""
    if answer.is_json:
        return answer.get_json()["error"]
    page = answer.get_data(as_text=True)
    if FULLY_DELIVERED in page:
        return "over_dispensed"
    return "interaction" if WARFARIN in page and ASPIRIN in page else page


def bearer(token: str) -> dict:
    """The Authorization header."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def doctor_tokens(make_provider) -> tuple[str, str]:
    """The tokens of Dr Ahmadi's and Dr Karimi's offices (the API's doctors)."""
    return make_provider("مطب دکتر احمدی", "doctor"), make_provider("مطب دکتر کریمی", "doctor")


@pytest.fixture
def zahra(app, clinic, catalogue, make_browser):
    """Zahra, the clinic's doctor in the web, confirmed with a passkey, the catalogue loaded."""
    return make_doctor(app, clinic, make_browser())


@pytest.fixture
def pharmacists(app, family, flask_command, make_browser):
    """The pharmacists of Razi and Sina pharmacies in the web, confirmed with passkeys."""
    razi = make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")
    sina = make_pharmacist(app, flask_command, make_browser(), "داروخانه سینا", "son")
    return razi, sina


def new_prescription(app) -> str:
    """A drug prescription for Ali with 10 amoxicillin, none delivered, written straight into
    the database (by the first doctor there is); its code."""
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        doctor_id = db.session.scalar(select(func.min(Provider.id)))
        prescription = Prescription(
            code=new_tracking_code(),
            provider_id=doctor_id,
            person_id=person_id,
            written_on=TODAY,
            expires_on=TODAY + timedelta(days=60),
            type="drug",
            tracking_code="000000000000",
            covered=True,
            created_at=func.now(),
        )
        db.session.add(prescription)
        db.session.flush()
        db.session.add(
            PrescriptionItem(
                prescription_id=prescription.id,
                position=1,
                code=AMOXICILLIN,
                name="آموکسی‌سیلین",
                quantity=UNITS,
                dispensed=0,
            )
        )
        db.session.commit()
        return prescription.code


def web_delivery(browser, code: str):
    """A pharmacist's delivery of all 10 units in the web, its CSRF token fetched before."""
    token = browser.csrf("/centre/deliver")
    fields = {"csrf_token": token, f"qty-{AMOXICILLIN}": str(UNITS)}
    return lambda: browser.client.post(f"/centre/deliver/{code}", data=fields)


def api_delivery(client, token: str, code: str):
    """A pharmacy's delivery of all 10 units through the API."""
    body = {"items": [{"code": AMOXICILLIN, "quantity": UNITS}]}
    url = f"/api/provider/prescriptions/{code}/dispense"
    return lambda: client.post(url, json=body, headers=bearer(token))


def delivered(app) -> tuple[list[int], list[int], int]:
    """Each item's `dispensed`, the sum of each item's dispensing rows, and the outbox's rows."""
    with app.app_context():
        recorded = list(db.session.scalars(select(PrescriptionItem.dispensed)))
        rows = db.session.scalars(
            select(func.coalesce(func.sum(Dispensing.quantity), 0))
            .select_from(PrescriptionItem)
            .outerjoin(Dispensing, Dispensing.item_id == PrescriptionItem.id)
            .group_by(PrescriptionItem.id)
        )
        outbox = db.session.scalar(select(func.count()).select_from(OutboxEvent))
        return recorded, list(rows), outbox


@pytest.mark.parametrize("second", ["web", "api"])
def test_two_pharmacies_racing_for_the_last_units_deliver_them_once(
    app, catalogue, pharmacists, make_provider, second
):
    razi, sina = pharmacists
    pharmacy_token = make_provider("داروخانه سینا ۲", "pharmacy")
    outbox_before, reads_before = delivered(app)[2], reads_told(app)
    outcomes, refusals, pages = [], [], 0
    for _ in range(ROUNDS):
        code = new_prescription(app)
        other = (
            web_delivery(sina, code)
            if second == "web"
            else api_delivery(app.test_client(), pharmacy_token, code)
        )
        answers = race(web_delivery(razi, code), other)
        outcomes.append([answer.status_code for answer in answers])
        refusals += [refusal(answer) for answer in answers if answer.status_code == 409]
        pages += sum(1 for answer in answers if answer.status_code == 409 and not answer.is_json)
    recorded, rows, outbox = delivered(app)
    doubled = sum(1 for units in rows if units > UNITS)
    print(f"\n{second}: {doubled} of {ROUNDS} rounds delivered twice")
    assert rows == [UNITS] * ROUNDS  # the dispensing rows: exactly the prescribed units
    assert recorded == [UNITS] * ROUNDS
    one_each = [[302, 409]] if second == "web" else [[200, 409], [302, 409]]  # API 200, web 302
    assert all(outcome in one_each for outcome in outcomes), outcomes
    assert refusals == ["over_dispensed"] * ROUNDS
    # A refused delivery is told to nobody; the web's page of it shows the patient's open
    # prescriptions again, as the look-up does: that read is logged and told, and nothing else.
    assert outbox - outbox_before == reads_told(app) - reads_before == pages


def reads_told(app) -> int:
    """How many reads of a record the outbox holds to tell (`record_read`)."""
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.kind == "record_read")
        )


def age_prescriptions(app) -> None:
    """Move every prescription back 200 days: none is a current medicine any more."""
    with app.app_context():
        long_ago = TODAY - timedelta(days=200)
        db.session.execute(update(Prescription).values(written_on=long_ago, expires_on=long_ago))
        db.session.commit()


def api_writing(client, token: str, drug: str):
    """The API's doctor writes `drug` for Ali."""
    body = {
        "national_code": INSURED,
        "written_on": TODAY.isoformat(),
        "type": "drug",
        "items": [{"code": drug, "quantity": 10}],
    }
    return lambda: client.post("/api/provider/prescriptions", json=body, headers=bearer(token))


def web_writing(browser, inquiry_id: int, drug: str):
    """Zahra saves a prescription of `drug` for Ali in the web."""
    url = f"/centre/prescriptions/new/{inquiry_id}"
    fields = {"csrf_token": browser.csrf(url), "type": "drug", "action": "save"}
    fields |= items((drug, "10", ""))
    return lambda: browser.client.post(url, data=fields)


@pytest.mark.parametrize("first", ["web", "api"])
def test_two_doctors_racing_with_a_major_interaction_write_one(
    app, catalogue, zahra, doctor_tokens, first
):
    ahmadi, karimi = doctor_tokens
    inquiry_id = visit(zahra, INSURED)
    for token in doctor_tokens:  # the API's doctors see Ali too
        make_visit(app.test_client(), token, {"national_code": INSURED})
    outcomes, refusals = [], []
    for _ in range(ROUNDS):
        age_prescriptions(app)
        one = (
            web_writing(zahra, inquiry_id, WARFARIN)
            if first == "web"
            else api_writing(app.test_client(), ahmadi, WARFARIN)
        )
        other = api_writing(app.test_client(), karimi, ASPIRIN)
        answers = race(one, other)
        outcomes.append([answer.status_code for answer in answers])
        refusals += [refusal(answer) for answer in answers if answer.status_code == 409]
    with app.app_context():
        written = db.session.scalar(select(func.count()).select_from(Prescription))
    both = sum(1 for outcome in outcomes if 409 not in outcome)
    print(f"\n{first}: both written in {both} of {ROUNDS} rounds")
    assert written == ROUNDS  # one of each pair
    allowed = ([[302, 409], [201, 409]]) if first == "web" else [[201, 409]]
    assert all(outcome in allowed for outcome in outcomes), outcomes
    assert refusals == ["interaction"] * ROUNDS  # the second is checked against the first


def test_the_database_refuses_an_item_delivered_beyond_its_quantity(app, family, make_provider):
    make_provider("مطب دکتر احمدی", "doctor")
    new_prescription(app)
    with app.app_context():
        with pytest.raises(IntegrityError, match="dispensed_within_quantity|CHECK"):
            db.session.execute(update(PrescriptionItem).values(dispensed=UNITS + 1))
        db.session.rollback()
        db.session.execute(update(PrescriptionItem).values(dispensed=UNITS))  # all of it: kept
        db.session.commit()
        assert db.session.scalar(select(PrescriptionItem.dispensed)) == UNITS
