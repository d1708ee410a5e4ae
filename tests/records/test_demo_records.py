"""`flask darman demo` also writes a realistic history of prescriptions and deliveries, through
the record's own operations."""

from datetime import date

import pytest
from sqlalchemy import func, select
from visits import make_visit

from server import clock
from server.demo.records import REASON
from server.extensions import db
from server.models import (
    ClaimLine,
    Dispensing,
    Inquiry,
    InteractionAcknowledgement,
    OutboxEvent,
    Person,
    Prescription,
    PrescriptionItem,
    Provider,
)

TODAY = date(2026, 11, 22)


@pytest.fixture
def demo(runner):
    """Load the shipped catalogue and prices, then 400 synthetic people with their records (as
    `make run`)."""
    loaded = runner.invoke(args=["darman", "catalogue", "import"])
    assert loaded.exit_code == 0, loaded.output
    priced = runner.invoke(args=["darman", "tariffs", "import"])
    assert priced.exit_code == 0, priced.output
    result = runner.invoke(args=["darman", "demo", "--people", "400"])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def sample(demo, case: str) -> tuple[str, str]:
    """The national code and mobile printed for a demo case."""
    for line in demo.output.splitlines():
        if line.strip().startswith(f"{case}:"):
            code, mobile = line.split(":")[1].split()
            return code, mobile
    raise AssertionError(f"{case} not printed")


def scalar(app, statement):
    """One value from the database."""
    with app.app_context():
        return db.session.scalar(statement)


def test_about_a_fifth_of_the_people_get_records(app, demo):
    patients = scalar(app, select(func.count(func.distinct(Prescription.person_id))))
    assert 0.12 * 400 <= patients <= 0.3 * 400
    assert "records:" in demo.output and "prescriptions" in demo.output


def test_records_are_written_by_demo_doctors_and_delivered_by_demo_centres(app, demo):
    with app.app_context():
        writers = set(db.session.scalars(select(Provider.kind).join(Prescription).distinct()))
        centres = set(
            db.session.scalars(
                select(Provider.kind).join(Dispensing, Dispensing.provider_id == Provider.id)
            )
        )
        types = set(db.session.scalars(select(Prescription.type).distinct()))
    assert writers == {"doctor"}
    assert {"pharmacy", "lab", "imaging", "physio"} <= centres
    assert {"drug", "lab", "imaging", "physio"} <= types


def test_common_drugs_and_tests_have_persian_names(app, demo):
    with app.app_context():
        names = set(db.session.scalars(select(PrescriptionItem.name).distinct()))
    assert {"آموکسی‌سیلین ۵۰۰ میلی‌گرم", "آزمایش قند خون ناشتا", "شمارش کامل خون (CBC)"} <= names
    assert "رادیوگرافی قفسه سینه" in names


def test_deliveries_add_up_and_stay_within_the_rules(app, demo):
    with app.app_context():
        rows = db.session.execute(
            select(
                PrescriptionItem.quantity,
                PrescriptionItem.dispensed,
                func.coalesce(func.sum(Dispensing.quantity), 0),
            )
            .outerjoin(Dispensing, Dispensing.item_id == PrescriptionItem.id)
            .group_by(PrescriptionItem.id)
        ).all()
        late = db.session.scalar(
            select(func.count())
            .select_from(Dispensing)
            .join(PrescriptionItem, PrescriptionItem.id == Dispensing.item_id)
            .join(Prescription, Prescription.id == PrescriptionItem.prescription_id)
            .where(func.date(Dispensing.at) > Prescription.expires_on)
        )
    assert all(total == dispensed <= quantity for quantity, dispensed, total in rows)
    assert any(dispensed < quantity for quantity, dispensed, _ in rows)  # something is left
    assert late == 0


def test_some_prescriptions_expired_with_something_left(app, demo):
    expired_open = scalar(
        app,
        select(func.count(func.distinct(Prescription.id)))
        .join(PrescriptionItem)
        .where(
            Prescription.expires_on < TODAY,
            PrescriptionItem.dispensed < PrescriptionItem.quantity,
        ),
    )
    assert expired_open > 0


def test_some_drug_prescriptions_were_split_between_two_pharmacies(app, demo):
    pharmacies = (
        select(Prescription.id)
        .join(PrescriptionItem)
        .join(Dispensing, Dispensing.item_id == PrescriptionItem.id)
        .join(Provider, Provider.id == Dispensing.provider_id)
        .where(Provider.kind == "pharmacy")
        .group_by(Prescription.id)
        .having(func.count(func.distinct(Provider.id)) == 2)
    )
    assert scalar(app, select(func.count()).select_from(pharmacies.subquery())) > 0


def test_the_deceased_get_no_new_history(app, demo):
    deceased = select(Person.id).where(Person.death_date.is_not(None))
    assert scalar(app, select(func.count()).where(Prescription.person_id.in_(deceased))) == 0


def test_the_demo_worker_sees_a_partly_delivered_prescription(demo, citizen):
    national_code, mobile = sample(demo, "covered_worker")
    assert citizen.sign_in(national_code, mobile).status_code == 200
    records = citizen.get("/api/records").get_json()["records"]
    assert {"partial", "complete", "open", "expired"} <= {r["status"] for r in records}
    partial = next(r for r in records if r["status"] == "partial" and r["type"] == "drug")
    detail = citizen.get(f"/api/records/{partial['id']}").get_json()
    centres = {d["center"] for item in detail["items"] for d in item["dispensing"]}
    assert centres == {"داروخانه دکتر رازی", "داروخانه شبانه‌روزی سینا"}
    assert "بقیه را تا" in detail["items"][0]["status_text"]


