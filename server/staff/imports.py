"""The import history: an `import_run` row written around each `flask darman import`.

It is written from the importer's report only (the importer itself is left alone), and in its
own commits, so a run that fails half-way is still on record as failed.
"""

import getpass
import os
import time
from pathlib import Path

from sqlalchemy import select, update

from .. import clock
from ..database import write_transaction
from ..extensions import db
from ..models import ImportRun
from ..registry.importer import ImportReport, Progress, import_directory

BAD_ROWS_KEPT = 1000
PROGRESS_EVERY_SECONDS = 1.0  # how often a running import writes its progress for the console


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
    db.session.commit()  # a batch job's own transaction: the run is on record before it starts
    run_id = run.id
    try:
        report = import_directory(
            directory, today=clock.today(), progress=_kept_progress(run_id, progress)
        )
    except BaseException:
        db.session.rollback()
        failed = db.session.get(ImportRun, run_id)
        failed.status, failed.finished_at = "failed", clock.now()
        db.session.commit()  # the failure stays on record although the command then fails
        raise
    finish(db.session.get(ImportRun, run_id), report)
    db.session.commit()  # the batch job's last short transaction: the run's result
    return report


def _kept_progress(run_id: int, then: Progress | None) -> Progress:
    """A progress callback that also writes rows done / to do into the run, about once a second.

    The importer calls it between its short transactions, so the run's own little write holds
    the lock no longer than they do.
    """
    last = [0.0]

    def report(done: int, total: int) -> None:
        if then:
            then(done, total)
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_SECONDS and done < total:
            return
        last[0] = now
        with write_transaction(db.session()) as connection:
            connection.execute(
                update(ImportRun)
                .where(ImportRun.id == run_id)
                .values(rows_done=done, rows_total=total)
            )

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
