"""Test modules are imported by their file name alone (the test folders are not packages), so two
test files of one name anywhere under tests/ and e2e/ stop `make test` at collection."""

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_file_has_a_name_of_its_own():
    names = Counter(
        path.name for folder in ("tests", "e2e") for path in (ROOT / folder).rglob("test_*.py")
    )
    assert [name for name, count in names.items() if count > 1] == []
