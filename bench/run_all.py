"""Every benchmark, one after the other (SQLite unless --database-url), then all figures."""

import argparse
import os
import shutil
import sys
from datetime import date

import import_recompute
import inquiry


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL: the inquiry runs on it, the import on <name>_import beside it",
    )
    return parser.parse_args(argv)


def figures(imported: dict, asked: dict) -> None:
    """All figures, one a line."""
    first, base = imported["first"], imported["baseline"]
    trivial, full, half = asked["trivial"], asked["inquiry"], asked["half"]
    print(f"\n== all figures ({date.today()}, {os.cpu_count()} cores) ==")
    print(
        f"import + recompute   {first['total']:.1f} s for {imported['stats']['contributions']:,}"
        f" contribution rows ({imported['stats']['contributions'] / first['total']:,.0f} rows/s;"
        f" files {first['files']:.1f} s, recompute {first['recompute']:.1f} s; CSV parse alone "
        f"{base[0]:.1f} s)  budget ≤ 60 s"
    )
    print(f"re-import            {imported['again']['recomputed']} people recomputed")
    print(
        f"trivial route        {trivial.rps:.0f} req/s, p50 {trivial.p50_ms:.2f} ms, "
        f"p99 {trivial.p99_ms:.2f} ms"
    )
    print(
        f"inquiry              {full.rps:.0f} req/s, p50 {full.p50_ms:.2f} ms, "
        f"p99 {full.p99_ms:.2f} ms; ratio {asked['ratio']:.2f}  budget ≥ 0.6"
    )
    print(
        f"inquiry, half load   {half.rps:.0f} req/s, p50 {half.p50_ms:.2f} ms, "
        f"p99 {half.p99_ms:.2f} ms  budget p99 ≤ 25 ms"
    )


def main(argv: list[str] | None = None) -> int:
    """Run both; exit 1 when either saw a wrong answer."""
    args = parse_arguments(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: run `apt-get install -y wrk`", file=sys.stderr)
        return 2
    extra = ["--database-url", args.database_url] if args.database_url else []
    imported = import_recompute.run(import_recompute.parse_arguments(extra))
    asked = inquiry.run(inquiry.parse_arguments(extra))
    figures(imported, asked)
    return 1 if imported["problems"] or asked["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
