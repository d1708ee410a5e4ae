"""`flask darman import DIR`: check the registry's CSV files whole, then load them in short
transactions, then recompute who they affect.

First every file is read and checked, writing nothing: a file with a bad row (or that is not
UTF-8 text, has a NUL byte or an over-long field) is refused whole, every bad row reported as
`file:line: reason`, and the other files are kept. The checked rows are kept in a scratch file
(pickled, in a private temporary folder removed at the end), so that each good file is then
applied without being parsed again, in chunks, each chunk its own short write transaction (on
SQLite about 50 ms of the write lock, so that inquiries and sign-ins keep being answered while an
import runs). Rows are written as
upserts that change a row only when a value differs — through `COPY` into a scratch table on
PostgreSQL — and the rows that did change name the people whose coverage is recomputed, in
batches of their own. Importing the same files twice changes nothing at all.
"""

import csv
import itertools
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import Connection, Table, column, or_, select
from sqlalchemy import table as table_clause
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..database import read_transaction, write_transaction
from ..extensions import db
from ..models import (
    Birth,
    Contribution,
    DependantLink,
    Document,
    InsuranceRecord,
    OtherInsurance,
    Person,
    SpecialPatient,
)
from . import recompute
from .rows import FORMATS, FileFormat, RowProblem

CHUNK_ROWS = 1000  # the first chunk; then sized to hold the write lock about LOCK_SECONDS
MIN_CHUNK_ROWS, MAX_CHUNK_ROWS = 100, 20_000
LOCK_SECONDS = 0.05
CHECK_ROWS = 5000  # national codes looked up at once while checking

Progress = Callable[[int, int], None]  # (rows done, rows in all)


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
    recompute_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no file had a bad row."""
        return not any(report.errors for report in self.files)


class FileProblem(Exception):
    """A file that cannot be read as CSV text at a line: not UTF-8, a NUL byte, a huge field."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


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
    "special_patients.csv": Target(
        SpecialPatient.__table__,
        ("person_id", "condition", "valid_from"),
        ("valid_until",),
        "person_id",
        {"national_code": "person_id"},
    ),
    "other_insurance.csv": Target(
        OtherInsurance.__table__,
        ("person_id", "insurer", "start_date"),
        ("end_date",),
        "person_id",
        {"national_code": "person_id"},
    ),
}


def import_directory(
    directory: Path, *, today: date, progress: Progress | None = None
) -> ImportReport:
    """Check every registry file in `directory`, apply the good ones, recompute; all committed.

    `progress`, when given, is called with (rows applied, rows to apply) as chunks commit.
    """
    session = db.session()
    report = ImportReport()
    known_codes: set[str] = set()  # persons.csv's codes, which the other files may name
    good: list[tuple[Path, FileFormat, FileReport]] = []
    with tempfile.TemporaryDirectory(prefix="darman-import-") as scratch:
        for file_format in FORMATS:
            path = directory / file_format.name
            if path.exists():
                kept = Path(scratch) / f"{file_format.name}.pickle"
                file_report = _check_file(session, path, file_format, known_codes, kept)
                report.files.append(file_report)
                if not file_report.errors:
                    good.append((kept, file_format, file_report))
        total, done = sum(file_report.rows for _, _, file_report in good), 0
        affected: set[int] = set()
        for kept, file_format, file_report in good:
            for rows_done, changed in _apply_file(session, kept, file_format):
                done += rows_done
                file_report.changed += len(changed)
                affected |= changed
                if progress:
                    progress(done, total)
    started = time.perf_counter()
    result = recompute.recompute_in_batches(session, affected, today)
    report.recompute_seconds = time.perf_counter() - started
    report.recomputed, report.coverage_changes = result.computed, result.changed
    return report


def _check_file(
    session, path: Path, file_format: FileFormat, known_codes: set[str], kept: Path
) -> FileReport:
    """Read the whole file and report every bad row, writing nothing to the database; the
    checked rows go to `kept` (a scratch file), so that applying them parses nothing again.

    A persons.csv found good adds its codes to `known_codes`, for the files that follow.
    """
    report = FileReport(path.name)
    target = TARGETS[path.name]
    codes_here: set[str] = set()
    try:
        with path.open("rb") as stream, kept.open("wb") as keep:
            reader = csv.DictReader(_text_lines(stream))
            problem = _header_problem(_fieldnames(reader), file_format)
            if problem:
                report.errors.append(f"{path.name}:1: {problem}")
                return report
            rows = _parsed_rows(reader, file_format, report)
            while chunk := list(itertools.islice(rows, CHECK_ROWS)):
                if target.key == ("national_code",):
                    codes_here.update(values["national_code"] for _, values in chunk)
                if target.person_columns:
                    _check_codes(session, chunk, target, known_codes, report)
                if not report.errors:  # a file with an error is not applied: keep nothing more
                    pickle.dump(chunk, keep, protocol=pickle.HIGHEST_PROTOCOL)
    except FileProblem as problem:
        report.errors.append(f"{path.name}:{problem.line}: {problem.reason}")
    if not report.errors:
        known_codes |= codes_here
    return report


def _fieldnames(reader: csv.DictReader) -> list[str] | None:
    """The header row, reading it (csv errors become FileProblem on line 1)."""
    try:
        return reader.fieldnames
    except csv.Error as error:
        raise FileProblem(1, _csv_reason(error)) from None


