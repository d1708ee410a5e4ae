"""`flask --app server darman worker` in a process of its own, on the tests' database."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_worker(app, database_url: str, log: Path, *args: str, **settings: str):
    """Start a worker on the tests' database and instance folder; DARMAN_* settings as keywords."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DARMAN_INSTANCE_PATH=app.instance_path,
        DARMAN_SECRET_KEY="test-secret",
        DARMAN_TODAY=app.config["DARMAN_TODAY"],
        DARMAN_PUSH_ALLOW_LOOPBACK="1",  # the local push service is on 127.0.0.1
        **{f"DARMAN_{name.upper()}": value for name, value in settings.items()},
    )
    command = [sys.executable, "-m", "flask", "--app", "server", "darman", "worker", *args]
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
