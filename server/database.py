"""Engine set-up: SQLite pragmas, a write lock taken only at the first write, short transactions.

On SQLite a transaction that reads and later writes cannot always be upgraded (another writer
may have committed in between: `SQLITE_BUSY_SNAPSHOT`, which no busy timeout cures), and a
`BEGIN IMMEDIATE` at every request's start makes readers queue behind an import. So a
connection starts no transaction for reads: each `SELECT` sees the latest commit, as every
statement does on PostgreSQL's READ COMMITTED, which the code must already be right under. The
first statement that writes opens `BEGIN IMMEDIATE` (waiting out the busy timeout), and from
there the transaction holds the lock until commit; so does a `SELECT … FOR UPDATE`, and
`lock_for_write()` takes it where a check must be serialised with its write (rate limits).
`read_transaction()` asks for one consistent snapshot (a plain `BEGIN`).

One unit of work per request (`server/web/unit_of_work.py`): operations change data and flush;
the request commits once when it succeeds and rolls back otherwise, and a request that wrote
nothing commits nothing (each connection notes whether its transaction wrote: `wrote()`).
`commit_now()` is the one way for an operation to make a write stick before the request ends.
"""

import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

_BEGIN = "darman_sqlite_begin"
_READS = ("SELECT", "PRAGMA")  # anything else may write, so it takes the lock first
_BEGINS = ("BEGIN",)  # an explicit BEGIN (above) is not a write
_WROTE = "darman_wrote"  # in a connection's info: its transaction has written
_AFTER_COMMIT = "darman_after_commit"  # in a session's info: actions for after its commit
_KEEP = "darman_keep"  # in a session's info: writes to do again, alone, if the request fails
_AFTER_ROLLBACK = "darman_after_rollback"  # in a session's info: undoing outside the database
_FINDABLE = "darman_findable"  # in a session's info: a second run finds what its commit kept
# SQLSTATEs of a server that is going away or not (yet) the primary: class 08 (connection
# exceptions), 57P01–57P03 (shut down by an operator, crashed, not accepting connections yet), and
# 25006 (a read-only transaction: a standby, or a primary being demoted or promoted).
_MOVING_STATES = ("57P01", "57P02", "57P03", "25006")


def is_database_moving(error: DBAPIError) -> bool:
    """True when PostgreSQL is unreachable, going away or read-only: the primary was lost or is
    being switched over, and a new one takes its place within the failover window (not a
    fault). A connection the driver found dropped counts, whatever the error said."""
    if error.connection_invalidated:
        return True
    original = error.orig
    if isinstance(original, psycopg.InterfaceError):  # the connection is closed
        return True
    if not isinstance(original, psycopg.Error):
        return False
    state = original.sqlstate
    if state is None:  # failed before the server answered: refused, timed out, read-only
        return isinstance(original, psycopg.OperationalError)
    return state.startswith("08") or state in _MOVING_STATES


def note_writes(engine: Engine) -> None:
    """Keep, for each connection, whether its transaction has written (`wrote()`)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note(connection, cursor, statement, parameters, context, executemany):
        if not _is_read(statement) or _locks_rows(context):
            connection.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(connection):
        if not connection.invalidated:  # a dropped one is forgotten at check-in (below)
            connection.info.pop(_WROTE, None)

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, record):
        record.info.pop(_WROTE, None)


def wrote(session: Session) -> bool:
    """True when the session's open transaction has written something (flushing it first)."""
    if not session.in_transaction():
        return False
    session.flush()
    return bool(session.connection().info.get(_WROTE))


def commit_now(session: Session) -> None:
    """Commit at once what must stick even when the request then fails: a counted wrong try,
    a rate-limit hit, a spent one-time challenge. The only commit an operation may make; the
    request's unit of work commits everything else once, at its end."""
    session.commit()
    session.info.pop(_AFTER_ROLLBACK, None)  # what they undo is committed now


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Do `action` once the request's unit of work has committed (an SMS that tells of what is
    stored); forgotten when it rolls back."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def after_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Do `undo` if the request's unit of work rolls back (a file written for a row that is
    not kept: a registration's document whose final commit fails); forgotten once it commits.
    Any rollback of the transaction does it, not only the unit of work's
    (`undo_when_rolled_back`)."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(undo)


def undo_when_rolled_back() -> None:
    """Make every session's rollback do what `after_rollback` asked, and its commit forget it,
    whoever ends the transaction (a handler's own rollback, a command's); a savepoint's rollback
    leaves them to the transaction around it."""
    if not event.contains(Session, "after_soft_rollback", _undo_after_rollback):
        event.listen(Session, "after_soft_rollback", _undo_after_rollback)
        event.listen(Session, "after_commit", _forget_undo)


def _undo_after_rollback(session: Session, previous_transaction) -> None:
    """Undo outside the database what the rolled-back transaction asked (not a savepoint's)."""
    if previous_transaction.nested or previous_transaction.parent is not None:
        return
    for action in session.info.pop(_AFTER_ROLLBACK, []):
        action()


def _forget_undo(session: Session) -> None:
    """The transaction is committed: what it wrote outside the database stays."""
    session.info.pop(_AFTER_ROLLBACK, None)


def commit_and_follow(session: Session) -> None:
    """Commit what the transaction wrote (a read-only one ends without a commit), then do what
    `after_commit` put off: the unit of work's end. Should the commit fail, the request's
    failure rolls back (`roll_back`), and what `after_rollback` asked is undone then."""
    session.info.pop(_KEEP, None)  # committed with the rest
    session.info.pop(_FINDABLE, None)
    if wrote(session):
        session.commit()
    else:
        session.rollback()
    session.info.pop(_AFTER_ROLLBACK, None)
    for action in session.info.pop(_AFTER_COMMIT, []):
        action()