def _text_lines(stream) -> Iterator[str]:
    """The file's lines as text, refusing what is not UTF-8 or has a NUL byte, by line number."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark, as spreadsheets write
        if b"\x00" in raw:
            reason = gettext("the file has a NUL byte; please save it as UTF-8 text")
            raise FileProblem(number, reason)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            reason = gettext("the file is not UTF-8 text; please save it as UTF-8")
            raise FileProblem(number, reason) from None


def _csv_reason(error: csv.Error) -> str:
    """The operator's words for a csv module error (a field over its size limit, mostly)."""
    if "field larger than field limit" in str(error):
        return gettext("a field is longer than %(limit)s characters", limit=csv.field_size_limit())
    return gettext("the line is not valid CSV")


def _check_codes(
    session,
    chunk: list[tuple[int, dict]],
    target: Target,
    known_codes: set[str],
    report: FileReport,
) -> None:
    """Report every national code of the chunk that is neither in the registry nor being added."""
    codes = {values[c] for _, values in chunk for c in target.person_columns} - known_codes
    if not codes:
        return
    with read_transaction(session) as connection:
        found = set(
            connection.execute(
                select(Person.national_code).where(Person.national_code.in_(codes))
            ).scalars()
        )
    for line, values in chunk:
        for code_column in target.person_columns:
            code = values[code_column]
            if code not in found and code not in known_codes:
                message = gettext(
                    "%(column)s %(code)s is not in the registry", column=code_column, code=code
                )
                report.errors.append(f"{report.name}:{line}: {message}")


def _kept_rows(kept: Path) -> Iterator[tuple[int, dict]]:
    """The checked rows `_check_file` kept, in the file's order."""
    with kept.open("rb") as stream:
        while True:
            try:
                yield from pickle.load(stream)  # our own scratch file, written just before
            except EOFError:
                return


def _apply_file(session, kept: Path, file_format: FileFormat) -> Iterator[tuple[int, set[int]]]:
    """Write a checked file's kept rows in short transactions; yields (rows, people changed)
    per chunk."""
    target = TARGETS[file_format.name]
    # PostgreSQL has no database-wide write lock to keep short: big chunks, fewer round trips.
    postgresql = session.get_bind().dialect.name == "postgresql"
    size = MAX_CHUNK_ROWS if postgresql else CHUNK_ROWS
    rows = _kept_rows(kept)
    while chunk := list(itertools.islice(rows, size)):
        with read_transaction(session) as connection:
            values = _resolve(connection, chunk, target)
        started = time.perf_counter()
        with write_transaction(session) as connection:
            changed = _upsert(connection, target, values)
        if not postgresql:
            size = _next_size(size, time.perf_counter() - started)
        yield len(chunk), changed


def _next_size(size: int, seconds: float) -> int:
    """The next chunk's rows, so that a write transaction lasts about LOCK_SECONDS."""
    wanted = size * LOCK_SECONDS / max(seconds, 1e-4)
    return int(min(MAX_CHUNK_ROWS, max(MIN_CHUNK_ROWS, size / 2, min(wanted, size * 2))))


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
    for row in _rows(reader):
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


def _resolve(connection: Connection, chunk: list[tuple[int, dict]], target: Target) -> list[dict]:
    """Replace national codes by person ids (the check made sure every code is there)."""
    if not target.person_columns:
        return [values for _, values in chunk]
    codes = {values[c] for _, values in chunk for c in target.person_columns}
    person_ids = dict(
        connection.execute(
            select(Person.national_code, Person.id).where(Person.national_code.in_(codes))
        ).all()
    )
    rows = []
    for _, values in chunk:
        row = dict(values)
        for code_column, id_column in target.person_columns.items():
            row[id_column] = person_ids[row.pop(code_column)]
        rows.append(row)
    return rows


def _upsert(connection: Connection, target: Target, rows: list[dict]) -> set[int]:
    """Insert new rows, update rows whose values differ; the person ids of what changed."""
    table = target.table
    if connection.dialect.name == "postgresql":
        return _upsert_by_copy(connection, target, rows)
    statement = _conflict_clause(sqlite_insert(table), target)
    result = connection.execute(statement.returning(table.c[target.affects]), rows)
    return set(result.scalars())


def _conflict_clause(statement, target: Target):
    """ON CONFLICT: update only when a value differs (or do nothing when nothing may change)."""
    table = target.table
    if not target.updatable:
        return statement.on_conflict_do_nothing(index_elements=list(target.key))
    return statement.on_conflict_do_update(
        index_elements=list(target.key),
        set_={c: statement.excluded[c] for c in target.updatable},
        where=or_(*(table.c[c].is_distinct_from(statement.excluded[c]) for c in target.updatable)),
    )


def _upsert_by_copy(connection: Connection, target: Target, rows: list[dict]) -> set[int]:
    """PostgreSQL: COPY the rows into a scratch table, then one INSERT … SELECT … ON CONFLICT.

    One statement per chunk instead of psycopg parsing thousands of multi-row VALUES.
    """
    columns = list(rows[0])
    scratch = f"import_{target.table.name}"
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} ON COMMIT DELETE ROWS AS "
            f"SELECT {', '.join(columns)} FROM {target.table.name} WITH NO DATA"
        )
        with cursor.copy(f"COPY {scratch} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    source = table_clause(scratch, *(column(c) for c in columns))
    statement = postgresql_insert(target.table).from_select(columns, select(source))
    statement = _conflict_clause(statement, target)
    result = connection.execute(statement.returning(target.table.c[target.affects]))
    return set(result.scalars())


def _rows(reader: csv.DictReader) -> Iterator[dict]:
    """The reader's rows; a csv error (a field over the size limit) becomes a FileProblem."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # raised before the reader counts the line it was on
            raise FileProblem(reader.line_num + 1, _csv_reason(error)) from None
        yield row
