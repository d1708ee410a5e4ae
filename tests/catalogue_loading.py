"""Loading a small catalogue for tests: rows of the shipped one, through the real commands."""

import csv
from pathlib import Path

from server.catalogue.importer import SHIPPED_CATALOGUE

# The demo's everyday items and the drugs of the shipped interaction pairs.
SMALL = [
    "D1001",
    "D1002",
    "D1003",
    "D1006",
    "D1007",
    "D1008",
    "D1011",
    "D1013",
    "D1014",
    "D1101",
    "D1023",
    "D1024",
    "D1056",
    "D1057",
    "D1077",
    "D1080",
    "D1082",
    "D1084",
    "D1085",
    "D1090",
    "D1095",
    "D1113",
    "D1124",
    "D1155",
    "L2001",
    "L2002",
    "L2003",
    "R3001",
    "P4001",
    "V5001",
]


def write_small_catalogue(path: Path, codes: tuple[str, ...] | list[str] = SMALL) -> Path:
    """Write the shipped catalogue's rows of these codes as a CSV file."""
    with SHIPPED_CATALOGUE.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        rows = [row for row in reader if row["code"] in codes]
        fields = reader.fieldnames
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def load_small_catalogue(runner, directory: Path) -> None:
    """`darman catalogue import` of the small catalogue, then the shipped interaction table."""
    path = write_small_catalogue(directory / "small-catalogue.csv")
    result = runner.invoke(args=["darman", "catalogue", "import", str(path)])
    assert result.exit_code == 0, result.output
    shipped = str(SHIPPED_CATALOGUE.parent / "interactions.csv")
    result = runner.invoke(args=["darman", "interactions", "import", shipped])
    assert result.exit_code == 0, result.output
