"""The database of the production shape on one machine: pg_auto_failover (Debian's
`postgresql-15-auto-failover`) with its monitor and two data nodes — a primary and a streaming
standby with synchronous commit — each a local instance on a port of its own, run as the
postgres user by `pg_autoctl run` as the systemd units of deploy/systemd/ do. The monitor takes
deploy/postgresql/monitor.conf, the failover timings of production.

Everything lives under /var/lib/darman-check/<name>-<pid>/ (its data, the keepers' state and
config through XDG_*), never in the machine's own cluster, and `stop()` ends and removes it all.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARENT = Path("/var/lib/darman-check")
NODES = ("node1", "node2")
# Each instance small: pg_autoctl sizes shared_buffers to the machine, three times over here.
SMALL = "shared_buffers = '128MB'\neffective_cache_size = '1GB'\nmaintenance_work_mem = '64MB'\n"
STATES = "SELECT nodename, reportedstate, goalstate FROM pgautofailover.node ORDER BY nodename"


def pg_ctl() -> str:
    """The newest PostgreSQL's pg_ctl that has pg_auto_failover's extension beside it."""
    versions = sorted(
        (p.name for p in Path("/usr/lib/postgresql").iterdir() if (p / "bin/pg_ctl").exists()),
        key=int,
    )
    return f"/usr/lib/postgresql/{versions[-1]}/bin/pg_ctl"


class Cluster:
    """A monitor and two data nodes; `url` is the app's multi-host DATABASE_URL."""

    def __init__(self, name: str, ports: dict[str, int]) -> None:
        self.database = name
        self.root = PARENT / f"{name}-{os.getpid()}"
        self.ports = ports  # monitor, node1, node2
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "share"),
            "LANG": "C.UTF-8",  # initdb's encoding: UTF8, not SQL_ASCII
            "LC_ALL": "C.UTF-8",
        }
        hosts = "&".join(f"host=127.0.0.1:{ports[node]}" for node in NODES)
        # libpq tries each host and keeps the one that takes writes; connect_timeout bounds a
        # host that does not answer at all
        self.url = (
            f"postgresql+psycopg://darman:darman@/{name}?{hosts}"
            "&target_session_attrs=read-write&connect_timeout=2"
        )
        self.libpq_url = (
            "postgresql://darman:darman@"
            + ",".join(f"127.0.0.1:{ports[node]}" for node in NODES)
            + f"/{name}?target_session_attrs=read-write&connect_timeout=2"
        )

    # -- the parts -------------------------------------------------------------------------

    def start(self) -> None:
        """Monitor, then the primary, the app's role, then the standby (a base backup)."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        shutil.chown(PARENT, "postgres", "postgres")
        shutil.chown(self.root, "postgres", "postgres")
        self._autoctl("create", "monitor", "--pgdata", self._data("monitor"), "--pgctl", pg_ctl(),
                      "--pgport", str(self.ports["monitor"]), "--hostname", "127.0.0.1",
                      "--auth", "trust", "--no-ssl")  # fmt: skip
        self._tune("monitor", f"include '{ROOT / 'deploy' / 'postgresql' / 'monitor.conf'}'\n")
        self.run("monitor")
        self._wait(lambda: self._ready("monitor"), "the monitor")
        for node in NODES:
            self._create(node)
            self.run(node)
            self._wait(lambda: self._ready(node), node)  # noqa: B023 (waited for at once)
            if node == "node1":
                self._wait(lambda: self.states().get("node1") == ("single", "single"), "node1")
                self.sql("node1", "CREATE ROLE darman LOGIN PASSWORD 'darman'")
                self.sql("node1", f"ALTER DATABASE {self.database} OWNER TO darman")
                self.sql("node1", "ALTER SCHEMA public OWNER TO darman", self.database)
                self.sql("node1", "GRANT pg_monitor TO darman")  # the replication lag's columns
        self.wait_for_states({"node1": "primary", "node2": "secondary"})

    def _create(self, node: str) -> None:
        """`pg_autoctl create postgres` for a data node (the second takes a base backup)."""
        monitor = f"postgres://autoctl_node@127.0.0.1:{self.ports['monitor']}/pg_auto_failover"
        self._autoctl("create", "postgres", "--pgdata", self._data(node), "--pgctl", pg_ctl(),
                      "--pgport", str(self.ports[node]), "--hostname", "127.0.0.1",
                      "--name", node, "--dbname", self.database, "--auth", "trust", "--no-ssl",
                      "--monitor", f"{monitor}?sslmode=disable")  # fmt: skip
        # the keeper demotes an isolated primary before the monitor's demote timeout has passed
        self._autoctl("config", "set", "--pgdata", self._data(node),
                      "timeout.network_partition_timeout", "5")  # fmt: skip
        self._tune(node, "")

    def _tune(self, name: str, extra: str) -> None:
        """Small instances, and for the monitor the production's failover timings."""
        conf = Path(self._data(name)) / "postgresql.conf"
        text = conf.read_text()
        if SMALL not in text:
            conf.write_text(text + "\n" + SMALL + extra)

    def run(self, name: str) -> None:
        """`pg_autoctl run` for one node, in a process group of its own (its keeper, its
        postmaster and the backends: what `kill` ends at once)."""
        log = (self.root / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(
            ["pg_autoctl", "run", "--pgdata", self._data(name)],
            env=self.env, cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
            user="postgres", group="postgres", extra_groups=[], start_new_session=True,
        )  # fmt: skip
        log.close()

    # -- while it runs ---------------------------------------------------------------------

    def states(self) -> dict[str, tuple[str, str]]:
        """{node: (reported state, assigned state)} as the monitor sees them."""
        rows = self.sql("monitor", STATES, "pg_auto_failover").splitlines()
        return {name: (reported, goal) for name, reported, goal in (r.split("|") for r in rows)}

    def primary(self) -> str:
        """The node the monitor has as primary, reported and assigned (`wait_primary` while
        its standby is away: it takes writes alone)."""
        (primary,) = [
            n for n, (reported, goal) in self.states().items()
            if reported == goal and reported in ("primary", "wait_primary", "single")
        ]  # fmt: skip
        return primary

    def wait_for_states(self, wanted: dict[str, str], seconds: float = 180) -> None:
        """Until each node has reached (reported and assigned) its state."""
        self._wait(
            lambda: all(self.states().get(n) == (s, s) for n, s in wanted.items()),
            f"the states {wanted}", seconds,
        )  # fmt: skip

    def kill(self, node: str) -> float:
        """The machine lost: SIGKILL to the node's postmaster, its backends and its keeper at
        once (the keeper alone would restart its postmaster within a second, which is a crash
        and a restart, not a failover). The moment of the kill (`time.monotonic()`)."""
        postmaster = int((Path(self._data(node)) / "postmaster.pid").read_text().split()[0])
        killed = time.monotonic()
        os.killpg(self.processes[node].pid, signal.SIGKILL)
        self.processes[node].wait(timeout=30)
        self._wait(lambda: not _alive(postmaster), "the postmaster's end", 30)
        return killed

    def switchover(self) -> None:
        """A planned switchover, as the operator runs it (waits until it is done)."""
        self._autoctl("perform", "switchover", "--pgdata", self._data("monitor"))

    def set_synchronous(self, on: bool) -> None:
        """Whether the primary's commits wait for the standby (the standby's replication quorum,
        as an operator sets it); returns once the primary has taken it."""
        primary = self.primary()
        (standby,) = [n for n in NODES if n != primary]
        self._autoctl("set", "node", "replication-quorum", "true" if on else "false",
                      "--pgdata", self._data(standby))  # fmt: skip
        self._wait(
            lambda: bool(self.sql(primary, "SHOW synchronous_standby_names")) == on,
            f"synchronous commit {'on' if on else 'off'}",
        )

    def sql(self, name: str, query: str, database: str | None = None) -> str:
        """Run SQL as postgres on one instance; the rows as `a|b` lines."""
        done = subprocess.run(
            ["psql", "-X", "-qtA", "-h", "127.0.0.1", "-p", str(self.ports[name]),
             "-d", database or ("pg_auto_failover" if name == "monitor" else self.database),
             "-c", query],
            env=self.env, cwd=self.root, capture_output=True, text=True,
            user="postgres", group="postgres", extra_groups=[],
        )  # fmt: skip
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, [query, done.stderr])
        return done.stdout.strip()

    def log(self, name: str) -> str:
        """A node's keeper log so far."""
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop every keeper (each stops its postmaster), then remove the folder."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if not os.environ.get("DARMAN_DEPLOY_KEEP_DATABASE"):
            shutil.rmtree(self.root, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------

    def _data(self, name: str) -> str:
        """An instance's data directory."""
        return str(self.root / name)

    def _autoctl(self, *args: str) -> str:
        """A `pg_autoctl` command as postgres; fails with its output."""
        done = subprocess.run(
            ["pg_autoctl", *args], env=self.env, cwd=self.root, capture_output=True, text=True,
            errors="replace", user="postgres", group="postgres", extra_groups=[],
        )  # fmt: skip
        assert done.returncode == 0, f"pg_autoctl {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def _ready(self, name: str) -> bool:
        """True when the instance takes connections."""
        address = ["-h", "127.0.0.1", "-p", str(self.ports[name])]
        return subprocess.run(["pg_isready", "-q", *address], check=False).returncode == 0

    def _wait(self, ready, what: str, seconds: float = 180) -> None:
        """Poll until `ready()` (never a fixed sleep); the keepers' logs when it never is."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except subprocess.CalledProcessError:
                pass  # the monitor is not up yet
            time.sleep(0.3)
        logs = "".join(f"--- {n}\n{self.log(n)[-3000:]}" for n in self.processes)
        raise RuntimeError(f"{what} not reached in {seconds} s:\n{logs}")


def _alive(pid: int) -> bool:
    """True while a process of that id runs (a zombie waiting to be reaped does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status
