"""The hot path's prepared connection (`server/prepared.py`): what it writes reads back as
SQLAlchemy wrote it; a statement's own literals are sent; no row is None; the DBAPI's errors
come out as SQLAlchemy's; each thread keeps one connection between blocks, rolls back what a
block left open, and lets go of it after an error or when the engine changes; a connection
the database dropped is replaced. SQLite's writers queue (`database.WritersQueue`) holds a
second writer of the hot path until the first has committed."""

import fcntl
import os
import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Integer, bindparam, func, insert, literal, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from server import inquiries
from server.database import WritersQueue
from server.errors import is_lock_timeout
from server.extensions import db
from server.models import RateLimitHit
from server.prepared import prepared_connection

AT = datetime(2026, 12, 6, 21, 30, 15, 123456, tzinfo=UTC)
_INSERT_HIT = insert(RateLimitHit).values(key=bindparam("key"), at=bindparam("at"))
_SUM = select((literal(41) + bindparam("n", type_=Integer)).label("total"))
_HIT = select(RateLimitHit.key, RateLimitHit.at).where(RateLimitHit.key == bindparam("key"))


def hits(app) -> list[str]:
    """The committed hits' keys, read on the app's own session (another connection)."""
    with app.app_context():
        keys = db.session.scalars(select(RateLimitHit.key).order_by(RateLimitHit.key)).all()
        db.session.rollback()
        return keys


def test_what_it_writes_reads_back_as_sqlalchemy_wrote_it(app):
    with app.app_context():
        with prepared_connection(inquiries.log_engine()) as connection:
            connection.execute(_INSERT_HIT, {"key": "a", "at": AT})
            connection.commit()
        at = db.session.scalar(select(RateLimitHit.at).where(RateLimitHit.key == "a"))
        # and a row SQLAlchemy wrote is found by a prepared statement's converted value
        db.session.execute(insert(RateLimitHit).values(key="b", at=AT))
        db.session.commit()
        with prepared_connection(inquiries.log_engine()) as connection:
            found = connection.execute(
                select(RateLimitHit.key).where(RateLimitHit.at == bindparam("at")), {"at": AT}
            ).first()
    assert at.replace(tzinfo=UTC) == AT
    assert found.key == "a"  # both rows have the time; the first written comes first


def test_a_statements_own_literals_are_sent_and_no_row_is_none(app):
    with app.app_context(), prepared_connection(inquiries.log_engine()) as connection:
        assert connection.execute(_SUM, {"n": 1}).first().total == 42
        assert connection.execute(_HIT, {"key": "nobody"}).first() is None


def test_an_error_comes_out_as_sqlalchemys_and_the_block_lets_go(app):
    with app.app_context():
        with prepared_connection(inquiries.log_engine()) as connection:
            connection.execute(_INSERT_HIT, {"key": "a", "at": AT})
            connection.commit()
        with (
            pytest.raises(IntegrityError),  # the DBAPI's error, as SQLAlchemy's
            prepared_connection(inquiries.log_engine()) as failed,
        ):
            failed.execute(_INSERT_HIT, {"key": "b", "at": AT})
            failed.execute(_INSERT_HIT, {"key": None, "at": AT})  # a key is required
        with prepared_connection(inquiries.log_engine()) as next_one:
            assert next_one.execute(_SUM, {"n": 1}).first().total == 42
    assert failed.closed and next_one is not failed
    assert connection is failed  # the thread's kept connection, until the error
    if _engine(app).dialect.name == "sqlite":
        assert hits(app) == ["a"]  # the failed block's first write was rolled back
    else:  # PostgreSQL's hot path runs in autocommit: each statement stands alone
        assert hits(app) == ["a", "b"]


class Refusal(Exception):
    """What a block raises that is not the database's (a full bucket, a bad token)."""


@pytest.mark.sqlite  # PostgreSQL's hot path runs in autocommit: nothing is left open
def test_a_refused_block_is_rolled_back_and_the_connection_kept(app):
    with app.app_context():
        with (
            pytest.raises(Refusal),
            prepared_connection(inquiries.log_engine()) as connection,
        ):
            connection.execute(_INSERT_HIT, {"key": "refused", "at": AT})
            raise Refusal
        with prepared_connection(inquiries.log_engine()) as again:
            assert again.execute(_HIT, {"key": "refused"}).first() is None
    assert again is connection and not connection.closed
    assert hits(app) == []
    assert _queue_is_free(WritersQueue.of(_engine(app)))


