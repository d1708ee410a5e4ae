"""The nightly settlement of a day of 1,000,000 claim lines over 20,000 centres, timed — with
inquiries written meanwhile on the same database, their latencies measured (issue 25).

The baseline is the bare aggregate the settlement cannot do without (one `GROUP BY provider_id`
over the day's lines), in the same run on the same data.
"""

import argparse
import random
import sys
import threading
import time
from datetime import UTC, date, datetime

from common import DATA, budget, describe, fresh_app, sibling_database, sqlite_url
from sqlalchemy import insert, text

DAY = date(2026, 11, 21)
BUDGET_SECONDS = 60.0
RERUN_BUDGET_SECONDS = 5.0
INQUIRY_P99_BUDGET_MS = 250.0
CHUNK = 20_000


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL; the benchmark wipes and uses the database named <name>_settle "
        "beside it (default: a fresh SQLite file in bench/.data/)",
    )
    parser.add_argument("--lines", type=int, default=1_000_000, help="claim lines on the day")
    parser.add_argument("--centres", type=int, default=20_000, help="centres with claims")
    parser.add_argument("--inquiries-per-second", type=float, default=50.0)
    parser.add_argument("--profile", action="store_true", help="cProfile the settlement")
    return parser.parse_args(argv)


def fill(app, lines: int, centres: int) -> None:
    """The centres (four in five contracted), a thousand people, and the day's claim lines."""
    from server.extensions import db
    from server.models import ClaimLine, Contract, Person, Provider

    now, draw = datetime.now(UTC), random.Random(25)
    with app.app_context():
        connection = db.session.connection()
        connection.execute(
            insert(Provider),
            [{"name": f"داروخانه {i}", "kind": "pharmacy", "city": "تهران", "address": "",
              "contract_requested": False, "status": "active", "created_at": now,
              "sso_owned": False, "public": False} for i in range(centres)],
        )  # fmt: skip
        connection.execute(
            insert(Person),
            [{"national_code": f"{i:010d}", "first_name": "آزمون", "last_name": f"{i}",
              "birth_date": date(1980, 1, 1), "sex": "M"} for i in range(1, 1001)],
        )  # fmt: skip
        ids = [row[0] for row in connection.execute(text("SELECT id FROM provider"))]
        people = [row[0] for row in connection.execute(text("SELECT id FROM person"))]
        connection.execute(
            insert(Contract),
            [{"provider_id": i, "valid_from": date(2026, 1, 1), "made_at": now}
             for i in ids if i % 5],
        )  # fmt: skip
        db.session.commit()
        for start in range(0, lines, CHUNK):
            rows = []
            for _ in range(min(CHUNK, lines - start)):
                price = draw.randrange(10_000, 5_000_000)
                patient = price * 30 // 100
                rows.append(
                    {"provider_id": draw.choice(ids), "service_date": DAY, "kind": "drug",
                     "code": "D1001", "quantity": 1, "unit_price": price, "price": price,
                     "patient_share": patient, "sso_share": price - patient, "rule": "outpatient",
                     "person_id": draw.choice(people), "tracking_code": "123456789012",
                     "created_at": now, "status": "open", "deducted": 0}
                )  # fmt: skip
            db.session.connection().execute(insert(ClaimLine), rows)
            db.session.commit()
            print(f"\r{start + len(rows):,} claim lines written", end="", flush=True)
        print()


def baseline(app) -> float:
    """Seconds for the bare aggregate of the day's lines by centre."""
    from server.extensions import db

    with app.app_context():
        started = time.perf_counter()
        db.session.execute(
            text(
                "SELECT provider_id, COUNT(*), SUM(sso_share) FROM claim_line"
                " WHERE service_date = :day GROUP BY provider_id"
            ),
            {"day": DAY},
        ).all()
        seconds = time.perf_counter() - started
        db.session.rollback()
    return seconds


