"""Accounts for the demo people, so that `make run`'s worker puts their notices in the app.

A real person's account is made at their first sign-in, and notices of what happened before it
are not kept for them. The demo registers its sample people up front instead, and tells each of
them of their latest prescription as the service would have when it was written, so whoever
tries one of them finds notices waiting in the inbox.
"""

import secrets
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..models import Account, OutboxEvent, Person, Prescription, Provider


def register_sample_people(session: Session, samples: dict[str, dict[str, str]]) -> int:
    """Make an account for every sample person who has a mobile and none yet; how many."""
    codes = {sample["national_code"] for sample in samples.values() if sample.get("mobile")}
    people = session.scalars(
        select(Person.id)
        .where(Person.national_code.in_(codes))
        .where(~Person.id.in_(select(Account.person_id)))
    ).all()
    now = clock.now()
    for person_id in people:
        handle = secrets.token_bytes(32)
        session.add(Account(person_id=person_id, user_handle=handle, created_at=now))
        _announce_latest_prescription(session, person_id, now)
    session.commit()
    return len(people)


def _announce_latest_prescription(session: Session, person_id: int, now: datetime) -> None:
    """The outbox event a prescription's writing makes, for the person's latest one (if any)."""
    latest = session.execute(
        select(Prescription.id, Prescription.written_on, Provider.name)
        .join(Provider, Provider.id == Prescription.provider_id)
        .where(Prescription.person_id == person_id)
        .order_by(Prescription.written_on.desc(), Prescription.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return
    at = clock.as_tehran(datetime.combine(latest.written_on, time(10, 0), tzinfo=clock.TEHRAN))
    new = {"prescription_id": latest.id, "center": latest.name, "at": at.isoformat()}
    session.add(
        OutboxEvent(
            kind="prescription_written", person_id=person_id, old=None, new=new, created_at=now
        )
    )
