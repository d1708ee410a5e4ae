"""What the worker does with each answer of a push service: 201, 404/410, 429, 5xx, and a day of
failures; and what it sends: under 3 KB, only to signed-in devices."""

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from families import INSURED, INSURED_MOBILE
from inboxes import inbox
from sqlalchemy import select

from server import clock as server_clock
from server.extensions import db
from server.models import OutboxEvent, Person, PushDelivery, PushSubscription
from server.notify.sender import payload


def tell(app, center: str = "مطب دکتر احمدی", prescription_id: int = 7) -> None:
    """An outbox row for Ali (a prescription written under his code)."""
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        new = {"prescription_id": prescription_id, "center": center, "at": "2026-11-22T10:00"}
        db.session.add(
            OutboxEvent(
                kind="prescription_written",
                person_id=person_id,
                new=new,
                created_at=server_clock.now(),
            )
        )
        db.session.commit()


def deliveries(app) -> list[tuple[str, int]]:
    """(status, attempts) of every push."""
    with app.app_context():
        rows = db.session.execute(
            select(PushDelivery.status, PushDelivery.attempts).order_by(PushDelivery.id)
        )
        return [tuple(row) for row in rows]


def next_attempt(app):
    """When the only push is tried next."""
    with app.app_context():
        return server_clock.as_utc(db.session.scalar(select(PushDelivery.next_attempt_at)))


def subscriptions(app) -> list[str]:
    """The endpoints still subscribed."""
    with app.app_context():
        return db.session.scalars(select(PushSubscription.endpoint)).all()


@pytest.fixture
def phone(family, subscribe):
    """Ali's phone, subscribed."""
    return subscribe(INSURED, INSURED_MOBILE)


@pytest.mark.parametrize("status", [410, 404])
def test_a_gone_subscription_is_deleted_and_the_notice_kept(
    app, family, subscribe, push_service, worker, status
):
    phone, laptop = subscribe(INSURED, INSURED_MOBILE), subscribe(INSURED, INSURED_MOBILE)
    push_service.answer(phone, status)
    tell(app)
    assert "1 subscriptions gone" in worker()
    tried = [r.token for r in push_service.receipts].count(phone.token)
    assert subscriptions(app) == [laptop.endpoint]
    assert [p["kind"] for p in push_service.payloads(laptop)] == ["prescription_written"]
    # The laptop's sign-in was told to the phone (whose push was gone), not to the laptop.
    assert [kind for kind, _, _ in inbox(app, INSURED)] == ["sign_in", "prescription_written"]

    tell(app, prescription_id=8)
    worker()
    assert [r.token for r in push_service.receipts].count(phone.token) == tried  # never again


def test_a_429_waits_for_retry_after(app, phone, push_service, worker, clock):
    push_service.answer(phone, (429, {"Retry-After": "120"}))
    tell(app)
    worker()
    assert deliveries(app) == [("pending", 1)]
    assert next_attempt(app) == clock.now + timedelta(seconds=120)

    clock.move(seconds=119)
    worker()
    assert len(push_service.receipts) == 1  # not asked again before its time
    clock.move(seconds=2)
    worker()
    assert deliveries(app) == [("sent", 2)]
    assert [r.status for r in push_service.receipts] == [429, 201]


def test_a_429_with_a_date(app, phone, push_service, worker, clock):
    in_five_minutes = format_datetime(datetime.now(tz=UTC) + timedelta(minutes=5), usegmt=True)
    push_service.answer(phone, (429, {"Retry-After": in_five_minutes}))
    tell(app)
    worker()
    assert deliveries(app) == [("pending", 1)]
    wait = next_attempt(app) - clock.now
    assert timedelta(minutes=4) <= wait <= timedelta(minutes=5)


def test_a_5xx_backs_off_with_jitter_then_sends(app, phone, push_service, worker, clock):
    push_service.answer(phone, 500, 503)
    tell(app)
    worker()
    first = next_attempt(app) - clock.now
    assert timedelta(seconds=15) <= first <= timedelta(seconds=30)
    clock.move(seconds=31)
    worker()
    second = next_attempt(app) - clock.now
    assert timedelta(seconds=30) <= second <= timedelta(seconds=60)  # doubled
    clock.move(seconds=61)
    worker()
    assert deliveries(app) == [("sent", 3)]
    assert [r.status for r in push_service.receipts] == [500, 503, 201]


def test_a_push_still_failing_after_a_day_is_given_up(app, phone, push_service, worker, clock):
    push_service.answer(phone, *[500] * 5)
    tell(app)
    worker()
    clock.move(hours=23)
    worker()
    assert deliveries(app) == [("pending", 2)]
    clock.move(hours=2)
    assert "1 failed" in worker()
    assert deliveries(app) == [("failed", 3)]
    clock.move(hours=2)
    worker()
    assert len(push_service.receipts) == 3
    assert [kind for kind, _, _ in inbox(app, INSURED)] == ["prescription_written"]


def test_a_network_error_is_retried(app, phone, push_service, worker, clock):
    with app.app_context():
        row = db.session.scalars(select(PushSubscription)).one()
        row.endpoint = "http://127.0.0.1:9/push/nobody"  # the discard port: refused
        db.session.commit()
    tell(app)
    worker()
    assert deliveries(app) == [("pending", 1)]
    assert next_attempt(app) > clock.now


def test_the_payload_stays_under_3_kb(app, phone, push_service, worker):
    tell(app, center="مرکز " * 800)
    worker()
    (payload_,) = push_service.payloads(phone)
    assert set(payload_) == {"title", "body", "url", "kind", "id"}
    # a provider's name is cut to 200 characters; the sentence around it stays whole
    assert payload_["body"] == (
        f"نسخه‌ای به نام شما در {('مرکز ' * 40)[:200]} ثبت شد. اگر شما نبودید، با ۱۴۲۰ تماس بگیرید."
    )
    # (the service itself notes any payload of 3,000 bytes or more as a problem)


def test_any_payload_is_cut_to_3_kb():
    data = payload(1, "record_read", "عنوان", "متن " * 2000, "/#/records/access-log")
    assert len(data) <= 3000
    assert json.loads(data)["body"].endswith("…")


def test_a_signed_out_device_gets_no_push(app, phone, push_service, worker):
    assert phone.client.post("/api/auth/logout").status_code == 200
    tell(app)
    worker()
    assert push_service.receipts == []
    assert len(inbox(app, INSURED)) == 1


def test_unknown_outbox_kinds_are_left_for_their_own_consumer(app, phone, worker):
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        db.session.add(
            OutboxEvent(kind="something_else", person_id=person_id, created_at=server_clock.now())
        )
        db.session.commit()
    worker()
    with app.app_context():
        assert db.session.scalar(select(OutboxEvent.status)) == "pending"


def test_an_unreadable_outbox_row_is_set_aside_and_the_rest_goes_on(app, phone, worker):
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        db.session.add(
            OutboxEvent(
                kind="coverage_ending",
                person_id=person_id,
                new={"valid_until": "the 30th", "days_left": 3},
                created_at=server_clock.now(),
            )
        )
        db.session.commit()
    tell(app)
    worker()
    with app.app_context():
        statuses = db.session.scalars(select(OutboxEvent.status).order_by(OutboxEvent.id)).all()
    assert statuses == ["failed", "done"]
    assert [kind for kind, _, _ in inbox(app, INSURED)] == ["prescription_written"]
