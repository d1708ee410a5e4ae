"""What the benchmarks share: paths, the database they use, and the commands they run."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
BIN = Path(sys.executable).parent
SECRET_KEY = "darman-bench-secret-key"


def sqlite_url(name: str) -> str:
    """An SQLite file in bench/.data/."""
    DATA.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA / name}"


def describe(url: str) -> str:
    """The URL without its password, to print."""
    return make_url(url).render_as_string(hide_password=True)


def app_env(url: str) -> dict[str, str]:
    """The environment of `flask` and `gunicorn`: this database, a fixed secret key, and an
    instance folder of its own (the demo's people must not land in the developer's)."""
    env = dict(os.environ, DATABASE_URL=url, DARMAN_INSTANCE_PATH=str(DATA / "instance"))
    env.setdefault("DARMAN_SECRET_KEY", SECRET_KEY)
    return env


def flask(url: str, *args: str, quiet: bool = False) -> str:
    """Run `flask --app server ARGS` on this database; its stdout (stderr passes through)."""
    command = [str(BIN / "flask"), "--app", "server", *args]
    done = subprocess.run(
        command, cwd=ROOT, env=app_env(url), stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout}")
    if not quiet:
        print(done.stdout, end="")
    return done.stdout


def ensure_database(url: str) -> None:
    """Create a missing PostgreSQL database (as the `postgres` user, when run as root)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    try:
        create_engine(url).connect().close()
        return
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
    _createdb(parsed)


def _createdb(parsed: URL) -> None:
    """`createdb -O USER NAME` as `postgres`; or say how, when this is not possible here."""
    command = f"createdb -p {parsed.port or 5432} -O {parsed.username} {parsed.database}"
    local = parsed.host in (None, "", "localhost", "127.0.0.1", "::1")
    if not (local and os.geteuid() == 0 and shutil.which("su")):
        sys.exit(f"database {parsed.database} is missing: create it with `{command}`")
    print(f"creating the database: su postgres -c '{command}'")
    subprocess.run(["su", "postgres", "-c", command], check=True)


def sibling_database(url: str, suffix: str) -> str:
    """The same server and user, the database name with SUFFIX added."""
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}{suffix}").render_as_string(hide_password=False)


def scalar(url: str, query: str) -> int:
    """One number from the database."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar_one()
    finally:
        engine.dispose()


def budget(ok: bool) -> str:
    """How a figure stands against its budget."""
    return "within budget" if ok else "BUDGET MISSED"


def fresh_app(url: str, today: str):
    """The app on an empty, migrated database (SQLite file removed, PostgreSQL schema dropped)."""
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db

    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        ensure_database(url)
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "DARMAN_TODAY": today}
    app = create_app(config)
    with app.app_context():
        if not url.startswith("sqlite"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
    return app
