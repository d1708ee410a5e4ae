"""SQLite's write lock is taken at a request's first write, not at its first read: reads run in
no transaction; a write, a `SELECT … FOR UPDATE` or a rate-limit check opens `BEGIN IMMEDIATE`."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from server.auth import rate_limits
from server.extensions import db
from server.models import OutboxEvent, Person, RateLimitHit

pytestmark = pytest.mark.sqlite  # SQLite's locking


@pytest.fixture
def sqlite_session(app, database_url):
    """The app's session on SQLite, and a function telling whether SQLite is in a transaction."""
    with app.app_context():

        def in_transaction() -> bool:
            return db.session.connection().connection.driver_connection.in_transaction

        yield db.session, in_transaction
        db.session.rollback()


def test_a_read_opens_no_transaction(sqlite_session):
    session, in_transaction = sqlite_session
    session.execute(select(Person.id)).all()
    assert not in_transaction()


def test_the_first_write_takes_the_lock(sqlite_session):
    session, in_transaction = sqlite_session
    session.execute(select(Person.id)).all()
    session.execute(insert(RateLimitHit).values(key="k", at=rate_limits.clock.now()))
    assert in_transaction()
    session.rollback()
    assert not in_transaction()
    assert session.execute(select(RateLimitHit)).first() is None


def test_select_for_update_takes_the_lock(sqlite_session):
    session, in_transaction = sqlite_session
    session.execute(select(OutboxEvent).with_for_update()).all()
    assert in_transaction()


def test_a_rate_limit_check_is_serialised_with_its_write(sqlite_session):
    session, in_transaction = sqlite_session
    limit = rate_limits.Limit("sms:0912", 5, timedelta(hours=1))
    assert rate_limits.exceeded([limit]) is None
    assert in_transaction()  # held until the caller records the hit and commits
