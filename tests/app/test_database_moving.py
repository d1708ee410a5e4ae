"""While PostgreSQL fails over (the primary lost, or switched over), a request is run again
until a primary answers, then 503 with Retry-After — never a 500; a failed commit is never run
again. (`make deploy-check` kills a real primary under load: deploy/check/.)"""

import psycopg
import pytest
from psycopg import errors as pg_errors
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from server import create_app
from server.database import is_database_moving
from server.extensions import db


def wrapped(error: Exception) -> OperationalError:
    """The driver's error as SQLAlchemy raises it."""
    return OperationalError("SELECT 1", None, error)


@pytest.mark.parametrize(
    ("error", "moving"),
    [
        (psycopg.OperationalError("connection failed: session is read-only"), True),
        (pg_errors.AdminShutdown("terminating connection due to administrator command"), True),
        (pg_errors.ReadOnlySqlTransaction("cannot execute INSERT: read-only transaction"), True),
        (pg_errors.ConnectionFailure("connection failure"), True),
        (psycopg.InterfaceError("the connection is closed"), True),
        (pg_errors.LockNotAvailable("could not obtain lock"), False),
        (pg_errors.QueryCanceled("canceling statement due to statement timeout"), False),
    ],
)
def test_what_counts_as_the_database_moving(error, moving):
    assert is_database_moving(wrapped(error)) is moving


@pytest.fixture
def moving_app(tmp_path):
    """An app whose /fails-N view raises the database moving N times, then answers; and whose
    /commit-fails view fails at its commit."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'moving.sqlite3'}",
         "SECRET_KEY": "test", "DARMAN_DATABASE_FAILOVER_WAIT_SECONDS": 1.0}
    )  # fmt: skip
    runs: list[str] = []

    def fails(times: int):
        """Raise while fewer than `times` runs have been made."""
        runs.append("run")
        db.session.execute(text("SELECT 1"))
        if len(runs) <= times:
            raise wrapped(pg_errors.AdminShutdown("terminating connection"))
        return {"runs": len(runs)}

    def commit_fails():
        """Write, then fail at the commit."""
        runs.append("run")
        db.session.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))

        def broken_commit():
            raise wrapped(psycopg.OperationalError("consuming input failed"))

        db.session().commit = broken_commit  # the request's Session, not its proxy
        return {"written": True}

    # GET: no CSRF token to fetch first (the checks are of the unit of work, not the verb)
    app.add_url_rule("/api/fails-once", "once", lambda: fails(1))
    app.add_url_rule("/api/fails-always", "always", lambda: fails(10**6))
    app.add_url_rule("/api/commit-fails", "commit", commit_fails)
    app.runs = runs
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_request_is_run_again_once_a_primary_answers(moving_app):
    answer = moving_app.test_client().get("/api/fails-once")
    assert answer.status_code == 200
    assert answer.get_json() == {"runs": 2}


def test_no_primary_within_the_wait_is_503_with_retry_after(moving_app):
    answer = moving_app.test_client().get("/api/fails-always")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "2"
    assert answer.get_json()["error"] == "database_unavailable"
    assert len(moving_app.runs) > 1


def test_a_failed_commit_is_not_run_again(moving_app):
    answer = moving_app.test_client().get("/api/commit-fails")
    assert answer.status_code == 503
    assert answer.get_json()["error"] == "database_unavailable"
    assert moving_app.runs == ["run"]
