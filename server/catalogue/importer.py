"""Loading the catalogue and the interaction table from CSV files.

A file is read and checked whole first; any bad row is reported as `file:line: reason` and
nothing of that file is written. A good file is applied by code (or ingredient pair): new rows
are added, rows whose values differ are updated, the same file again changes nothing. Rows no
longer in a file are kept, since prescriptions already written name them.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import select

from ..domain.interactions import SEVERITIES, ingredient_pair
from ..domain.search_text import search_text
from ..extensions import db
from ..models import CATALOGUE_KINDS, CatalogueItem, Interaction

DATA = Path(__file__).parent / "data"
SHIPPED_CATALOGUE = DATA / "catalogue.csv"
SHIPPED_INTERACTIONS = DATA / "interactions.csv"
MAX_LINES = 100_000

CATALOGUE_COLUMNS = (
    "code",
    "kind",
    "name",
    "generic_name",
    "ingredients",
    "form",
    "strength",
    "unit",
    "max_quantity",
    "covered",
)
INTERACTION_COLUMNS = ("ingredient_a", "ingredient_b", "severity", "advice", "source")
_TRUE, _FALSE = ("1", "yes", "true"), ("0", "no", "false")
_LIMITS = {
    "code": 30,
    "name": 200,
    "generic_name": 200,
    "ingredients": 300,
    "form": 60,
    "strength": 60,
    "unit": 40,
    "advice": 500,
    "source": 500,
}


class RowProblem(ValueError):
    """Why a row cannot be loaded, in words for the operator."""


@dataclass
class LoadReport:
    """What loading one file did: rows read, added, changed, and its errors."""

    name: str
    rows: int = 0
    added: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the operator."""
        state = "rolled back" if self.errors else "ok"
        return f"{self.name}: {self.rows} rows, {self.added} added, {self.changed} changed, {state}"


def _rows(path: Path, columns: tuple[str, ...], report: LoadReport) -> Iterator[tuple[int, dict]]:
    """Each data row with its line number; a missing column is reported against line 1."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        missing = [column for column in columns if column not in (reader.fieldnames or ())]
        if missing:
            message = gettext("missing columns: %(columns)s", columns=", ".join(missing))
            report.errors.append(f"{path.name}:1: {message}")
            return
        for row in reader:
            if reader.line_num > MAX_LINES:
                message = gettext("more than %(n)s lines", n=MAX_LINES)
                report.errors.append(f"{path.name}:{reader.line_num}: {message}")
                return
            if None in row or any(row.get(column) is None for column in columns):
                report.errors.append(
                    f"{path.name}:{reader.line_num}: {gettext('wrong number of fields')}"
                )
                continue
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _text(row: dict, column: str, *, required: bool = True) -> str:
    """A text column: not empty when required, within its length."""
    value = row[column]
    if required and not value:
        raise RowProblem(gettext("%(column)s is empty", column=column))
    if len(value) > _LIMITS.get(column, 100):
        raise RowProblem(gettext("%(column)s is too long", column=column))
    if any(ch < " " for ch in value):
        raise RowProblem(gettext("%(column)s has a control character", column=column))
    return value


def _ingredients(text: str) -> str:
    """Ingredients in lower case, `+` between them, each once, in the order given."""
    parts = [part.strip().lower() for part in text.split("+")]
    if any(not part for part in parts):
        raise RowProblem(gettext("ingredients has an empty name"))
    return "+".join(dict.fromkeys(parts))


def catalogue_values(row: dict) -> dict:
    """One catalogue row as the model's values, or RowProblem."""
    kind = row["kind"]
    if kind not in CATALOGUE_KINDS:
        raise RowProblem(gettext("kind must be one of %(kinds)s", kinds=", ".join(CATALOGUE_KINDS)))
    code = _text(row, "code")
    if not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in code):
        raise RowProblem(gettext("code must be Latin letters, digits, dot, dash or underscore"))
    text = _text(row, "ingredients", required=kind == "drug")
    ingredients = _ingredients(text) if text else ""
    maximum = row["max_quantity"]
    if not (maximum.isascii() and maximum.isdigit() and 1 <= int(maximum) <= 1000):
        raise RowProblem(gettext("max_quantity must be a whole number from 1 to 1000"))
    covered = row["covered"].lower()
    if covered not in _TRUE + _FALSE:
        raise RowProblem(gettext("covered must be 1 or 0"))
    values = {
        "code": code,
        "kind": kind,
        "name": _text(row, "name"),
        "generic_name": _text(row, "generic_name"),
        "ingredients": ingredients,
        "form": _text(row, "form", required=False),
        "strength": _text(row, "strength", required=False),
        "unit": _text(row, "unit"),
        "max_quantity": int(maximum),
        "covered": covered in _TRUE,
    }
    words = (values["name"], values["generic_name"], code, ingredients.replace("+", " "))
    values["search"] = " ".join(search_text(word) for word in words)
    return values


