"""Provider inquiry throughput under gunicorn, beside the trivial route's, measured with wrk."""

import argparse
import os
import pstats
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from common import (
    BIN,
    DATA,
    ROOT,
    app_env,
    budget,
    describe,
    ensure_database,
    flask,
    scalar,
    sqlite_url,
)
from sqlalchemy import column, create_engine, make_url, select, table, text

LUA = Path(__file__).resolve().parent / "inquiry.lua"
PROFILE_SETTINGS = Path(__file__).resolve().parent / "gunicorn_profile.py"
MIN_RATIO = {"SQLite": 0.6, "PostgreSQL": 0.5}  # issue 11's budgets, by database
MAX_P99_MS = 25.0
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class WrkResult:
    """What one wrk run reported."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    def line(self) -> str:
        """The figures on one line."""
        return (
            f"{self.rps:9.1f} req/s  p50 {self.p50_ms:6.2f} ms  p99 {self.p99_ms:6.2f} ms  "
            f"({self.requests} requests, {self.non_2xx} non-2xx, "
            f"{self.socket_errors} socket errors)"
        )


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in bench/.data/)")
    parser.add_argument("--people", type=int, default=1_000_000, help="registry size to load")
    parser.add_argument("--codes", type=int, default=50_000, help="national codes to ask about")
    parser.add_argument("--unknown", type=float, default=0.05, help="share of unknown codes")
    parser.add_argument(
        "--centres",
        type=int,
        default=64,
        help="pharmacies asking, each with its own token (each token's limit is 600 a minute)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--duration", type=int, default=15, help="seconds of each measurement")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per route")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the workers (slower; figures skewed)"
    )
    parser.add_argument(
        "--during",
        choices=("import", "daily"),
        help="then inquiries at half load while `darman import` (of a second synthetic registry) "
        "or `darman daily --everyone` runs",
    )
    parser.add_argument(
        "--during-people", type=int, default=50_000, help="size of the registry imported meanwhile"
    )
    parser.add_argument(
        "--during-seed",
        type=int,
        default=2,
        help="its random seed: a registry already imported changes nothing when imported again, "
        "so each new seed is an import that writes (its people are added to the registry)",
    )
    parser.add_argument(
        "--during-rate",
        type=float,
        help="inquiries a second while the job runs (default: half of this run's full rate)",
    )
    parser.add_argument(
        "--during-nice",
        type=int,
        default=0,
        help="run the job with this niceness (deploy/systemd's darman-daily has Nice=10): a "
        "batch job then takes the CPU the service leaves, instead of half of it",
    )
    return parser.parse_args(argv)


def prepare_database(url: str, people: int, centres: int) -> list[str]:
    """Migrate, load PEOPLE people unless loaded, and return new tokens of CENTRES pharmacies."""
    ensure_database(url)
    flask(url, "db", "upgrade", quiet=True)
    loaded = scalar(url, "SELECT count(*) FROM person")
    if loaded == 0:
        print(f"loading {people:,} people (minutes; done once per database) …", flush=True)
        started = time.perf_counter()
        flask(url, "darman", "demo", "--people", str(people), "--if-empty", quiet=True)
        print(f"loaded in {time.perf_counter() - started:.0f} s")
        loaded = scalar(url, "SELECT count(*) FROM person")
    print(f"registry: {loaded:,} people")
    return make_tokens(url, centres)


def make_tokens(url: str, centres: int) -> list[str]:
    """CENTRES new pharmacies with a token each, made in one process (as `provider create`)."""
    program = (
        "import sys\n"
        "from server import create_app\n"
        "from server.centres import accounts, tokens\n"
        "from server.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    for n in range(int(sys.argv[1])):\n"
        "        centre = accounts.create_centre(f'bench {n}', 'pharmacy')\n"
        "        print(tokens.create_token(centre.id, 'bench')[1])\n"
        "    db.session.commit()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(centres)],
        cwd=ROOT,
        env=app_env(url),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return done.stdout.split()


def check_digit(first_nine: str) -> str:
    """The tenth digit of an Iranian national code (DESIGN §2)."""
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    return str(remainder if remainder < 2 else 11 - remainder)


def unknown_codes(url: str, count: int, rng: random.Random) -> list[str]:
    """Valid national codes that nobody in the registry has."""
    engine = create_engine(url)
    found: list[str] = []
    with engine.connect() as connection:
        while len(found) < count:
            batch = {f"{n:09d}" for n in (rng.randrange(10**9) for _ in range(500))}
            batch = {nine + check_digit(nine) for nine in batch if len(set(nine)) > 1}
            code = column("national_code")
            query = select(code).select_from(table("person")).where(code.in_(sorted(batch)))
            found += sorted(batch - set(connection.execute(query).scalars()))
    engine.dispose()
    return found[:count]


def write_codes(url: str, count: int, unknown_share: float, path: Path) -> int:
    """Random registry codes plus unknown ones, shuffled, one a line; how many are unknown."""
    rng = random.Random(1)
    known = count - round(count * unknown_share)
    engine = create_engine(url)
    with engine.connect() as connection:
        codes = connection.execute(
            text("SELECT national_code FROM person ORDER BY random() LIMIT :n"), {"n": known}
        ).scalars()
        codes = list(codes)
    engine.dispose()
    unknown = unknown_codes(url, count - len(codes), rng)
    codes += unknown
    rng.shuffle(codes)
    path.write_text("\n".join(codes) + "\n")
    return len(unknown)


def free_port() -> int:
    """A TCP port nobody listens on, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    """Poll /healthz until it answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); see {DATA / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer /healthz in {timeout:.0f} s")


@contextmanager
def gunicorn(url: str, workers: int, profile: bool = False):
    """`gunicorn -w WORKERS 'server:create_app()'` on a free port; yields its base URL."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    if profile:
        command += ["-c", str(PROFILE_SETTINGS.relative_to(ROOT))]
    command.append("server:create_app()")
    with open(DATA / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=app_env(url), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server)
        print(f"gunicorn: {' '.join(command)} (pid {server.pid})")
        yield base
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL after 30 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"gunicorn stopped ({server.returncode})")


