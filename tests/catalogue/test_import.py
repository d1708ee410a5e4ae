"""`darman catalogue import [FILE]` and `darman interactions import FILE`: the shipped tables,
idempotent loads, and bad rows reported as `file:line: reason` with nothing written."""

import csv

import pytest
from sqlalchemy import func, select

from server.catalogue.importer import SHIPPED_CATALOGUE, SHIPPED_INTERACTIONS
from server.demo.records import CATALOGUE as DEMO_ITEMS
from server.extensions import db
from server.models import CatalogueItem, Interaction

HEADER = "code,kind,name,generic_name,ingredients,form,strength,unit,max_quantity,covered"
WARFARIN = "D9001,drug,وارفارین ۵ میلی‌گرم,Warfarin 5 mg,warfarin,قرص,5 mg,عدد,100,1"
FBS = "L9001,lab,قند خون ناشتا,Fasting blood sugar,,آزمایش,,نوبت,1,1"


def count(app, model) -> int:
    """Rows of one table."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def write_csv(path, *lines: str):
    """A CSV file of these lines."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shipped_rows(path) -> list[dict]:
    """The rows of a shipped CSV file."""
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_shipped_catalogue_and_interactions_load_with_no_file(app, runner):
    result = runner.invoke(args=["darman", "catalogue", "import"])
    assert result.exit_code == 0, result.output
    items, pairs = len(shipped_rows(SHIPPED_CATALOGUE)), len(shipped_rows(SHIPPED_INTERACTIONS))
    assert items >= 300
    assert (count(app, CatalogueItem), count(app, Interaction)) == (items, pairs)
    assert f"catalogue.csv: {items} rows, {items} added, 0 changed, ok" in result.output


def test_loading_the_shipped_tables_again_changes_nothing(app, runner):
    runner.invoke(args=["darman", "catalogue", "import"])
    again = runner.invoke(args=["darman", "catalogue", "import"])
    assert again.exit_code == 0
    assert ", 0 added, 0 changed, ok" in again.output.splitlines()[0]
    assert ", 0 added, 0 changed, ok" in again.output.splitlines()[1]


def test_the_shipped_catalogue_has_every_kind_and_the_drugs_the_issue_names():
    rows = shipped_rows(SHIPPED_CATALOGUE)
    kinds = {row["kind"] for row in rows}
    assert kinds == {"drug", "lab", "imaging", "physio", "visit"}
    ingredients = {part for row in rows for part in row["ingredients"].split("+") if part}
    named = [
        "amoxicillin",
        "metformin",
        "atorvastatin",
        "losartan",
        "warfarin",
        "aspirin",
        "ibuprofen",
        "omeprazole",
        "sertraline",
        "tramadol",
        "clarithromycin",
        "sildenafil",
        "nitroglycerin",
        "spironolactone",
        "enalapril",
        "levothyroxine",
    ]
    assert set(named) <= ingredients
    assert sum(row["kind"] == "lab" for row in rows) >= 30
    assert sum(row["kind"] == "imaging" for row in rows) >= 20


@pytest.mark.parametrize(
    ("a", "b", "severities"),
    [
        ("warfarin", "aspirin", {"major"}),
        ("warfarin", "ibuprofen", {"major"}),
        ("sildenafil", "nitroglycerin", {"major"}),
        ("sertraline", "tramadol", {"major"}),
        ("atorvastatin", "clarithromycin", {"major"}),
        ("warfarin", "clarithromycin", {"moderate", "major"}),
        ("enalapril", "spironolactone", {"moderate"}),
    ],
)
def test_the_shipped_table_rates_the_issues_pairs(a, b, severities):
    rows = {
        frozenset((row["ingredient_a"], row["ingredient_b"])): row
        for row in shipped_rows(SHIPPED_INTERACTIONS)
    }
    row = rows[frozenset((a, b))]
    assert row["severity"] in severities
    assert row["source"].strip() and "prescribing information" in row["source"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in row["advice"])


def test_every_item_the_demo_history_writes_is_in_the_shipped_catalogue():
    shipped = {row["code"]: row for row in shipped_rows(SHIPPED_CATALOGUE)}
    for code, name, _instructions, quantities in DEMO_ITEMS.values():
        assert shipped[code]["name"] == name
        assert max(quantities) <= int(shipped[code]["max_quantity"])


def test_a_file_loads_and_a_changed_row_is_updated(app, runner, tmp_path):
    path = write_csv(tmp_path / "mine.csv", HEADER, WARFARIN, FBS)
    first = runner.invoke(args=["darman", "catalogue", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "mine.csv: 2 rows, 2 added, 0 changed, ok" in first.output
    write_csv(path, HEADER, WARFARIN.replace(",100,1", ",60,1"), FBS)
    second = runner.invoke(args=["darman", "catalogue", "import", str(path)])
    assert "mine.csv: 2 rows, 0 added, 1 changed, ok" in second.output
    with app.app_context():
        item = db.session.scalar(select(CatalogueItem).where(CatalogueItem.code == "D9001"))
        assert (item.max_quantity, item.ingredients, item.covered) == (60, "warfarin", True)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (WARFARIN.replace(",drug,", ",massage,"), "kind"),
        (WARFARIN.replace(",100,", ",0,"), "max_quantity"),
        (WARFARIN.replace(",100,", ",many,"), "max_quantity"),
        (WARFARIN[:-2] + ",maybe", "covered"),
        (WARFARIN.replace(",warfarin,", ",,"), "ingredients"),
        (WARFARIN.replace("D9001", "D 9001"), "کد"),
        (WARFARIN.replace(",عدد,", ","), "ستون"),
        (FBS.replace("L9001", "D9001"), "D9001"),  # the same code twice
    ],
)
def test_a_bad_row_is_reported_and_nothing_of_the_file_is_written(
    app, runner, tmp_path, row, reason
):
    path = write_csv(tmp_path / "bad.csv", HEADER, WARFARIN, row)
    result = runner.invoke(args=["darman", "catalogue", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("bad.csv:3: ")
    assert reason in result.stderr
    assert count(app, CatalogueItem) == 0


def test_a_file_without_the_columns_is_refused(app, runner, tmp_path):
    path = write_csv(tmp_path / "bad.csv", "code,name", "D1,x")
    result = runner.invoke(args=["darman", "catalogue", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("bad.csv:1: ")
    assert count(app, CatalogueItem) == 0


INTERACTIONS = "ingredient_a,ingredient_b,severity,advice,source"


def test_an_interaction_file_loads_with_its_pair_in_order(app, runner, tmp_path):
    path = write_csv(
        tmp_path / "pairs.csv", INTERACTIONS, "Warfarin,aspirin,major,خطر خونریزی,a label"
    )
    result = runner.invoke(args=["darman", "interactions", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.scalars(select(Interaction)).one()
        assert (row.ingredient_a, row.ingredient_b, row.severity) == (
            "aspirin",
            "warfarin",
            "major",
        )


@pytest.mark.parametrize(
    "row",
    [
        "warfarin,aspirin,deadly,خطر,a label",
        "warfarin,warfarin,major,خطر,a label",
        "warfarin,aspirin,major,,a label",
        "warfarin,aspirin,major,خطر,",
        "aspirin,warfarin,minor,خطر,a label",  # the pair above again, in the other order
    ],
)
def test_a_bad_interaction_row_writes_nothing(app, runner, tmp_path, row):
    path = write_csv(
        tmp_path / "pairs.csv", INTERACTIONS, "warfarin,aspirin,major,خطر,a label", row
    )
    result = runner.invoke(args=["darman", "interactions", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("pairs.csv:3: ")
    assert count(app, Interaction) == 0
