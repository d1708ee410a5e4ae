"""Engine set-up: SQLite pragmas and write transactions that take the lock at BEGIN."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout and `BEGIN IMMEDIATE`, so concurrent gunicorn workers wait, not fail.

    pysqlite's own transaction handling is switched off (isolation_level None) so that SQLAlchemy
    emits the BEGIN itself; IMMEDIATE takes the write lock up front, which avoids the deadlock of
    two readers both upgrading to writers. A transaction that only reads may ask for a plain
    BEGIN with `read_only_transaction()`, so that it does not hold the write lock.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql(
            connection.get_execution_options().get(_BEGIN, "BEGIN IMMEDIATE")
        )


_BEGIN = "darman_sqlite_begin"


def read_only_transaction(session) -> None:
    """Start the session's next transaction as a read: on SQLite without the write lock."""
    if not session.in_transaction():
        session.connection(execution_options={_BEGIN: "BEGIN"})
