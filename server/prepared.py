"""The inquiry hot path's connection: Core statements compiled once per dialect and run on the
DBAPI connection, past SQLAlchemy's per-execution work (execution context, events, result
processing: ~40 µs a statement, more than SQLite's own time for a keyed read).

A `PreparedConnection` is a connection of the engine's pool (returned to it by `close()`) that
answers `execute(statement, params).first()` and `commit()` as SQLAlchemy's `Connection` does,
so that the same statement-running functions (`rate_limits.take`, `providers.lookup`) serve
both. What it leaves out, it does itself: on SQLite the first statement that writes waits in
the writers' queue (`database.WritersQueue`) and opens `BEGIN IMMEDIATE` (as
`database.configure_sqlite` does for the engine), and the DBAPI's errors come out wrapped as
SQLAlchemy's (a busy lock is still a 503); a connection the database has dropped is
invalidated, not returned to the pool.
Values are converted as SQLAlchemy would (dates and times are stored as text on SQLite); rows
come back as the driver gives them, so the statements return plain numbers and flags
(booleans are 0/1 on SQLite).
"""

import os
import threading
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

from .database import WritersQueue


@dataclass
class _Compiled:
    """One statement as one dialect's driver takes it."""

    sql: str
    positions: tuple[str, ...] | None  # the parameters' order (SQLite's `?`), else named
    fixed: dict[str, Any]  # the values the statement carries itself (literals)
    processors: dict[str, Callable[[Any], Any]]  # the dialect's conversions of values
    writes: bool
    row_type: type | None = None  # a named tuple of its result's columns, once seen

    def values(self, params: dict[str, Any]) -> list | dict:
        """The values as the driver takes them: converted, and in order for `?`."""
        values = {**self.fixed, **params}
        for name, processor in self.processors.items():
            values[name] = processor(values[name])
        if self.positions is None:
            return values
        return [values[name] for name in self.positions]

    def row(self, cursor):
        """The cursor's first row with its columns as attributes, or None."""
        if cursor.description is None:
            return None
        found = cursor.fetchone()
        if found is None:
            return None
        if self.row_type is None:
            names = [column[0] for column in cursor.description]
            self.row_type = namedtuple("Row", names, rename=True)  # noqa: PYI024
        return self.row_type._make(found)


def _compile(statement: ClauseElement, dialect) -> _Compiled:
    """Compile once: the SQL text, the order of its parameters and how to convert each."""
    compiled = statement.compile(dialect=dialect)
    defaults = compiled.params  # every parameter; None for those the caller must give
    processors = {}
    for name in defaults:
        processor = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors[name] = processor
    return _Compiled(
        sql=compiled.string,
        positions=tuple(compiled.positiontup) if compiled.positional else None,
        fixed={name: value for name, value in defaults.items() if value is not None},
        processors=processors,
        writes=bool(compiled.isinsert or compiled.isupdate or compiled.isdelete),
    )


_cache: dict[tuple[int, str], tuple[ClauseElement, _Compiled]] = {}


def compiled_for(statement: ClauseElement, dialect) -> _Compiled:
    """The statement compiled for the dialect, once (statements are built once, at import)."""
    key = (id(statement), dialect.name)
    cached = _cache.get(key)
    if cached is None or cached[0] is not statement:  # an id reused by a newer statement
        cached = _cache[key] = (statement, _compile(statement, dialect))
    return cached[1]


class _Result:
    """What `execute` returns: its first row, as SQLAlchemy's `Result.first()` would."""

    __slots__ = ("_row",)

    def __init__(self, row):
        self._row = row

    def first(self):
        """The first row (attributes by column name), or None."""
        return self._row


