"""Push sender: 10,000 outbox rows → notices → encrypted pushes to a local push service, with one
worker on SQLite and (with --database-url) two on PostgreSQL. Budget (DESIGN §7): ≥ 300
notices/s with one worker."""

import argparse
import base64
import json
import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

from common import BIN, DATA, ROOT, SECRET_KEY, budget, describe, ensure_database, sqlite_url
from common import sibling_database as sibling
from sqlalchemy import text

BUDGET_PER_SECOND = 300.0
TODAY = "2026-11-22"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL: also run two workers on the database <name>_push beside it "
        "(wiped); SQLite always runs, in bench/.data/push.sqlite3",
    )
    parser.add_argument("--rows", type=int, default=10_000, help="outbox rows (one notice each)")
    parser.add_argument("--people", type=int, default=2_000, help="accounts, one phone each")
    parser.add_argument("--concurrency", default="16", help="pushes in flight per worker")
    parser.add_argument("--batch", default="200", help="rows a worker claims at once")
    return parser.parse_args(argv)


# --- the local push service (its own process, so that it does not share the worker's cores'
# interpreter): it holds every phone's keys, decrypts each push and checks its VAPID JWT once.


def serve(port_queue, phones: dict[str, tuple[int, bytes]]) -> None:
    """Run the push service until killed; put its port on `port_queue`."""
    import http_ece
    from cryptography.hazmat.primitives.asymmetric import ec
    from py_vapid.jwt import decode

    keys = {
        token: (ec.derive_private_key(value, ec.SECP256R1()), auth)
        for token, (value, auth) in phones.items()
    }
    lock, seen_jwts = threading.Lock(), set()
    stats = {"received": 0, "ids": {}, "problems": 0, "first": None, "last": None}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802
            """A push: decrypt, check, count, answer 201."""
            body = self.rfile.read(int(self.headers["Content-Length"]))
            private_key, auth = keys[self.path.rsplit("/", 1)[-1]]
            ok = True
            try:
                plain = http_ece.decrypt(
                    body, private_key=private_key, auth_secret=auth, version="aes128gcm"
                )
                notice = json.loads(plain)["id"]
                token = self.headers["Authorization"].split("t=", 1)[1].split(",k=")
                if token[0] not in seen_jwts:
                    decode(token[0], token[1])
                    seen_jwts.add(token[0])
            except Exception:  # noqa: BLE001 — counted as a problem
                ok, notice = False, None
            with lock:
                now = time.time()
                stats["received"] += 1
                stats["problems"] += not ok
                stats["ids"][notice] = stats["ids"].get(notice, 0) + 1
                stats["first"] = stats["first"] or now
                stats["last"] = now
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            """The counts so far."""
            with lock:
                ids = stats["ids"]
                answer = {
                    "received": stats["received"],
                    "unique": len([i for i in ids if i is not None]),
                    "twice": sum(1 for times in ids.values() if times > 1),
                    "problems": stats["problems"],
                    "first": stats["first"],
                    "last": stats["last"],
                }
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args):
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def phones(people: int) -> tuple[dict[str, tuple[int, bytes]], dict[str, dict]]:
    """Every phone's keys (for the service) and subscription JSON (for the database)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    secrets_, subscriptions = {}, {}
    for n in range(people):
        key, auth = ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
        point = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        token = f"phone{n}"
        secrets_[token] = (key.private_numbers().private_value, auth)
        subscriptions[token] = {"p256dh": _b64(point), "auth": _b64(auth)}
    return secrets_, subscriptions


def _b64(raw: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# --- the database: a fresh schema, accounts with one subscription each, the outbox rows.


def fresh_database(url: str):
    """An app on an empty database with the models' schema."""
    from server import create_app
    from server.extensions import db
    from server.models import Base

    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        ensure_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        if not url.startswith("sqlite"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        # From the models: the notices' tables have no migration of their own yet.
        Base.metadata.create_all(db.engine)
    return app


COVERED = {"covered": True, "valid_until": "2026-12-21"}
AT = "2026-11-22T10:00"
OUTBOX_SHAPES = (
    ("coverage_changed", COVERED, {"covered": False, "valid_until": "2026-11-21"}),  # lost
    ("coverage_changed", COVERED, {"covered": True, "valid_until": "2027-01-20"}),  # later
    ("coverage_changed", {"covered": False, "valid_until": None}, COVERED),  # gained
    ("prescription_written", None, {"prescription_id": 1, "center": "مطب دکتر احمدی", "at": AT}),
    ("record_read", None, {"center": "داروخانهٔ شفا", "kind": "pharmacy", "at": AT}),
)


def load(app, people: int, rows: int, subscriptions: dict[str, dict], origin: str) -> None:
    """People, accounts (one in ten English), one subscription each, and the outbox rows."""
    from server.extensions import db
    from server.models import Account, OutboxEvent, Person, PushSubscription

    now = datetime.now(tz=UTC)
    with app.app_context():
        connection = db.session.connection()
        connection.execute(
            Person.__table__.insert(),
            [
                {"id": n + 1, "national_code": f"{n + 1:010d}", "first_name": "نام",
                 "last_name": f"خانواده {n}", "sex": "F" if n % 2 else "M"}
                for n in range(people)
            ],
        )  # fmt: skip
        connection.execute(
            Account.__table__.insert(),
            [
                {"id": n + 1, "person_id": n + 1, "user_handle": os.urandom(32),
                 "locale": "en" if n % 10 == 0 else "fa", "created_at": now}
                for n in range(people)
            ],
        )  # fmt: skip
        connection.execute(
            PushSubscription.__table__.insert(),
            [
                {"account_id": n + 1, "endpoint": f"{origin}/push/phone{n}", "created_at": now,
                 **subscriptions[f"phone{n}"]}
                for n in range(people)
            ],
        )  # fmt: skip
        connection.execute(
            OutboxEvent.__table__.insert(),
            [
                {"kind": kind, "person_id": n % people + 1, "old": old, "new": new,
                 "created_at": now, "status": "pending"}
                for n in range(rows)
                for kind, old, new in [OUTBOX_SHAPES[n % len(OUTBOX_SHAPES)]]
            ],
        )  # fmt: skip
        db.session.commit()


# --- the measure.


def run_workers(url: str, workers: int, args: argparse.Namespace) -> tuple[float, list[str]]:
    """Start `workers` × `flask darman worker --once` together; seconds until all exited."""
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DARMAN_SECRET_KEY=SECRET_KEY,
        DARMAN_TODAY=TODAY,
        DARMAN_INSTANCE_PATH=str(DATA / "push-instance"),
        DARMAN_PUSH_CONCURRENCY=args.concurrency,
        DARMAN_PUSH_BATCH=args.batch,
        DARMAN_PUSH_ALLOW_LOOPBACK="1",  # the local push service is on 127.0.0.1
    )
    command = [str(BIN / "flask"), "--app", "server", "darman", "worker", "--once"]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    outputs = [process.communicate()[0] for process in processes]
    elapsed = time.perf_counter() - started
    if any(process.returncode for process in processes):
        sys.exit("a worker failed:\n" + "\n".join(outputs))
    return elapsed, outputs


