"""The history of registry imports: who ran one, when, and what it did."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ImportRun(Base):
    """One `flask darman import` run, written by the command around the importer.

    `files` is a list of `{name, rows, changed, errors}`; `bad_rows` the `file:line: reason`
    lines (the first 1,000).
    """

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_by: Mapped[str] = mapped_column(String(100))
    directory: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="running")  # running|ok|bad_rows|failed
    files: Mapped[list] = mapped_column(JSON, default=list)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    bad_rows: Mapped[list] = mapped_column(JSON, default=list)
    recomputed: Mapped[int] = mapped_column(Integer, default=0)
    notices: Mapped[int] = mapped_column(Integer, default=0)
    # While it runs: rows written so far of the rows to write (the console shows the progress).
    rows_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rows_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
