"""When each periodic job last brought the data to a day (so that `daily` knows what it missed)."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class JobRun(Base):
    """A job's last completed day, e.g. `daily` ran for 1405/09/10."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_on: Mapped[date] = mapped_column(Date)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