class Inquiries(threading.Thread):
    """Eligibility inquiries logged at a steady rate on the same database while the settlement
    runs (each its own transaction, as a request is): their latencies and failures."""

    def __init__(self, app, per_second: float) -> None:
        super().__init__(daemon=True)
        self.app, self.pause = app, 1.0 / per_second
        self.latencies: list[float] = []
        self.failures = 0
        self.stop = threading.Event()

    def run(self) -> None:
        """Log inquiries until stopped."""
        from server import inquiries
        from server.extensions import db

        with self.app.app_context():
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    answer = inquiries.find("0000000001", DAY)
                    inquiries.log(answer, channel="provider", national_code="0000000001")
                    db.session.commit()
                    self.latencies.append(time.perf_counter() - started)
                except Exception:  # noqa: BLE001 — a failed inquiry is what is counted here
                    db.session.rollback()
                    self.failures += 1
                time.sleep(max(0.0, self.pause - (time.perf_counter() - started)))


def p99(latencies: list[float]) -> float:
    """The 99th percentile in milliseconds (0 without samples)."""
    if not latencies:
        return 0.0
    ordered = sorted(latencies)
    return 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def settle(app, profile: bool):
    """The settlement of the day, timed (profiled if asked); its result and seconds."""
    from server.money import settlement

    with app.app_context():
        started = time.perf_counter()
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            result = profiler.runcall(settlement.settle, DAY, 80)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        else:
            result = settlement.settle(DAY, 80)
        return result, time.perf_counter() - started


def run(args: argparse.Namespace) -> list[str]:
    """The whole benchmark; the problems it saw (wrong answers, not figures)."""
    if args.database_url:
        url, engine = sibling_database(args.database_url, "_settle"), "PostgreSQL"
    else:
        url, engine = sqlite_url("settle.sqlite3"), "SQLite"
    print(f"database: {describe(url)} (emptied)")
    app = fresh_app(url, "2026-11-22")
    fill(app, args.lines, args.centres)
    base = baseline(app)
    load = Inquiries(app, args.inquiries_per_second)
    load.start()
    first, seconds = settle(app, args.profile)
    load.stop.set()
    load.join()
    again, rerun = settle(app, False)
    print(f"\n== settle: {engine}, {args.lines:,} claim lines over {args.centres:,} centres ==")
    figures = [
        ("bare GROUP BY of the day (baseline)", f"{base:6.2f} s"),
        ("settle", f"{seconds:6.2f} s = {seconds / base:.1f} × the baseline"),
        ("budget", f"≤ {BUDGET_SECONDS:.0f} s: {budget(seconds <= BUDGET_SECONDS)}"),
        ("re-run (already settled)", f"{rerun:6.2f} s: {budget(rerun <= RERUN_BUDGET_SECONDS)}"),
        (
            "inquiries meanwhile",
            f"{len(load.latencies):,} answered, {load.failures} failed, p99 "
            f"{p99(load.latencies):.0f} ms (budget ≤ {INQUIRY_P99_BUDGET_MS:.0f} ms: "
            f"{budget(p99(load.latencies) <= INQUIRY_P99_BUDGET_MS and not load.failures)})",
        ),
        ("centres settled / advance", f"{first.centres:,} / {first.advance:,} rials"),
    ]
    for label, value in figures:
        print(f"{label:<38} {value}")
    problems = []
    if first.lines != args.lines or not first.settled_now:
        problems.append(f"settled {first.lines} lines, not {args.lines}")
    if again.settled_now or (again.lines, again.advance) != (first.lines, first.advance):
        problems.append("the second run changed something")
    if load.failures:
        problems.append(f"{load.failures} inquiries failed during the settlement")
    for problem in problems:
        print(f"WRONG: {problem}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run it; exit 1 when an answer was wrong (figures themselves are never judged)."""
    return 1 if run(parse_arguments(argv)) else 0


if __name__ == "__main__":
    DATA.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