def milliseconds(value: str) -> float:
    """wrk's `1.23ms`, `456.00us`, `1.02s` in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """The figures of wrk's report (run with --latency)."""
    requests, seconds = re.search(r"(\d+) requests in ([\d.]+)(\w+),", output).groups()[:2]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(requests),
        seconds=float(seconds),
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=milliseconds(percentiles["50"]),
        p99_ms=milliseconds(percentiles["99"]),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(map(int, errors.groups())) if errors else 0,
    )


def wrk(args: argparse.Namespace, url: str, seconds: int, env: dict | None = None) -> WrkResult:
    """One wrk run against URL (with inquiry.lua when ENV is given)."""
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency"]
    if env is not None:
        command += ["-s", str(LUA)]
        env = dict(os.environ, BENCH_THREADS=str(args.threads), **env)
    done = subprocess.run(command + [url], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or "Requests/sec" not in done.stdout:
        sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


def counted(args: argparse.Namespace, url: str, target: str, env: dict) -> tuple[WrkResult, int]:
    """An inquiry run, and by how many rows the inquiry log grew meanwhile."""
    before = scalar(url, "SELECT count(*) FROM inquiry")
    result = wrk(args, target, args.duration, env)
    return result, scalar(url, "SELECT count(*) FROM inquiry") - before


def measure(args: argparse.Namespace, url: str, base: str, env: dict) -> dict:
    """Warm up; the trivial route, the inquiry flat out, then the inquiry at half that rate."""
    ping, inquiry = base + "/api/ping", base + "/api/provider/eligibility"
    wrk(args, ping, args.warmup)
    wrk(args, inquiry, args.warmup, env)
    trivial = wrk(args, ping, args.duration)
    print(f"trivial   GET /api/ping                  {trivial.line()}", flush=True)
    full, full_rows = counted(args, url, inquiry, env)
    print(f"inquiry   POST /api/provider/eligibility {full.line()}", flush=True)
    target = full.rps / 2
    half, half_rows = counted(args, url, inquiry, dict(env, BENCH_RATE=f"{target:.1f}"))
    print(f"half load (target {target:.1f} req/s)    {half.line()}", flush=True)
    return {
        "trivial": trivial,
        "inquiry": full,
        "half": half,
        "half_target": target,
        "ratio": full.rps / trivial.rps,
        "rows": (full_rows, half_rows),
    }


def during(args: argparse.Namespace, url: str, base: str, env: dict, rate: float) -> dict:
    """Inquiries at `rate` in 5-second wrk runs for as long as an import or `daily` runs."""
    if args.during == "import":
        seed = "" if args.during_seed == 2 else f"-seed{args.during_seed}"  # 2: as first named
        directory = DATA / f"during-{args.during_people}{seed}"
        if not (directory / "persons.csv").exists():
            from datetime import date

            from server.demo.registry import write_registry_csv

            write_registry_csv(
                directory, args.during_people, today=date.today(), seed=args.during_seed
            )
        job = ["darman", "import", str(directory)]
    else:
        job = ["darman", "daily", "--everyone"]
    command = [str(BIN / "flask"), "--app", "server", *job]
    if args.during_nice:
        command = ["nice", "-n", str(args.during_nice), *command]
    inquiry = base + "/api/provider/eligibility"
    started = time.perf_counter()
    running = subprocess.Popen(
        command, cwd=ROOT, env=app_env(url), stdout=subprocess.PIPE, text=True
    )
    runs = []
    while running.poll() is None:
        runs.append(wrk(args, inquiry, 5, dict(env, BENCH_RATE=f"{rate:.1f}")))
    seconds = time.perf_counter() - started
    output = running.stdout.read()
    figures = {
        "command": " ".join(job) + (f" (nice {args.during_nice})" if args.during_nice else ""),
        "seconds": seconds,
        "returncode": running.returncode,
        "output": output.strip().splitlines()[-2:],
        "requests": sum(run.requests for run in runs),
        "non_2xx": sum(run.non_2xx for run in runs),
        "socket_errors": sum(run.socket_errors for run in runs),
        "worst_p99_ms": max((run.p99_ms for run in runs), default=0.0),
        "rps": sum(run.requests for run in runs) / max(sum(run.seconds for run in runs), 1e-9),
    }
    print(
        f"during `{figures['command']}` ({seconds:.0f} s, exit {running.returncode}): "
        f"{figures['rps']:.1f} req/s of {rate:.1f}, worst p99 {figures['worst_p99_ms']:.1f} ms, "
        f"{figures['requests']} requests, {figures['non_2xx']} non-2xx, "
        f"{figures['socket_errors']} socket errors; {' / '.join(figures['output'])}",
        flush=True,
    )
    return figures


def problems(figures: dict) -> list[str]:
    """What the run got wrong: non-2xx answers, or fewer inquiry rows than answers."""
    found = []
    for name in ("trivial", "inquiry", "half"):
        if figures[name].non_2xx:
            found.append(f"{name}: {figures[name].non_2xx} non-2xx responses")
    if "during" in figures and (figures["during"]["non_2xx"] or figures["during"]["returncode"]):
        found.append(f"during {figures['during']['command']}: non-2xx answers or a failure")
    for name, grown in zip(("inquiry", "half"), figures["rows"], strict=True):
        if grown < figures[name].requests:
            found.append(f"{name}: {grown} inquiry rows for {figures[name].requests} answers")
    return found


def summary(args: argparse.Namespace, url: str, figures: dict) -> None:
    """The summary block."""
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    trivial, full, half = figures["trivial"], figures["inquiry"], figures["half"]
    print(f"\n== provider inquiry: {engine}, {figures['people']:,} people, {os.cpu_count()} cores,")
    print(
        f"   gunicorn -w {args.workers}, wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s =="
    )
    print(
        f"trivial route      {trivial.rps:9.1f} req/s  p50 {trivial.p50_ms:6.2f} ms  "
        f"p99 {trivial.p99_ms:6.2f} ms"
    )
    print(
        f"inquiry            {full.rps:9.1f} req/s  p50 {full.p50_ms:6.2f} ms  "
        f"p99 {full.p99_ms:6.2f} ms"
    )
    least = MIN_RATIO[engine]
    ratio_ok = figures["ratio"] >= least
    print(f"ratio inquiry/trivial  {figures['ratio']:.2f}  (budget ≥ {least}: {budget(ratio_ok)})")
    p99_ok = half.p99_ms <= MAX_P99_MS
    print(
        f"half load          {half.rps:9.1f} req/s of {figures['half_target']:.1f} targeted  "
        f"p50 {half.p50_ms:6.2f} ms  p99 {half.p99_ms:6.2f} ms  (budget p99 ≤ {MAX_P99_MS:.0f} "
        f"ms: {budget(p99_ok)})"
    )
    rows = figures["rows"]
    print(
        f"checks             inquiry rows grew by {rows[0]} and {rows[1]} for "
        f"{full.requests} and {half.requests} answers; non-2xx: "
        f"{trivial.non_2xx + full.non_2xx + half.non_2xx}"
    )


def print_profile() -> None:
    """The workers' profiles, merged: the costliest functions, then the app's own."""
    profiles = [str(path) for path in DATA.glob("worker-*.prof")]
    if not profiles:
        print("no worker profile was written; see bench/.data/gunicorn.log")
        return
    stats = pstats.Stats(*profiles)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(r"/server/|flask/app.py|sqlalchemy/orm/session", 40)


def run(args: argparse.Namespace) -> dict:
    """The whole benchmark; its figures."""
    if shutil.which("wrk") is None:
        print("wrk is missing: run `apt-get install -y wrk`", file=sys.stderr)
        sys.exit(2)
    url = args.database_url or sqlite_url(f"inquiry-{args.people}.sqlite3")  # one per size
    print(f"database: {describe(url)}")
    tokens = prepare_database(url, args.people, args.centres)
    token_file = DATA / f"tokens-{Path(make_url(url).database).stem}.txt"
    token_file.write_text("\n".join(tokens) + "\n")
    people = scalar(url, "SELECT count(*) FROM person")
    codes = DATA / f"codes-{Path(make_url(url).database).stem}.txt"
    unknown = write_codes(url, args.codes, args.unknown, codes)
    print(f"codes: {args.codes:,} in {codes.relative_to(ROOT)} ({unknown:,} not in the registry)")
    env = {"BENCH_CODES": str(codes), "BENCH_TOKENS": str(token_file)}
    for stale in DATA.glob("worker-*.prof"):
        stale.unlink()
    with gunicorn(url, args.workers, args.profile) as base:
        figures = measure(args, url, base, env)
        if args.during:
            rate = args.during_rate or figures["half_target"]
            figures["during"] = during(args, url, base, env, rate)
    if args.profile:
        print_profile()
    figures["people"] = people
    summary(args, url, figures)
    figures["problems"] = problems(figures)
    for problem in figures["problems"]:
        print(f"WRONG: {problem}")
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run it; exit 1 when an answer was wrong (figures themselves are never judged)."""
    return 1 if run(parse_arguments(argv))["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
