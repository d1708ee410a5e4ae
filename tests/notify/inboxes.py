"""The outbox rows the tests write, and what the worker made of them: inboxes, pending rows."""

from families import INSURED
from sqlalchemy import func, select

from server import clock
from server.extensions import db
from server.models import Account, Notification, OutboxEvent, Person, PushSubscription


def inbox(app, national_code: str) -> list[tuple[str, str, str]]:
    """(kind, body, url) of a person's notices, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            select(Notification.kind, Notification.body, Notification.url)
            .join(Account, Account.id == Notification.account_id)
            .join(Person, Person.id == Account.person_id)
            .where(Person.national_code == national_code)
            .order_by(Notification.id)
        )
        return [tuple(row) for row in rows]


def pending_outbox(app) -> int:
    """Outbox rows not yet turned into notices."""
    with app.app_context():
        rows = db.session.scalars(select(OutboxEvent.id).where(OutboxEvent.status == "pending"))
        return len(rows.all())


def write_outbox(app, count: int) -> None:
    """`count` prescriptions written under Ali's code, as outbox rows."""
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        db.session.add_all(
            OutboxEvent(
                kind="prescription_written",
                person_id=person_id,
                new={"prescription_id": n, "center": "مطب نمونه", "at": "2026-11-22T10:00"},
                created_at=clock.now(),
            )
            for n in range(1, count + 1)
        )
        db.session.commit()


def add_notices(app, national_code: str, count: int) -> list[int]:
    """Write `count` notices straight into a person's inbox; their ids."""
    with app.app_context():
        account_id = db.session.scalar(
            select(Account.id).join(Person).where(Person.national_code == national_code)
        )
        rows = [
            Notification(
                account_id=account_id,
                kind="coverage_gained",
                title=f"title {n}",
                body=f"body {n}",
                url="/#/home",
                dedup_key=f"test:{n}",
                created_at=clock.now(),
            )
            for n in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def count_subscriptions(app) -> int:
    """How many push subscriptions are stored."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PushSubscription))