def test_the_demo_worker_sees_the_childs_records(demo, citizen):
    national_code, mobile = sample(demo, "covered_worker")
    child, _ = sample(demo, "child_under_18")
    citizen.sign_in(national_code, mobile)
    records = citizen.get(f"/api/records?national_code={child}").get_json()["records"]
    assert [r["type"] for r in records] == ["drug", "lab"]


def test_the_mother_of_a_newborn_sees_the_newborns_prescription(demo, citizen):
    national_code, mobile = sample(demo, "mother_of_newborn")
    citizen.sign_in(national_code, mobile)
    records = citizen.get("/api/records").get_json()["records"]
    assert any(r["newborn_birth_date"] for r in records)


def test_a_second_demo_run_adds_no_records(app, demo, runner):
    before = scalar(app, select(func.count()).select_from(Prescription))
    again = runner.invoke(args=["darman", "demo", "--people", "400"])
    assert again.exit_code == 0, again.output
    assert "none added" in again.output
    assert scalar(app, select(func.count()).select_from(Prescription)) == before


def test_new_prescriptions_and_deliveries_follow_the_demo_ones(demo, make_provider, client):
    national_code, _ = sample(demo, "covered_worker")
    doctor = make_provider("مطب تازه", "doctor")
    pharmacy = make_provider("داروخانه تازه", "pharmacy")
    body = {
        "national_code": national_code,
        "written_on": TODAY.isoformat(),
        "type": "drug",
        "items": [{"code": "D1001", "quantity": 2}],
        # the demo may have given this patient amoxicillin lately (tablets or syrup)
        "acknowledged_interactions": [
            {"id": "D1001:D1001:amoxicillin", "reason": "دورهٔ درمان تازه"},
            {"id": "D1001:D1101:amoxicillin", "reason": "دورهٔ درمان تازه"},
        ],
    }
    make_visit(client, doctor, body)
    written = client.post(
        "/api/provider/prescriptions", json=body, headers={"Authorization": f"Bearer {doctor}"}
    )
    assert written.status_code == 201, written.get_json()
    delivered = client.post(
        f"/api/provider/prescriptions/{written.get_json()['code']}/dispense",
        json={"items": [{"code": "D1001", "quantity": 1}]},
        headers={"Authorization": f"Bearer {pharmacy}"},
    )
    assert delivered.status_code == 200


def test_each_prescription_was_written_through_the_operation(app, demo):
    """Its eligibility inquiry logged by its doctor at the moment it was written, on its day in
    Tehran, and its outbox event: what `records.writing.write_prescription` leaves."""
    with app.app_context():
        prescriptions = db.session.scalar(select(func.count()).select_from(Prescription))
        inquired = db.session.execute(
            select(Prescription.written_on, Prescription.created_at)
            .join(Inquiry, Inquiry.tracking_code == Prescription.tracking_code)
            .where(
                Inquiry.provider_id == Prescription.provider_id,
                Inquiry.channel == "provider",
                Inquiry.asked_at == Prescription.created_at,
            )
        ).all()
        told = db.session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.kind == "prescription_written")
        )
    assert len(inquired) == prescriptions == told
    assert all(clock.as_tehran(at).date() == day for day, at in inquired)


def test_deliveries_follow_their_prescription_and_are_logged_as_the_api_would(app, demo):
    with app.app_context():
        early = db.session.scalar(
            select(func.count())
            .select_from(Dispensing)
            .join(PrescriptionItem, PrescriptionItem.id == Dispensing.item_id)
            .join(Prescription, Prescription.id == PrescriptionItem.prescription_id)
            .where(Dispensing.at <= Prescription.created_at)
        )
        deliveries = db.session.scalar(select(func.count()).select_from(Dispensing))
    assert deliveries > 0 and early == 0


def test_a_chronic_drug_written_again_carries_the_doctors_reason(app, demo):
    """The interaction check refuses a duplicate without a reason, so the demo doctor gives one."""
    with app.app_context():
        reasons = set(db.session.scalars(select(InteractionAcknowledgement.reason).distinct()))
    assert reasons == {REASON}


def test_a_large_registry_gets_histories_for_a_bounded_number_of_people(app, runner, monkeypatch):
    """A benchmark's registry of millions gets MAX_HISTORIES random histories, not a fifth of
    everyone (each is written through the operations); the featured people keep theirs."""
    from server.demo import records as demo_records

    defaults = dict(demo_records.write_demo_records.__kwdefaults__, max_histories=5)
    monkeypatch.setattr(demo_records.write_demo_records, "__kwdefaults__", defaults)
    assert runner.invoke(args=["darman", "catalogue", "import"]).exit_code == 0
    result = runner.invoke(args=["darman", "demo", "--people", "400"])
    assert result.exit_code == 0, result.output
    patients = scalar(app, select(func.count(func.distinct(Prescription.person_id))))
    featured = 6  # the full histories of the featured cases the demo prints
    assert 5 < patients <= 5 + featured


def test_the_demo_history_is_priced_and_sso_pays_its_share(app, demo):
    with app.app_context():
        rules = dict(
            db.session.execute(
                select(ClaimLine.rule, func.sum(ClaimLine.sso_share)).group_by(ClaimLine.rule)
            ).all()
        )
    assert "no_tariff" not in rules  # the demo prices hold since before its history
    assert rules["outpatient"] > 0  # contracted centres: SSO's 70 %
    assert rules.get("not_contracted_visit", 0) == 0  # the orthopaedist has no contract
