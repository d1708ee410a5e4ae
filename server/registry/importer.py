"""`flask darman import DIR`: load the registry's CSV files, then recompute who they affect.

All files are read in one transaction, each inside a savepoint: a file with a bad row is rolled
back whole (and every bad row reported as `file:line: reason`), the others are kept. Rows are
streamed in chunks and written as upserts that change a row only when a value differs, and the
rows that did change name the people whose coverage is recomputed — so importing the same files
twice changes nothing at all.
"""

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import Connection, Table, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import Birth, Contribution, DependantLink, Document, InsuranceRecord, Person
from . import recompute
from .rows import FORMATS, FileFormat, RowProblem

CHUNK_ROWS = 1000


@dataclass
class FileReport:
    """What one file did: rows read, rows that changed something, and its errors."""

    name: str
    rows: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did, file by file, and how many people's coverage changed."""

    files: list[FileReport] = field(default_factory=list)
    recomputed: int = 0
    coverage_changes: int = 0

    @property
    def ok(self) -> bool:
        """True when no file had a bad row."""
        return not any(report.errors for report in self.files)


@dataclass(frozen=True)
class Target:
    """Where a file's rows go: the table, its natural key, what may change, whom it affects."""

    table: Table
    key: tuple[str, ...]
    updatable: tuple[str, ...]
    affects: str
    person_columns: dict[str, str]  # national code column in the file → person id column


TARGETS = {
    "persons.csv": Target(
        Person.__table__,
        ("national_code",),
        ("first_name", "last_name", "birth_date", "sex", "mobile", "death_date"),
        "id",
        {},
    ),
    "insured.csv": Target(
        InsuranceRecord.__table__,
        ("person_id", "kind", "start_date"),
        ("insurance_number", "end_date"),
        "person_id",
        {"national_code": "person_id"},
    ),
    "dependants.csv": Target(
        DependantLink.__table__,
        ("insured_id", "dependant_id", "relation"),
        ("start_date", "end_date"),
        "dependant_id",
        {"insured_national_code": "insured_id", "national_code": "dependant_id"},
    ),
    "contributions.csv": Target(
        Contribution.__table__,
        ("person_id", "jalali_year", "jalali_month", "workshop_code"),
        ("days",),
        "person_id",
        {"national_code": "person_id"},
    ),
    "documents.csv": Target(
        Document.__table__,
        ("person_id", "kind", "valid_from"),
        ("valid_until",),
        "person_id",
        {"national_code": "person_id"},
    ),
    "births.csv": Target(
        Birth.__table__,
        ("mother_id", "birth_date", "sex", "ordinal"),
        (),
        "mother_id",
        {"mother_national_code": "mother_id"},
    ),
}


def import_directory(directory: Path, *, today: date) -> ImportReport:
    """Import every registry file present in `directory`, recompute, and commit."""
    report = ImportReport()
    affected: set[int] = set()
    for file_format in FORMATS:
        path = directory / file_format.name
        if path.exists():
            file_report, changed_people = _import_file(path, file_format)
            report.files.append(file_report)
            affected |= changed_people
    result = recompute.recompute(db.session.connection(), affected, today)
    report.recomputed, report.coverage_changes = result.computed, result.changed
    db.session.commit()
    return report


def _import_file(path: Path, file_format: FileFormat) -> tuple[FileReport, set[int]]:
    """One file inside a savepoint, rolled back whole when any row is bad."""
    report = FileReport(path.name)
    target = TARGETS[path.name]
    affected: set[int] = set()
    savepoint = db.session.begin_nested()
    connection = db.session.connection()
    with path.open(newline="", encoding="utf-8-sig") as stream:
        reader = csv.DictReader(stream)
        problem = _header_problem(reader.fieldnames, file_format)
        if problem:
            report.errors.append(f"{path.name}:1: {problem}")
        else:
            for chunk in _chunks(_parsed_rows(reader, file_format, report)):
                if report.errors:
                    continue  # keep reading to report every bad row, write nothing more
                rows = _resolve(connection, chunk, target, report)
                if not report.errors:
                    changed = _upsert(connection, target, rows)
                    report.changed += len(changed)
                    affected |= changed
    if report.errors:
        savepoint.rollback()
        return report, set()
    savepoint.commit()
    return report, affected


def _header_problem(fieldnames: list[str] | None, file_format: FileFormat) -> str | None:
    """Why the header row is unusable, or None."""
    if not fieldnames:
        return gettext("the file is empty")
    names = [name.strip() for name in fieldnames]
    missing = [c for c in file_format.columns if c not in names]
    unknown = [c for c in names if c not in file_format.columns]
    if missing:
        return gettext("missing columns: %(columns)s", columns=", ".join(missing))
    if unknown:
        return gettext("unknown columns: %(columns)s", columns=", ".join(unknown))
    return None


def _parsed_rows(
    reader: csv.DictReader, file_format: FileFormat, report: FileReport
) -> Iterator[tuple[int, dict]]:
    """(line, values) of each good row; bad rows are added to the report as they come."""
    ordinals: dict[tuple, int] = {}
    for row in reader:
        report.rows += 1
        line = reader.line_num
        if None in row or any(value is None for value in row.values()):
            problem = gettext("wrong number of fields")
            report.errors.append(f"{report.name}:{line}: {problem}")
            continue
        try:
            values = file_format.parse(row)
        except RowProblem as problem:
            report.errors.append(f"{report.name}:{line}: {problem}")
            continue
        if file_format.name == "births.csv":  # twins of one sex are two identical rows
            key = (values["mother_national_code"], values["birth_date"], values["sex"])
            ordinals[key] = values["ordinal"] = ordinals.get(key, 0) + 1
        yield line, values


def _chunks(rows: Iterator[tuple[int, dict]]) -> Iterator[list[tuple[int, dict]]]:
    """Rows in lists of CHUNK_ROWS."""
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        yield chunk


def _resolve(
    connection: Connection, chunk: list[tuple[int, dict]], target: Target, report: FileReport
) -> list[dict]:
    """Replace national codes by person ids; a code not in the registry is a bad row."""
    if not target.person_columns:
        return [values for _, values in chunk]
    codes = {values[c] for _, values in chunk for c in target.person_columns}
    person_ids = dict(
        connection.execute(
            select(Person.national_code, Person.id).where(Person.national_code.in_(codes))
        ).all()
    )
    rows = []
    for line, values in chunk:
        for code_column, id_column in target.person_columns.items():
            code = values.pop(code_column)
            if code not in person_ids:
                message = gettext(
                    "%(column)s %(code)s is not in the registry", column=code_column, code=code
                )
                report.errors.append(f"{report.name}:{line}: {message}")
            values[id_column] = person_ids.get(code)
        rows.append(values)
    return rows


def _upsert(connection: Connection, target: Target, rows: list[dict]) -> set[int]:
    """Insert new rows, update rows whose values differ; the person ids of what changed."""
    table = target.table
    if connection.dialect.name == "postgresql":
        statement = postgresql_insert(table)
    else:
        statement = sqlite_insert(table)
    if target.updatable:
        statement = statement.on_conflict_do_update(
            index_elements=list(target.key),
            set_={column: statement.excluded[column] for column in target.updatable},
            where=or_(
                *(table.c[c].is_distinct_from(statement.excluded[c]) for c in target.updatable)
            ),
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(target.key))
    result = connection.execute(statement.returning(table.c[target.affects]), rows)
    return set(result.scalars())
