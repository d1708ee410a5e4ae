"""Where a provider inquiry's time goes, in process: the trivial route and the inquiry through
Flask's test client on a registry `inquiry.py` loaded, and the time inside each step of the
hot path (the token's read, its count, the inquiry's statement and commit, the body's parsing).

It needs the database of an earlier `bench/inquiry.py` run (its tokens and national codes):

    .venv/bin/python bench/inquiry_parts.py [--database-url URL] [--people 1000000]

The test client's own work (building the request) is counted in both routes; the differences
are what the inquiry costs beyond the trivial route.
"""

import argparse
import functools
import logging
import os
import time
from collections import Counter
from pathlib import Path

from common import DATA, app_env, describe, sqlite_url
from sqlalchemy import make_url

REQUESTS = 3000


def timed(spent: Counter, module, name: str) -> None:
    """Wrap `module.name` so that the time inside it adds up in `spent`."""
    original = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[f"{getattr(module, '__qualname__', module.__name__)}.{name}"] += (
                time.perf_counter() - started
            )

    setattr(module, name, wrapper)


def main() -> None:
    """Measure and print, in microseconds a request."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    url = args.database_url or sqlite_url(f"inquiry-{args.people}.sqlite3")
    os.environ.update(app_env(url))
    stem = Path(make_url(url).database).stem
    tokens = (DATA / f"tokens-{stem}.txt").read_text().split()
    codes = (DATA / f"codes-{stem}.txt").read_text().split()

    from server import create_app, inquiries
    from server.auth import providers, rate_limits
    from server.prepared import PreparedConnection
    from server.web import toolkit, unit_of_work

    app = create_app()
    logging.getLogger("darman.requests").disabled = True  # the same for both routes
    spent: Counter = Counter()
    for module, name in (
        (providers, "lookup"),
        (rate_limits, "take"),
        (inquiries, "ask"),
        (toolkit, "parse_body"),
        (unit_of_work, "finish"),
        (inquiries, "new_tracking_code"),
        (rate_limits, "bucket_values"),
        (PreparedConnection, "execute"),
        (PreparedConnection, "commit"),
    ):
        timed(spent, module, name)
    client = app.test_client()

    def ping(n: int) -> None:
        for _ in range(n):
            assert client.get("/api/ping").status_code == 200

    def inquire(n: int) -> None:
        for i in range(n):
            answer = client.post(
                "/api/provider/eligibility",
                json={"national_code": codes[i % len(codes)]},
                headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"},
            )
            assert answer.status_code == 200, answer.get_json()

    ping(300)
    inquire(300)
    spent.clear()
    started = time.perf_counter()
    ping(REQUESTS)
    trivial = (time.perf_counter() - started) / REQUESTS * 1e6
    spent.clear()
    started = time.perf_counter()
    inquire(REQUESTS)
    inquiry = (time.perf_counter() - started) / REQUESTS * 1e6
    print(f"database: {describe(url)}, {REQUESTS} requests each, in process")
    print(f"trivial route   {trivial:7.0f} µs a request")
    print(f"inquiry         {inquiry:7.0f} µs a request (ratio {trivial / inquiry:.2f})")
    for name, seconds in spent.most_common():
        print(f"  {name:40} {seconds / REQUESTS * 1e6:7.0f} µs")
    print("(ask includes take, the inquiry's statement, its commit and its tracking code; lookup")
    print(" and take each run one statement: PreparedConnection.execute counts all three)")


if __name__ == "__main__":
    main()