@pytest.mark.sqlite  # PostgreSQL's hot path runs in autocommit: nothing is left open
def test_a_block_left_open_is_rolled_back_and_the_connection_kept(app):
    with app.app_context():
        with prepared_connection(inquiries.log_engine()) as connection:
            connection.execute(_INSERT_HIT, {"key": "left", "at": AT})  # never committed
        with prepared_connection(inquiries.log_engine()) as again:
            assert again.execute(_HIT, {"key": "left"}).first() is None
    assert again is connection and not connection.closed
    assert hits(app) == []


def test_a_new_engine_gets_a_new_connection_and_the_old_is_given_back(app):
    with app.app_context():
        with prepared_connection(inquiries.log_engine()) as first:
            pass
        engine = inquiries.log_engine()
        other = engine.execution_options()  # another Engine object on the same pool
        with prepared_connection(other) as second:
            assert second.execute(_SUM, {"n": 0}).first().total == 41
    assert second is not first and first.closed


@pytest.mark.sqlite  # SQLite's write lock
def test_a_busy_database_is_sqlalchemys_operational_error(app, database_url, monkeypatch):
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process mid-write
    try:
        with app.app_context(), prepared_connection(inquiries.log_engine()) as connection:
            connection._dbapi.execute("PRAGMA busy_timeout=50")
            with pytest.raises(OperationalError) as raised:
                connection.execute(_INSERT_HIT, {"key": "a", "at": AT})
            connection._dbapi.execute("PRAGMA busy_timeout=5000")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert is_lock_timeout(raised.value)  # answered 503, as the engine's own errors
    assert _queue_is_free(WritersQueue.of(_engine(app)))  # the failed writer left the queue


def _engine(app):
    """The app's engine."""
    with app.app_context():
        return db.engine


def _queue_is_free(queue: WritersQueue) -> bool:
    """True when nobody (in any process) holds the writers' queue."""
    descriptor = os.open(queue.path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


class OtherProcess:
    """The writers' queue held as another process holds it: its own open file, locked."""

    def __init__(self, queue: WritersQueue):
        self._descriptor = os.open(queue.path, os.O_RDWR)
        fcntl.flock(self._descriptor, fcntl.LOCK_EX)

    def leave(self) -> None:
        """Let go of the queue."""
        fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        os.close(self._descriptor)


def _in_a_thread(work) -> threading.Event:
    """Run `work` in a thread; the event is set once it has returned."""
    done = threading.Event()

    def run():
        work()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done


@pytest.mark.sqlite
def test_the_hot_path_waits_in_the_writers_queue(app):
    queue = WritersQueue.of(_engine(app))
    other = OtherProcess(queue)

    def write():
        with app.app_context(), prepared_connection(inquiries.log_engine()) as connection:
            connection.execute(_INSERT_HIT, {"key": "queued", "at": AT})
            connection.commit()

    done = _in_a_thread(write)
    try:
        assert not done.wait(0.3)  # held by the other writer: waiting, nothing written
        assert hits(app) == []
    finally:
        other.leave()
    assert done.wait(10)
    assert hits(app) == ["queued"]
    assert _queue_is_free(queue)


def test_other_databases_have_no_writers_queue(app):
    engine = _engine(app)
    assert (WritersQueue.of(engine) is None) is (engine.dialect.name != "sqlite")


@pytest.mark.postgresql
def test_a_connection_the_database_dropped_is_replaced(app):
    with app.app_context():
        with prepared_connection(inquiries.log_engine()) as connection:
            backend = connection.execute(select(func.pg_backend_pid().label("pid")), {}).first()
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend.pid})
        db.session.rollback()
        with (
            pytest.raises(OperationalError),
            prepared_connection(inquiries.log_engine()) as dropped,
        ):
            dropped.execute(_SUM, {"n": 1})
        with prepared_connection(inquiries.log_engine()) as fresh:
            assert fresh.execute(_SUM, {"n": 1}).first().total == 42
    assert dropped is connection and dropped.closed and fresh is not dropped
