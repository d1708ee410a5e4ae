"""Where the code may commit, read from the code itself: the request's unit of work commits
(`server/web/unit_of_work.py` through `server/database.py`); views and operations never do.
What else commits is a boundary of its own, each named here with its reason."""

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "server"

# Modules that may call `.commit()`, and why. A CLI command module (`cli.py`) is its own
# boundary too.
OWN_TRANSACTIONS = {
    "database.py": "the unit of work's helpers: commit_now, commit_and_follow, short transactions",
    "inquiries.py": "the inquiry's hot path: one short transaction on a connection of its own",
    "prepared.py": "the hot path's prepared connection: its commit is the DBAPI's",
    "retention.py": "prune: short batches, each its own transaction",
    "notify/worker.py": "the push worker: never holds the write lock while sending",
    "notify/fanout.py": "the push worker's fan-out of outbox rows into notices",
    "notify/sms_fallback.py": "the worker's notice SMS: claim, count and record around each send",
    "staff/imports.py": "the recorded import: its run on record before, during and after",
    "demo/records.py": "the demo command: a batch of people at a time",
    "demo/accounts.py": "a step of the demo command",
}


def commits(path: Path) -> list[int]:
    """The lines of a module that call something's `commit()`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]


def test_no_view_or_operation_commits():
    found = {}
    for path in sorted(SERVER.rglob("*.py")):
        name = path.relative_to(SERVER).as_posix()
        if name in OWN_TRANSACTIONS or path.name == "cli.py":
            continue
        lines = commits(path)
        if lines:
            found[name] = lines
    assert found == {}, "commit in a view or an operation: use commit_now, or let the request"


def test_the_exceptions_still_commit():
    """A name left in the list whose module no longer commits is stale."""
    stale = [name for name in OWN_TRANSACTIONS if not commits(SERVER / name)]
    assert stale == []


def test_the_finder_sees_a_commit(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f(session):\n    x = 1\n    session.commit()\n")
    assert commits(sample) == [3]
