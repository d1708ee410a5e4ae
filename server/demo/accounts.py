"""Accounts for the demo people, so that `make run`'s worker puts their notices in the app.

A real person's account is made at their first sign-in, and notices of what happened before it
are not kept for them. The demo registers its sample people up front instead, before the worker
first runs, so the outbox events their history's writing left (`demo/records.py` writes through
the record's operations) reach them: whoever tries one of them finds notices in the inbox.
"""

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..models import Account, Person


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
    session.commit()  # a step of the demo command (a CLI job): its own boundary
    return len(people)
