"""The real app under gunicorn, for the browser tests and the PWA benchmark.

It runs on a free port at http://localhost:PORT (WebAuthn refuses IP addresses), with its own
SQLite database and instance folder, SMS written to a file, "today" pinned to 1 Azar 1405 and
the Rezaei family of tests/families.py imported; the PWA is served from a copy of pwa/, so that a
test can change a file and see a new version.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from browser import UNSAFE_PORTS

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-22"

sys.path.insert(0, str(ROOT / "tests"))
import families  # noqa: E402
import more_families  # noqa: E402


def free_port() -> int:
    """A port the OS gives us that Chromium does not refuse."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in UNSAFE_PORTS:
            return port


class Server:
    """The running app: its address, its files, its SMS outbox."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.pwa = folder / "pwa"
        self.sms = folder / "sms.jsonl"
        self.log = folder / "server.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'darman.sqlite3'}",
            "DARMAN_INSTANCE_PATH": str(folder / "instance"),
            "DARMAN_SECRET_KEY": "e2e-secret",
            "DARMAN_SMS_BACKEND": f"file:{self.sms}",
            "DARMAN_ORIGIN": self.url,
            "DARMAN_RP_ID": "localhost",
            "DARMAN_TODAY": TODAY,
            "DARMAN_PWA_DIR": str(self.pwa),
            # The journeys sign the same people in many times within minutes.
            "DARMAN_SMS_RESEND_SECONDS": "0",
            "DARMAN_SMS_PER_HOUR": "1000",
            "DARMAN_SMS_PER_DAY": "1000",
            "DARMAN_SIGN_IN_PER_IP_HOUR": "1000",
            # The notices test's local push service listens on 127.0.0.1 (http).
            "DARMAN_PUSH_ALLOW_LOOPBACK": "1",
        }
        self.process: subprocess.Popen | None = None

    def flask(self, *args: str, **settings: str) -> str:
        """Run a `flask --app server` command against this server's database; `settings` are
        environment variables for this command alone (DARMAN_SMS_BACKEND=…)."""
        command = [str(Path(sys.executable).parent / "flask"), "--app", "server", *args]
        env = {**self.env, **settings}
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self) -> None:
        """Migrate, import the family, start gunicorn and wait for /healthz."""
        shutil.copytree(ROOT / "pwa", self.pwa)
        self.flask("db", "upgrade")
        for number, files in enumerate((families.FILES, more_families.FILES)):
            registry = self.folder / f"registry-{number}"
            registry.mkdir()
            for name, lines in files.items():
                (registry / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            self.flask("darman", "import", str(registry))
        self._serve()

    def restart(self, today: str) -> None:
        """Stop gunicorn and start it again, the same database, with "today" pinned to another
        day for the rest of this server's life (a journey over midnight, or into the next
        month; `on_day` is the same for a block)."""
        self.stop()
        self.env["DARMAN_TODAY"] = today
        self._serve()

    def _serve(self) -> None:
        """Start gunicorn (its output added to the log) and wait for /healthz."""
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "-w", "2", "-b", f"127.0.0.1:{self.port}", "server:create_app()"]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait()

    @contextmanager
    def on_day(self, today: str) -> Iterator[None]:
        """Within the block the app's "today" is `today` (gunicorn restarted with it pinned, the
        database, sessions and passkeys kept); back to 1 Azar 1405 after it."""
        self.restart(today)
        try:
            yield
        finally:
            self.restart(TODAY)

    def _wait(self) -> None:
        """Poll the health URL (never a fixed sleep)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start:\n" + self.log.read_text())

    def stop(self) -> None:
        """Stop gunicorn (SIGTERM, then SIGKILL after 10 s)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def last_code(self) -> str:
        """The code of the last SMS."""
        return json.loads(self.sms.read_text(encoding="utf-8").splitlines()[-1])["code"]