class PreparedConnection:
    """A pooled DBAPI connection that runs compiled statements (see the module)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.pid = os.getpid()
        self.dialect = engine.dialect
        self.closed = False
        self._error = self.dialect.loaded_dbapi.Error
        try:
            self._fairy = engine.raw_connection()
        except self._error as error:  # as `engine.connect()` would raise it (no primary: 503)
            raise DBAPIError.instance(None, None, error, self._error) from error
        self._dbapi = self._fairy.driver_connection
        self._queue = WritersQueue.of(engine)  # None but for an SQLite file
        self._queued: WritersQueue | None = None

    def execute(self, statement: ClauseElement, params: dict[str, Any]) -> _Result:
        """Run the statement with these values; its first row is `.first()`."""
        compiled = compiled_for(statement, self.dialect)
        values = compiled.values(params)
        try:
            if self._queue is not None and compiled.writes and not self._dbapi.in_transaction:
                self._queue.join()
                self._queued = self._queue
                self._dbapi.execute("BEGIN IMMEDIATE")  # the write lock, at the first write
            return _Result(compiled.row(self._dbapi.execute(compiled.sql, values)))
        except self._error as error:
            raise self._wrapped(error, compiled.sql, values) from error

    def commit(self) -> None:
        """Commit what the transaction wrote (nothing to do in autocommit)."""
        try:
            self._dbapi.commit()
        except self._error as error:  # still in the transaction: `close()` rolls back
            raise self._wrapped(error, "COMMIT", None) from error
        self._leave_queue()

    def end(self) -> None:
        """Roll back what was left uncommitted (as the pool's reset would), keeping the
        connection for the thread's next block."""
        if self._queue is not None and self._dbapi.in_transaction:
            try:
                self._dbapi.rollback()
            except self._error as error:
                raise self._wrapped(error, "ROLLBACK", None) from error
        self._leave_queue()

    def close(self) -> None:
        """Return the connection to the pool (which rolls back what was left uncommitted)."""
        try:
            self._fairy.close()
        finally:
            self._leave_queue()
            self.closed = True

    def _leave_queue(self) -> None:
        """Once the transaction has ended, let the next writer in."""
        if self._queued is not None:
            queued, self._queued = self._queued, None
            queued.leave()

    def _wrapped(self, error: Exception, sql: str, values) -> DBAPIError:
        """The DBAPI's error as SQLAlchemy's; a dropped connection is invalidated, so that the
        pool makes a new one."""
        dropped = self.dialect.is_disconnect(error, self._fairy, None)
        if dropped:
            self._fairy.invalidate(error)
        return DBAPIError.instance(sql, values, error, self._error, connection_invalidated=dropped)


_held = threading.local()  # each thread's prepared connection, kept between requests
_inherited: list[PreparedConnection] = []  # a parent process's, never used nor closed here


def _let_go(connection: PreparedConnection | None) -> None:
    """Give back a held connection that is not to be used any more: to its pool when it is
    this process's, else keep it untouched (closing a parent's would close its socket)."""
    if connection is None:
        return
    if connection.pid != os.getpid():
        _inherited.append(connection)
    elif not connection.closed:
        connection.close()


@contextmanager
def prepared_connection(engine: Engine) -> Iterator[PreparedConnection]:
    """The thread's `PreparedConnection` of this engine for the length of the block: kept
    checked out between blocks (a pool's checkout and reset cost more than SQLite's keyed
    read), ended cleanly after each (also after a refusal), given back to the pool after a
    database error, and replaced when the engine or the process changes."""
    connection = getattr(_held, "connection", None)
    if connection is None or connection.engine is not engine or connection.pid != os.getpid():
        _let_go(connection)
        connection = _held.connection = PreparedConnection(engine)
    try:
        yield connection
        connection.end()
    except BaseException as error:
        # A refusal (a full bucket, a bad token) keeps the connection, rolled back; after a
        # database error the pool checks (or replaces) it.
        if isinstance(error, DBAPIError) or not _ended(connection):
            _held.connection = None
            connection.close()
        raise


def _ended(connection: PreparedConnection) -> bool:
    """End the connection's transaction; False when the database failed to."""
    try:
        connection.end()
    except DBAPIError:
        return False
    return True


# Either kind of connection runs `execute(statement, params).first()` for the functions that
# serve both (`rate_limits.take`, `providers.lookup`).
AnyConnection = Connection | PreparedConnection
