"""The database's failover and what synchronous commit costs, on the stack `make deploy-check`
starts (deploy/check/: pg_auto_failover's primary and standby, two app nodes, nginx): the same
centres' load as its failover check (deploy/check/load.py) for a while with the standby
synchronous, then as long with it asynchronous (its replication quorum off), in one run; then the
primary's node killed under that load.

    .venv/bin/python bench/failover.py [--seconds 30]

Needs root, like make deploy-check. Prints inquiries a second (and their ratio, asynchronous to
synchronous), writes a second and the deliveries' p50/p99; then the failover window (kill →
first 2xx write) and the answers 503 during it.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / p) for p in ("deploy/check", "tests", "tests/notify", "e2e")]
from load import WRITES, Load, centres  # noqa: E402
from stack import Stack  # noqa: E402


def ok(call) -> bool:
    """A 2xx answer."""
    return 200 <= call.status < 300


def measure(load: Load, seconds: float) -> dict[str, float]:
    """Run the load for `seconds`; rates and the deliveries' latency."""
    load.calls.clear()
    load.start()
    time.sleep(seconds)
    load.stop()
    calls = load.snapshot()
    took = [c.ended - c.started for c in calls if c.kind == "dispensing" and ok(c)]
    cuts = statistics.quantiles(took, n=100)
    return {
        "inquiries/s": sum(1 for c in calls if c.kind == "inquiry" and ok(c)) / seconds,
        "writes/s": sum(1 for c in calls if c.kind in WRITES and ok(c)) / seconds,
        "delivery p50 ms": cuts[49] * 1000,
        "delivery p99 ms": cuts[98] * 1000,
        "5xx": sum(1 for c in calls if c.status >= 500),
    }


def failover(stack: Stack, load: Load) -> tuple[float, int]:
    """Kill the primary's node under the load: (window in s, answers 503)."""
    load.calls.clear()
    load.start()
    load.wait_for(lambda calls: sum(1 for c in calls if c.kind in WRITES and ok(c)) >= 20, "writes")
    killed = stack.cluster.kill(stack.cluster.primary())
    load.wait_for(
        lambda calls: any(c.kind in WRITES and ok(c) and c.started > killed for c in calls),
        "a write after the kill",
    )
    load.stop()
    calls = load.snapshot()
    first = min(c.ended for c in calls if c.kind in WRITES and ok(c) and c.started > killed)
    return first - killed, sum(1 for c in calls if c.status == 503)


def main() -> None:
    """Start the stack, measure, print, stop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        stack = Stack(Path(folder))
        try:
            stack.start()
            load = Load(stack.url, str(stack.certificate), **centres(stack))
            synchronous = measure(load, args.seconds)
            stack.cluster.set_synchronous(False)
            asynchronous = measure(load, args.seconds)
            stack.cluster.set_synchronous(True)
            window, refused = failover(stack, load)
        finally:
            stack.stop()
    print(f"{'':18} {'synchronous':>12} {'asynchronous':>13}")
    for name in synchronous:
        print(f"{name:18} {synchronous[name]:12.1f} {asynchronous[name]:13.1f}")
    ratio = synchronous["inquiries/s"] / asynchronous["inquiries/s"]
    print(f"inquiries, synchronous / asynchronous: {ratio:.2f}")
    print(f"failover: window {window:.1f} s (kill → first 2xx write), {refused} answers 503")


if __name__ == "__main__":
    main()
