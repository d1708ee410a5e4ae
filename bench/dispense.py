"""A delivery at the counter — with its eligibility check, prices and shares (issue 25) — against
the same delivery before them: the p99 of `POST /api/provider/prescriptions/<code>/dispense`, both
measured in this run by the same driver (bench/dispense_run.py), on the baseline's source tree (a
detached git worktree in bench/.data/) and on this one. Budget: p99 within 1.5 × the baseline's.
"""

import argparse
import json
import statistics
import subprocess
import sys

from common import DATA, ROOT, budget

# The last commit before a delivery checked eligibility and priced its items.
BASELINE = "1b5d341e6eec24c51565149ca292720877bc6fec"
BUDGET_RATIO = 1.5


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=300, help="deliveries per side and turn")
    parser.add_argument("--turns", type=int, default=2, help="turns of both sides, alternating")
    return parser.parse_args(argv)


def baseline_tree(commit: str):
    """The baseline's source, checked out once (detached) under bench/.data/."""
    tree = DATA / f"baseline-{commit[:12]}"
    if not tree.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return tree


def side(tree, rounds: int) -> dict:
    """One run of the driver in TREE: its timings and whether it priced."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dispense_run.py"), "--tree", str(tree),
         "--rounds", str(rounds)],
        cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=False,
    )  # fmt: skip
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not last.startswith("{"):
        sys.exit(f"the driver failed in {tree}: {last}")
    return json.loads(last)


def percentile(values: list[float], share: float) -> float:
    """The value below which SHARE of VALUES lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """Both sides, alternating; their medians and p99s, and the ratio against the budget."""
    args = parse_arguments(argv)
    trees = {"baseline": baseline_tree(args.baseline), "now": ROOT}
    times: dict[str, list[float]] = {"baseline": [], "now": []}
    priced = {}
    for _ in range(args.turns):
        for name, tree in trees.items():
            answer = side(tree, args.rounds)
            times[name] += answer["milliseconds"]
            priced[name] = answer["priced"]
    for name, values in times.items():
        print(
            f"{name:9} ({'priced' if priced[name] else 'not priced'}): {len(values)} deliveries, "
            f"p50 {statistics.median(values):6.1f} ms, p99 {percentile(values, 0.99):6.1f} ms"
        )
    ratio = percentile(times["now"], 0.99) / percentile(times["baseline"], 0.99)
    print(f"p99 ratio {ratio:.2f} (budget ≤ {BUDGET_RATIO}) — {budget(ratio <= BUDGET_RATIO)}")
    return 0 if priced["now"] else 1


if __name__ == "__main__":
    sys.exit(main())