def findable_when_run_again(session: Session) -> None:
    """The transaction keeps a row by which the same request, run again, finds that it was
    committed and answers as it did (an `Idempotency-Key`'s answer): should its commit fail while
    the database moves, whether the commit reached the new primary is not lost, and the unit of
    work may run the request again (`server/web/unit_of_work.py`)."""
    session.info[_FINDABLE] = True


def is_findable_when_run_again(session: Session) -> bool:
    """Whether `findable_when_run_again` was said of the session's transaction."""
    return bool(session.info.get(_FINDABLE))


def keep_if_failed(session: Session, write: Callable[[Connection], None]) -> None:
    """`write` was done in the request's transaction; should the request fail, do it again on
    its own after the rollback and commit it (a rate-limit count that a refused request must not
    escape). A request that succeeds commits it with the rest: no commit of its own."""
    session.info.setdefault(_KEEP, []).append(write)


def roll_back(session: Session) -> None:
    """Roll back, forget what `after_commit` put off, and redo and commit what
    `keep_if_failed` asked to keep; then undo what `after_rollback` asked (even when the
    rollback itself fails: the rows are not kept either way)."""
    session.info.pop(_AFTER_COMMIT, None)
    session.info.pop(_FINDABLE, None)
    kept = session.info.pop(_KEEP, [])
    undo = session.info.pop(_AFTER_ROLLBACK, [])
    try:
        session.rollback()
    finally:
        for action in undo:
            action()
    if kept:
        connection = session.connection()
        for write in kept:
            write(connection)
        session.commit()


class WritersQueue:
    """The line for SQLite's write lock among the hot path's writers: a blocking lock on a file
    beside the database (and a thread lock, for the threads of one process). A writer that
    waits is woken the moment the one before it commits, instead of polling for the lock in
    SQLite's busy handler, which sleeps 1, 2, 5, 10 … ms between tries (two gunicorn workers
    lost a fifth of their inquiries' throughput to those sleeps). Other writers do not queue
    here: the busy timeout stands between them and the hot path. (The batch jobs' transactions
    queued here too for a while: inquiries during an import then fared worse, p99 531 ms
    against 326 ms at 340 a second, so they do not.)"""

    _opened: dict[tuple[str, int], "WritersQueue"] = {}

    def __init__(self, path: str):
        self.path = path
        self._thread_lock = threading.Lock()
        self._descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    @classmethod
    def of(cls, engine: Engine) -> "WritersQueue | None":
        """The queue of the engine's SQLite file; None for another database (or SQLite in
        memory), which needs none."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return None
        return cls.beside(database)

    @classmethod
    def beside(cls, database: str) -> "WritersQueue":
        """The queue of this database file, opened once by each process (a lock taken with
        `flock` belongs to the open file, which a forked worker would otherwise share)."""
        key = (database, os.getpid())
        if key not in cls._opened:
            cls._opened[key] = cls(f"{database}-writers")
        return cls._opened[key]

    def join(self) -> None:
        """Wait for our turn (blocks until the writer before us has left)."""
        self._thread_lock.acquire()
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def leave(self) -> None:
        """Let the next writer in."""
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


def configure_sqlite(engine: Engine, busy_timeout_ms: int = 5000) -> None:
    """WAL, a busy timeout, and the write lock taken at the first write (see the module)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy and the hooks below run BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        begin = connection.get_execution_options().get(_BEGIN)
        if begin:  # asked for explicitly; otherwise the first write begins (below)
            connection.exec_driver_sql(begin)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(connection, cursor, statement, parameters, context, executemany):
        dbapi_connection = connection.connection.driver_connection
        if dbapi_connection.in_transaction:
            return
        if not _is_read(statement) or _locks_rows(context):
            cursor.execute("BEGIN IMMEDIATE")


def _locks_rows(context) -> bool:
    """True for a `SELECT … FOR UPDATE` (which SQLite does not render): it means to write."""
    compiled = getattr(context, "compiled", None)
    statement = getattr(compiled, "statement", None)
    return getattr(statement, "_for_update_arg", None) is not None


def _is_read(statement: str) -> bool:
    """True for a statement that needs no write lock: a SELECT, a PRAGMA, our own BEGIN."""
    return statement.lstrip(" \n\t(").upper().startswith(_READS + _BEGINS)


def lock_for_write(session: Session) -> None:
    """On SQLite, hold the write lock from now on (reads that follow see no other writer)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.driver_connection
    if not dbapi_connection.in_transaction:
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # as SQLAlchemy wraps it: a busy lock is a 503
            raise OperationalError("BEGIN IMMEDIATE", None, error) from error


def read_only_transaction(session: Session) -> None:
    """Start the session's next transaction as one snapshot: on SQLite a `BEGIN`, no lock."""
    if not session.in_transaction():
        session.connection(execution_options={_BEGIN: "BEGIN"})


@contextmanager
def read_transaction(session: Session) -> Iterator[Connection]:
    """A short snapshot read on the session's connection, ended on exit (it wrote nothing)."""
    _end(session)
    read_only_transaction(session)
    try:
        yield session.connection()
    finally:
        session.rollback()


@contextmanager
def write_transaction(session: Session) -> Iterator[Connection]:
    """A short write transaction, committed on exit and rolled back on an error."""
    _end(session)
    try:
        yield session.connection()
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _end(session: Session) -> None:
    """Commit what the caller left open, so that the next transaction starts fresh."""
    if session.in_transaction():
        session.commit()
