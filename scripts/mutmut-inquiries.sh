#!/bin/sh
# Mutation testing of server/inquiries.py: its answers need the database, so its mutants run
# against its own fast tests (tests/channels/test_inquiry_log.py, test_inquiry_ask.py,
# test_snapshot_answers.py, test_last_covered_day.py's snapshot tests, and the domain tests),
# in a copy of the checkout whose [tool.mutmut] says so. Prints the live mutants and a count.
# MUTMUT_WORK=DIR (a new folder) keeps the copy there, for `mutmut show NAME` in it afterwards.
# Arguments, if any, name the mutants to run (mutmut's globs). With DATABASE_URL (PostgreSQL),
# set MUTMUT_CHILDREN=1: the test runs would share that one database.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${MUTMUT_WORK:-}" ]; then
    mkdir "$MUTMUT_WORK"
    WORK=$(cd "$MUTMUT_WORK" && pwd)
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
cd "$ROOT"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$WORK"
cd "$WORK"
"$ROOT/.venv/bin/python" - <<'PY'
import re
from pathlib import Path

path = Path("pyproject.toml")
text = path.read_text()
text = text.replace('only_mutate = ["server/domain/*"]', 'only_mutate = ["server/inquiries.py"]')
text = re.sub(
    r"pytest_add_cli_args_test_selection = \[.*?\]",
    'pytest_add_cli_args_test_selection = ["tests/domain", '
    '"tests/channels/test_last_covered_day.py::test_snapshot", '
    '"tests/channels/test_last_covered_day.py::test_snapshot_newborn", '
    '"tests/channels/test_last_covered_day.py::test_snapshot_newborn_of_a_mother_without_cover", '
    '"tests/channels/test_snapshot_answers.py", '
    '"tests/channels/test_inquiry_log.py", '
    '"tests/channels/test_inquiry_ask.py"]',
    text,
    flags=re.S,
)
path.write_text(text)
PY
"$ROOT/.venv/bin/mutmut" run --max-children "${MUTMUT_CHILDREN:-2}" "$@" >/dev/null 2>&1 || true
"$ROOT/.venv/bin/mutmut" results --all true > results.txt
grep -v ': killed$' results.txt || true  # the mutants that lived, by name
awk -F': ' 'NF == 2 {count[$2]++} END {for (status in count) print status, count[status]}' results.txt
