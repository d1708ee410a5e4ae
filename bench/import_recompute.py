"""Import + recompute of a synthetic registry with ≥ 1,000,000 contribution rows, timed."""

import argparse
import csv
import json
import sys
import time
from datetime import date
from pathlib import Path

from common import DATA, budget, describe, fresh_app, sibling_database, sqlite_url

BUDGET_SECONDS = 60.0
MIN_CONTRIBUTIONS = 1_000_000


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL; the benchmark wipes and uses the database named <name>_import "
        "beside it (default: a fresh SQLite file in bench/.data/)",
    )
    parser.add_argument("--people", type=int, default=175_000, help="registry size to generate")
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    return parser.parse_args(argv)


def registry_files(people: int) -> tuple[Path, dict]:
    """The synthetic registry's CSV folder in bench/.data/ (written once) and its stats."""
    from server.demo.registry import write_registry_csv

    directory = DATA / f"registry-{people}"
    stats_path = directory / "stats.json"
    if not stats_path.exists():
        print(f"writing a synthetic registry of {people:,} people to {directory} …", flush=True)
        today = date.today()
        stats = write_registry_csv(directory, people, today=today, seed=1)
        counts = {name: getattr(stats, name) for name in ("persons", "contributions")}
        stats_path.write_text(json.dumps({"today": today.isoformat(), **counts}))
    return directory, json.loads(stats_path.read_text())


def baseline(directory: Path) -> tuple[float, int]:
    """Seconds to read and parse every CSV file with csv.DictReader, and the rows read."""
    rows = 0
    started = time.perf_counter()
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows += sum(1 for _ in csv.DictReader(stream))
    return time.perf_counter() - started, rows


def timed_import(app, directory: Path, today: str) -> dict:
    """import_directory, with the time spent recomputing measured apart."""
    from server.registry import importer, recompute

    original, marks = recompute.recompute_in_batches, {}

    def timed_recompute(*args, **kwargs):
        """recompute.recompute_in_batches, its start and end noted."""
        marks["recompute"] = time.perf_counter()
        result = original(*args, **kwargs)
        marks["commit"] = time.perf_counter()
        return result

    recompute.recompute_in_batches = timed_recompute
    try:
        with app.app_context():
            started = time.perf_counter()
            report = importer.import_directory(directory, today=date.fromisoformat(today))
            ended = time.perf_counter()
    finally:
        recompute.recompute_in_batches = original
    return {
        "files": marks["recompute"] - started,
        "recompute": marks["commit"] - marks["recompute"],
        "commit": ended - marks["commit"],
        "total": ended - started,
        "rows": sum(file.rows for file in report.files),
        "recomputed": report.recomputed,
        "changes": report.coverage_changes,
        "ok": report.ok,
    }


def profiled_import(app, directory: Path, today: str) -> dict:
    """timed_import under cProfile; prints where the time went."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    figures = profile.runcall(timed_import, app, directory, today)
    profile.dump_stats(DATA / "import.prof")
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return figures


def summary(engine: str, stats: dict, base: tuple[float, int], first: dict, again: dict) -> None:
    """The summary block."""
    total, contributions = first["total"], stats["contributions"]
    within = budget(total <= BUDGET_SECONDS)
    if engine != "SQLite":
        within = f"{'met' if total <= BUDGET_SECONDS else 'not met'} (the budget is SQLite's)"
    print(
        f"\n== import + recompute: {engine}, {stats['persons']:,} people, "
        f"{contributions:,} contribution rows, {first['rows']:,} rows in all =="
    )
    lines = [
        ("read + parse CSV (DictReader)", f"{base[0]:6.1f} s  ({base[1]:,} rows; the baseline)"),
        ("import of the files", f"{first['files']:6.1f} s"),
        (f"recompute ({first['recomputed']:,} people)", f"{first['recompute']:6.1f} s"),
        ("commit", f"{first['commit']:6.1f} s"),
        ("total", f"{total:6.1f} s  = {total / base[0]:.1f} × the baseline"),
        ("budget", f"≤ {BUDGET_SECONDS:.0f} s: {within}"),
        ("contribution rows/s", f"{contributions / total:9,.0f}"),
        ("all rows/s", f"{first['rows'] / total:9,.0f}"),
        (
            "re-import of the same files",
            f"{again['total']:6.1f} s: {again['recomputed']} people recomputed, "
            f"{again['changes']} changes (both must be 0)",
        ),
    ]
    for label, value in lines:
        print(f"{label:<34} {value}")


def run(args: argparse.Namespace) -> dict:
    """The whole benchmark; its figures."""
    if args.database_url:
        url, engine = sibling_database(args.database_url, "_import"), "PostgreSQL"
    else:
        url, engine = sqlite_url("import.sqlite3"), "SQLite"
    directory, stats = registry_files(args.people)
    if stats["contributions"] < MIN_CONTRIBUTIONS:
        print(f"note: only {stats['contributions']:,} contribution rows; try more --people")
    print(f"database: {describe(url)} (emptied)")
    app = fresh_app(url, stats["today"])
    base = baseline(directory)
    importing = profiled_import if args.profile else timed_import
    first = importing(app, directory, stats["today"])
    again = timed_import(app, directory, stats["today"])
    summary(engine, stats, base, first, again)
    problems = [] if first["ok"] and again["ok"] else ["a file was rejected"]
    if again["recomputed"] or again["changes"]:
        problems.append("the re-import changed something")
    for problem in problems:
        print(f"WRONG: {problem}")
    return {"stats": stats, "baseline": base, "first": first, "again": again, "problems": problems}


def main(argv: list[str] | None = None) -> int:
    """Run it; exit 1 when the import went wrong (figures themselves are never judged)."""
    return 1 if run(parse_arguments(argv))["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