def measure(url: str, workers: int, args: argparse.Namespace) -> dict:
    """Load, run the workers against a fresh push service, and check what arrived."""
    from server.extensions import db

    keys, subscriptions = phones(args.people)
    ports = multiprocessing.Queue()
    service = multiprocessing.Process(target=serve, args=(ports, keys), daemon=True)
    service.start()
    try:
        origin = f"http://127.0.0.1:{ports.get(timeout=30)}"
        app = fresh_database(url)
        load(app, args.people, args.rows, subscriptions, origin)
        with app.app_context():
            db.engine.dispose()
        print(f"{describe(url)}: {args.rows:,} outbox rows, {workers} worker(s) …", flush=True)
        elapsed, outputs = run_workers(url, workers, args)
        with urlopen(f"{origin}/stats") as answer:
            stats = json.load(answer)
    finally:
        service.kill()
        service.join()
    sent = [int(re.search(r"(\d+) pushes sent", out)[1]) for out in outputs]
    return {"elapsed": elapsed, "stats": stats, "sent": sent, "workers": workers}


def report(name: str, rows: int, figures: dict) -> list[str]:
    """Print one run's figures; the problems seen."""
    stats, elapsed = figures["stats"], figures["elapsed"]
    rate = rows / elapsed
    sending = stats["last"] - stats["first"] if stats["first"] else 0.0
    at_service = stats["received"] / max(sending, 1e-9)
    print(
        f"{name}: {rows:,} notices in {elapsed:.1f} s = {rate:,.0f} notices/s (worker start to "
        f"exit, fan-out included); at the push service {at_service:,.0f} pushes/s (first to "
        f"last); sent per worker {figures['sent']}"
    )
    if figures["workers"] == 1:
        print(f"  budget ≥ {BUDGET_PER_SECOND:.0f}/s with one worker: {budget(rate >= 300)}")
    problems = []
    if stats["unique"] != rows:
        problems.append(f"{name}: {stats['unique']} distinct notices arrived, not {rows}")
    if stats["twice"] or stats["problems"]:
        problems.append(f"{name}: {stats['twice']} twice, {stats['problems']} undecryptable")
    return problems


def main(argv: list[str] | None = None) -> int:
    """SQLite with one worker; PostgreSQL with two when --database-url is given."""
    args = parse_arguments(argv)
    (DATA / "push-instance").mkdir(parents=True, exist_ok=True)
    runs = [("SQLite, 1 worker", sqlite_url("push.sqlite3"), 1)]
    if args.database_url:
        runs.append(("PostgreSQL, 2 workers", sibling(args.database_url, "_push"), 2))
    results = [(name, measure(url, workers, args)) for name, url, workers in runs]
    print(f"\n== push figures ({datetime.now():%Y-%m-%d}, {os.cpu_count()} cores) ==")
    problems = []
    for name, figures in results:
        problems += report(name, args.rows, figures)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
