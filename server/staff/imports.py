"""The import history: an `import_run` row written around each `flask darman import`.

It is written from the importer's report only (the importer itself is left alone), and in its
own commits, so a run that fails half-way is still on record as failed.
"""

import getpass
import os
from pathlib import Path

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import ImportRun
from ..registry.importer import ImportReport, Progress, import_directory

BAD_ROWS_KEPT = 1000


def _who() -> str:
    """Who ran the command: DARMAN_OPERATOR when set (e.g. by a scheduler), else the OS user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return (os.environ.get("DARMAN_OPERATOR") or user)[:100]


def recorded_import(directory: Path, progress: Progress | None = None) -> ImportReport:
    """Run the importer on `directory`, keeping who, when, files, rows, bad rows and results."""
    run = ImportRun(
        run_by=_who(), directory=str(directory)[:500], started_at=clock.now(), status="running"
    )
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    try:
        report = import_directory(directory, today=clock.today(), progress=progress)
    except BaseException:
        db.session.rollback()
        failed = db.session.get(ImportRun, run_id)
        failed.status, failed.finished_at = "failed", clock.now()
        db.session.commit()
        raise
    finish(db.session.get(ImportRun, run_id), report)
    db.session.commit()
    return report


def finish(run: ImportRun, report: ImportReport) -> None:
    """Copy the importer's report into the run."""
    bad = [error for file_report in report.files for error in file_report.errors]
    run.files = [
        {
            "name": f.name,
            "rows": f.rows,
            "changed": f.changed,
            "errors": len(f.errors),
        }
        for f in report.files
    ]
    run.rows = sum(f.rows for f in report.files)
    run.bad_rows = bad[:BAD_ROWS_KEPT]
    run.recomputed = report.recomputed
    run.notices = report.coverage_changes
    run.status = "ok" if report.ok else "bad_rows"
    run.finished_at = clock.now()


def history(limit: int = 100) -> list[ImportRun]:
    """The latest runs, newest first."""
    return list(db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))