def interaction_values(row: dict) -> dict:
    """One interaction row as the model's values (ingredients in a fixed order), or RowProblem."""
    first = _ingredients(_text(row, "ingredient_a"))
    second = _ingredients(_text(row, "ingredient_b"))
    if "+" in first or "+" in second:
        raise RowProblem(gettext("an interaction is between two single ingredients"))
    if first == second:
        raise RowProblem(gettext("the two ingredients are the same"))
    if row["severity"] not in SEVERITIES:
        raise RowProblem(gettext("severity must be one of %(kinds)s", kinds=", ".join(SEVERITIES)))
    a, b = ingredient_pair(first, second)
    return {
        "ingredient_a": a,
        "ingredient_b": b,
        "severity": row["severity"],
        "advice": _text(row, "advice"),
        "source": _text(row, "source"),
    }


def _parse(
    path: Path,
    columns: tuple[str, ...],
    values: Callable[[dict], dict],
    key: Callable[[dict], object],
    report: LoadReport,
) -> dict[object, dict]:
    """Every row of a file by its key, reporting bad rows and repeated keys."""
    parsed: dict[object, dict] = {}
    for line, row in _rows(path, columns, report):
        report.rows += 1
        try:
            row_values = values(row)
        except RowProblem as problem:
            report.errors.append(f"{path.name}:{line}: {problem}")
            continue
        row_key = key(row_values)
        if row_key in parsed:
            shown = "–".join(map(str, row_key)) if isinstance(row_key, tuple) else row_key
            message = gettext("this row repeats an earlier one (%(key)s)", key=shown)
            report.errors.append(f"{path.name}:{line}: {message}")
            continue
        parsed[row_key] = row_values
    return parsed


def _apply(model, parsed: dict[object, dict], key: Callable, report: LoadReport) -> None:
    """Add new rows and update changed ones (flushed, not committed)."""
    existing = {key(row): row for row in db.session.scalars(select(model))}
    for row_key, values in parsed.items():
        row = existing.get(row_key)
        if row is None:
            db.session.add(model(**values))
            report.added += 1
            continue
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(row, name, value)
            report.changed += 1
    db.session.flush()


def load_file(
    path: Path,
    model,
    columns: tuple[str, ...],
    values: Callable[[dict], dict],
    key: Callable[[dict], object],
) -> LoadReport:
    """Check a CSV file whole, then add and update its rows by `key` (flushed, not committed);
    nothing is written when a row is bad. `key` takes a row's values or a model's row."""
    report = LoadReport(path.name)
    parsed = _parse(path, columns, values, key, report)
    if not report.errors:
        _apply(model, parsed, key, report)
    return report


def keyed_by(*names: str) -> Callable[[object], object]:
    """A `key` for load_file: these columns of a row's values or of a model's row."""

    def key(values):
        get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
        found = tuple(get(name) for name in names)
        return found[0] if len(found) == 1 else found

    return key


def load_catalogue(path: Path) -> LoadReport:
    """Check, then load, a catalogue CSV file; nothing is written when a row is bad."""
    return load_file(path, CatalogueItem, CATALOGUE_COLUMNS, catalogue_values, keyed_by("code"))


def load_interactions(path: Path) -> LoadReport:
    """Check, then load, an interaction CSV file; nothing is written when a row is bad."""
    key = keyed_by("ingredient_a", "ingredient_b")
    return load_file(path, Interaction, INTERACTION_COLUMNS, interaction_values, key)
