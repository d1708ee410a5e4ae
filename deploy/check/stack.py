"""The production shape on one machine: PostgreSQL with a synchronous standby and automatic
failover (pg_auto_failover: deploy/check/database.py), Debian's nginx (TLS, HTTP/2, brotli), two
app nodes under gunicorn (each with an instance folder of its own: nothing shared but the
database and the environment) that find the primary by themselves (a multi-host DATABASE_URL),
one push worker and a local push service. Every port is one the OS hands out, and `stop()` ends
every process it started.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TODAY = "2026-11-22"  # the families of tests/families.py are covered on this day
UNSAFE_PORTS = {5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080}
BROTLI_MODULE = Path("/usr/share/nginx/modules/ngx_http_brotli_filter_module.so")

sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "notify"), str(ROOT / "e2e")]
import families  # noqa: E402
from database import Cluster  # noqa: E402
from fake_push_service import PushService  # noqa: E402


def free_port() -> int:
    """A port the OS gives us that Chromium does not refuse."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in UNSAFE_PORTS:
            return port


def as_postgres(sql: str, database: str = "postgres") -> str:
    """Run SQL as the postgres superuser."""
    done = subprocess.run(
        ["su", "postgres", "-c", f"psql -X -qtA -d {database} -c \"{sql}\""],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def fresh_database(name: str) -> str:
    """An empty database owned by `darman` (made by scripts/test-postgresql.sh); its URL."""
    env = {**os.environ, "DARMAN_TEST_DATABASE": name}
    url = subprocess.run(
        [str(ROOT / "scripts" / "test-postgresql.sh")],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    as_postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    as_postgres(f"CREATE DATABASE {name} OWNER darman")
    return url


class Stack:
    """Everything running; `url` is nginx's https address."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.https_port, self.http_port = free_port(), free_port()
        self.node_ports = {"a": free_port(), "b": free_port()}
        self.worker_metrics_port = free_port()
        self.url = f"https://localhost:{self.https_port}"
        self.sms = folder / "sms.jsonl"
        self.processes: dict[str, subprocess.Popen] = {}
        self.push_service: PushService | None = None
        self.database = "darman_deploy_check"
        self.cluster = Cluster(
            self.database, {"monitor": free_port(), "node1": free_port(), "node2": free_port()}
        )
        made = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "make_secrets.py")],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        self.secrets = dict(line.split("=", 1) for line in made.stdout.split())

    # -- the parts -------------------------------------------------------------------------

    def env(self, node: str) -> dict[str, str]:
        """What the environment file gives every unit, plus this node's own folders."""
        metrics = self.folder / f"metrics-{node}"
        metrics.mkdir(exist_ok=True)
        return {
            **os.environ,
            **self.secrets,
            "DATABASE_URL": self.database_url,
            "DARMAN_INSTANCE_PATH": str(self.folder / f"instance-{node}"),
            "DARMAN_NODE_NAME": node,
            "DARMAN_ORIGIN": self.url,
            "DARMAN_RP_ID": "localhost",
            "DARMAN_PROXY_HOPS": "1",
            "DARMAN_CARD_KEY_STORE": "database",
            "DARMAN_TODAY": TODAY,
            "DARMAN_SMS_BACKEND": f"file:{self.sms}",
            "DARMAN_SMS_RESEND_SECONDS": "0",
            "DARMAN_SMS_PER_HOUR": "1000",
            "DARMAN_SMS_PER_DAY": "1000",
            "DARMAN_SIGN_IN_PER_IP_HOUR": "1000",
            # the failover check's load asks more than a centre's limits allow
            "DARMAN_PROVIDER_INQUIRIES_PER_MINUTE": "100000",
            "DARMAN_PROVIDER_REQUESTS_PER_MINUTE": "100000",
            "DARMAN_PUSH_ALLOW_LOOPBACK": "1",  # the local push service is on 127.0.0.1
            "DARMAN_PUSH_POLL_SECONDS": "0.3",
            "DARMAN_GUNICORN_WORKERS": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        }

    def flask(self, *args: str, env: dict | None = None) -> str:
        """A `flask --app server` command against the stack's database."""
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "server", *args],
            env=env or self.env("cli"), cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self) -> None:
        """Database, data, certificate, nodes, push service, worker, nginx."""
        self.cluster.start()
        self.database_url = self.cluster.url
        self.flask("db", "upgrade")
        self.flask("darman", "catalogue", "import")  # the shipped catalogue: the load prescribes
        registry = self.folder / "registry"
        registry.mkdir()
        for name, lines in families.FILES.items():
            (registry / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.flask("darman", "import", str(registry))
        self.provider_token = self.flask(
            "darman", "provider", "create", "مطب نمونه", "--kind", "doctor"
        ).strip()
        self._certificate()
        for node, port in self.node_ports.items():
            self._spawn(
                f"node-{node}",
                [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
                 "--bind", f"127.0.0.1:{port}", "server:create_app()"],
                self.env(node),
            )  # fmt: skip
        for node, port in self.node_ports.items():
            self._wait(f"node-{node}", f"http://127.0.0.1:{port}/readyz")
        self.push_service = PushService(self.secrets["DARMAN_VAPID_PUBLIC_KEY"])
        self.push_service.__enter__()
        worker_env = {
            **self.env("worker"),
            "DARMAN_WORKER_METRICS_PORT": str(self.worker_metrics_port),
        }
        self._spawn(
            "worker", [str(BIN / "flask"), "--app", "server", "darman", "worker"], worker_env
        )
        self._wait("worker", f"http://127.0.0.1:{self.worker_metrics_port}/metrics")
        self._nginx()

    def _certificate(self) -> None:
        """A self-signed certificate for localhost."""
        ssl = self.folder / "ssl"
        ssl.mkdir()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(ssl / "privkey.pem"), "-out", str(ssl / "fullchain.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        self.certificate = ssl / "fullchain.pem"

    def _nginx(self) -> None:
        """Render deploy/nginx/ for this folder and these ports, test it, start nginx."""
        source = ROOT / "deploy" / "nginx"
        snippets = self.folder / "snippets"
        snippets.mkdir()
        for name in ("darman-headers.conf", "darman-fresh.conf", "darman-immutable.conf"):
            (snippets / name).write_text(self._render((source / name).read_text()))
        self.brotli = BROTLI_MODULE.exists()
        if self.brotli:
            shutil.copy(source / "darman-brotli.conf", snippets)
        (self.folder / "darman.conf").write_text(self._render((source / "darman.conf").read_text()))
        temp = self.folder / "nginx-temp"
        temp.mkdir()
        modules = f"load_module {BROTLI_MODULE};\n" if self.brotli else ""
        user = "user root;\n" if os.geteuid() == 0 else ""  # a fresh clone may sit in /root
        kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        temps = "".join(f"    {kind}_temp_path {temp}/{kind};\n" for kind in kinds)
        (self.folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.folder}/nginx.pid;\n"
            f"error_log {self.folder}/nginx-main-error.log warn;\n"
            f"{modules}"
            "events { worker_connections 512; }\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n    sendfile on;\n"
            f"{temps}    include {self.folder}/darman.conf;\n}}\n"
        )
        command = ["nginx", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        tested = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert tested.returncode == 0, tested.stderr
        self._spawn("nginx", [*command, "-g", "daemon off;"], dict(os.environ))
        self._wait("nginx", f"https://localhost:{self.https_port}/readyz")

    def _render(self, text: str) -> str:
        """The production file with this run's ports and paths."""
        a, b = self.node_ports["a"], self.node_ports["b"]
        for old, new in (
            ("listen [::]:80;", ""),
            ("listen [::]:443 ssl http2;", ""),
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;"),
            ("https://$host$request_uri", f"https://$host:{self.https_port}$request_uri"),
            ("127.0.0.1:8001", f"127.0.0.1:{a}"),
            ("127.0.0.1:8002", f"127.0.0.1:{b}"),
            ("/etc/ssl/darman/", f"{self.folder}/ssl/"),
            ("/var/log/nginx/darman-", f"{self.folder}/nginx-"),
            ("/srv/darman/current/pwa", str(ROOT / "pwa")),
            ("/etc/nginx/snippets/darman-", f"{self.folder}/snippets/darman-"),
        ):
            text = text.replace(old, new)
        return text

    def _spawn(self, name: str, command: list[str], env: dict) -> None:
        """Start a process, its output in <name>.log."""
        with (self.folder / f"{name}.log").open("w") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )

    def _wait(self, name: str, url: str) -> None:
        """Poll a URL until it answers 200 (never a fixed sleep)."""
        import ssl

        context = ssl.create_default_context(cafile=getattr(self, "certificate", None))
        deadline = time.monotonic() + 180  # the machine may be shared and slow
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                break
            try:
                with urllib.request.urlopen(url, timeout=10, context=context) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{name} did not start:\n" + self.log(name))

    # -- while it runs ---------------------------------------------------------------------

    def log(self, name: str) -> str:
        """A process's output so far."""
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def last_code(self) -> str:
        """The code of the last SMS."""
        return json.loads(self.sms.read_text(encoding="utf-8").splitlines()[-1])["code"]

    def stop(self) -> None:
        """End every process this stack started: SIGTERM, then SIGKILL after 15 s; then the
        database's nodes."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.push_service is not None:
            self.push_service.__exit__(None, None, None)
        self.cluster.stop()
