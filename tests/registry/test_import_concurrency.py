"""Imports never stop the service (issue 11 §4): an inquiry is answered while an import runs in
another process on the same database, and a request that cannot have the write lock answers 503
with Retry-After, never 500."""

import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server import create_app
from server.demo.registry import write_registry_csv
from server.extensions import db
from server.models import Contribution, Person

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 4_000  # about 25,000 contribution rows: an import of a few seconds


@pytest.fixture
def token(runner):
    """A pharmacy's token, made with the real command."""
    result = runner.invoke(args=["darman", "provider", "create", "داروخانه", "--kind", "pharmacy"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def _contributions(app) -> int:
    """Contribution rows committed so far."""
    return _committed(app, Contribution)


def _committed(app, model) -> int:
    """Rows of a table committed so far."""
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
        return count


def test_inquiries_are_answered_while_an_import_runs(app, client, token, database_url, tmp_path):
    today = app.config["DARMAN_TODAY"]
    directory = tmp_path / "registry"
    stats = write_registry_csv(directory, PEOPLE, today=date.fromisoformat(today), seed=3)
    asked = next(iter(stats.samples.values()))["national_code"]
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DARMAN_INSTANCE_PATH=str(tmp_path / "instance"),
        DARMAN_SECRET_KEY="test-secret",
        DARMAN_TODAY=today,
    )
    command = [sys.executable, "-m", "flask", "--app", "server", "darman", "import", str(directory)]
    importer = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    answers, midway, slowest = [], 0, 0.0
    try:
        while importer.poll() is None:
            started = time.perf_counter()
            response = client.post(
                "/api/provider/eligibility",
                json={"national_code": asked},
                headers={"Authorization": f"Bearer {token}"},
            )
            slowest = max(slowest, time.perf_counter() - started)
            answers.append(response.status_code)
            if _committed(app, Person) and _contributions(app) < stats.contributions:
                midway += 1  # answered while the import was writing its files, part done
            time.sleep(0.02)
    finally:
        output, _ = importer.communicate(timeout=300)
    assert importer.returncode == 0, output
    assert _contributions(app) == stats.contributions
    assert answers and set(answers) == {200}, answers
    assert midway >= 3, (midway, len(answers))
    assert slowest < 2.0  # waited for one short transaction at most, not for the whole import


@pytest.fixture
def impatient_app(app, database_url):
    """A second app on the same database that waits only 200 ms for SQLite's write lock."""
    config = {**app.config, "DARMAN_SQLITE_BUSY_TIMEOUT_MS": 200}
    impatient = create_app(config)
    yield impatient
    with impatient.app_context():
        db.engine.dispose()


@pytest.mark.sqlite  # SQLite's write lock
def test_a_request_that_cannot_have_the_lock_answers_503(impatient_app, token, database_url):
    path = database_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process mid-write
    try:
        client = impatient_app.test_client()
        started = time.perf_counter()
        response = client.post(
            "/api/provider/eligibility",
            json={"national_code": "0012345679"},
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "fa"},
        )
        waited = time.perf_counter() - started
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "2"
        assert response.json == {
            "error": "busy",
            "message": "سامانه اکنون شلوغ است. لطفاً چند ثانیه دیگر دوباره تلاش کنید.",
        }
        assert 0.15 < waited < 3
        # Reads take no write lock: they are answered at once, even now.
        assert client.get("/healthz").status_code == 200
        # A provider's request counts a hit against its token's limit (a short write): while the
        # lock cannot be had it is told to come back, never a 500.
        tracking = client.get(
            "/api/provider/inquiries/12345678901", headers={"Authorization": f"Bearer {token}"}
        )
        assert (tracking.status_code, tracking.headers.get("Retry-After")) == (503, "2")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _contributions(impatient_app) == 0
