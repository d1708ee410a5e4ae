"""Fixtures: one database per session (SQLite, or PostgreSQL when DATABASE_URL names one),
emptied after every test; the app, its client and CLI runner; registry and citizen helpers.

The schema is made from the models; `tests/app/test_migrations.py` checks that the migrations
make the very same schema.
"""

import os
from pathlib import Path

import pytest
from schema import drop_everything
from sqlalchemy import text

from server import create_app
from server.extensions import db
from server.models import Base

TODAY = "2026-11-22"  # 1 Azar 1405; tests pin the date so that expected dates are literal


def pytest_collection_modifyitems(config, items):
    """Without DATABASE_URL, PostgreSQL-only tests are deselected, and SQLite-only tests with it
    (never reported as skipped)."""
    on_postgresql = not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite")
    other = "sqlite" if on_postgresql else "postgresql"
    kept = [item for item in items if other not in item.keywords]
    deselected = [item for item in items if other in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The test database: DATABASE_URL if set, else a new SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'darman.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory):
    """The app on a fresh database; SMS go to a JSON-lines file."""
    sms_file = tmp_path_factory.mktemp("sms") / "sms.jsonl"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "DARMAN_TODAY": TODAY,
            "DARMAN_SMS_BACKEND": f"file:{sms_file}",
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        drop_everything()
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """After each test that used the database, delete every row."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                if table.name == "staff_audit" and connection.dialect.name == "postgresql":
                    # its trigger refuses DELETE (append-only); TRUNCATE is the tests' way out
                    connection.execute(text("TRUNCATE staff_audit"))
                else:
                    connection.execute(table.delete())


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


class Registry:
    """Writes registry CSV files for a test and imports them through the real command."""

    def __init__(self, runner, directory: Path) -> None:
        self.runner = runner
        self.directory = directory

    def write(self, name: str, header: str, *rows: str) -> Path:
        """Write one CSV file (header and rows as lines of text)."""
        path = self.directory / name
        path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
        return path

    def load(self):
        """Run `flask darman import` on the folder; returns the click result."""
        return self.runner.invoke(args=["darman", "import", str(self.directory)])

    def clear(self) -> None:
        """Remove the CSV files written so far."""
        for path in self.directory.glob("*.csv"):
            path.unlink()


@pytest.fixture
def registry(runner, tmp_path):
    """A folder of registry files and the import command."""
    folder = tmp_path / "registry"
    folder.mkdir()
    return Registry(runner, folder)


@pytest.fixture
def family(registry):
    """The Rezaei family of `families.py`, imported."""
    import families

    families.load(registry)
    registry.clear()


@pytest.fixture
def clock(app):
    """Move the app's clock: `clock.move(minutes=3)`; the real clock comes back afterwards."""
    from datetime import UTC, datetime, timedelta

    class Clock:
        def __init__(self) -> None:
            self.now = datetime.now(tz=UTC)
            app.config["DARMAN_NOW"] = self.now.isoformat()

        def move(self, **delta: float) -> None:
            """Let time pass."""
            self.now += timedelta(**delta)
            app.config["DARMAN_NOW"] = self.now.isoformat()

    yield Clock()
    app.config.pop("DARMAN_NOW", None)


class CitizenClient:
    """A browser-like client: keeps its cookie, sends the CSRF token, reads the SMS file."""

    def __init__(self, app, client) -> None:
        self.app = app
        self.client = client
        self.csrf_token = client.get("/api/auth/csrf").get_json()["csrf_token"]

    def post(self, url: str, json: dict | None = None, **kwargs):
        """POST with the CSRF header."""
        headers = {"X-CSRFToken": self.csrf_token, **kwargs.pop("headers", {})}
        response = self.client.post(url, json=json, headers=headers, **kwargs)
        self.csrf_token = response.headers.get("X-CSRFToken", self.csrf_token)  # sign-in rotates
        return response

    def delete(self, url: str, **kwargs):
        """DELETE with the CSRF header."""
        return self.client.delete(url, headers={"X-CSRFToken": self.csrf_token}, **kwargs)

    def get(self, url: str, **kwargs):
        """GET."""
        return self.client.get(url, **kwargs)

    def start(self, national_code: str, mobile: str):
        """Ask for an SMS code."""
        return self.post("/api/auth/sms/start", {"national_code": national_code, "mobile": mobile})

    def last_sms(self) -> dict:
        """The last message the file backend wrote."""
        import json as json_module

        path = self.app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
        with open(path, encoding="utf-8") as stream:
            return json_module.loads(stream.read().splitlines()[-1])

    def verify(self, request_id: str, code: str):
        """Send the code back."""
        return self.post("/api/auth/sms/verify", {"request_id": request_id, "code": code})

    def sign_in(self, national_code: str, mobile: str):
        """The whole SMS sign-in; returns the verify answer."""
        started = self.start(national_code, mobile)
        assert started.status_code == 200, started.get_json()
        return self.verify(started.get_json()["request_id"], self.last_sms()["code"])


@pytest.fixture
def citizen(app):
    """A fresh citizen's browser."""
    return CitizenClient(app, app.test_client())


@pytest.fixture
def make_citizen(app):
    """More browsers, for tests with several devices; `host=` sends another Host header."""

    def make(host: str | None = None) -> CitizenClient:
        client = app.test_client()
        if host:
            client.environ_base["HTTP_HOST"] = host
        return CitizenClient(app, client)

    return make


@pytest.fixture
def make_provider(runner):
    """Make a provider with `flask darman provider create`; returns its token."""

    def make(name: str, kind: str) -> str:
        result = runner.invoke(args=["darman", "provider", "create", name, "--kind", kind])
        assert result.exit_code == 0, result.output
        return result.output.strip()

    return make


@pytest.fixture
def doctor(make_provider) -> str:
    """Dr Ahmadi's token."""
    return make_provider("مطب دکتر احمدی", "doctor")


@pytest.fixture
def pharmacy(make_provider) -> str:
    """Razi pharmacy's token."""
    return make_provider("داروخانه رازی", "pharmacy")


@pytest.fixture
def catalogue(runner, tmp_path):
    """A small catalogue (the shipped one's everyday items) and the shipped interaction table."""
    from catalogue_loading import load_small_catalogue

    load_small_catalogue(runner, tmp_path)


class Commits:
    """The commits made on the app's engine while it counts (the hot path's pool included)."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def reset(self) -> None:
        """Start counting afresh."""
        self.count = 0
        self.statements.clear()


@pytest.fixture
def count_commits(app, monkeypatch):
    """Count the commits (and the statements) each request makes: `count_commits.reset()`
    before it, `count_commits.count` after. The hot path's prepared connections run past the
    engine's events, so their own `commit` and `execute` are counted too."""
    from sqlalchemy import event

    from server import inquiries, prepared

    commits = Commits()

    def _committed(connection):
        commits.count += 1

    def _statement(connection, cursor, statement, parameters, context, executemany):
        commits.statements.append(statement)

    def _prepared_commit(connection):
        commits.count += 1
        real_commit(connection)

    def _prepared_execute(connection, statement, params):
        commits.statements.append(prepared.compiled_for(statement, connection.dialect).sql)
        return real_execute(connection, statement, params)

    real_commit = prepared.PreparedConnection.commit
    real_execute = prepared.PreparedConnection.execute
    monkeypatch.setattr(prepared.PreparedConnection, "commit", _prepared_commit)
    monkeypatch.setattr(prepared.PreparedConnection, "execute", _prepared_execute)
    with app.app_context():
        engines = {db.engine, inquiries.log_engine()}
    for engine in engines:
        event.listen(engine, "commit", _committed)
        event.listen(engine, "before_cursor_execute", _statement)
    yield commits
    for engine in engines:
        event.remove(engine, "commit", _committed)
        event.remove(engine, "before_cursor_execute", _statement)


class BusyCommit:
    """`arm()`: the next commit meets a busy database; `failed`: whether one did."""

    def __init__(self) -> None:
        self.armed = self.failed = False

    def arm(self) -> None:
        self.armed, self.failed = True, False


@pytest.fixture
def busy_commit(monkeypatch):
    """Make the next commit (once armed) meet a busy database, as a long import's lock would:
    the request must then keep nothing, in the database or beside it."""
    import sqlite3

    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    real, busy = Session.commit, BusyCommit()

    def _commit(session):
        if busy.armed:
            busy.armed, busy.failed = False, True
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
        return real(session)

    monkeypatch.setattr(Session, "commit", _commit)
    return busy
