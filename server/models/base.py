"""The declarative base, with constraint names fixed for migrations on every database."""

from datetime import date

from sqlalchemy import ColumnElement, MetaData, and_, or_
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def in_force(first, last, day: date, *, open_first: bool = False) -> ColumnElement[bool]:
    """The SQL condition: a row that runs from its `first` day to its `last` (both included; a
    NULL last day: no end) is in force on `day`; `open_first` when the first day may be NULL
    too (it has always run). The twin of `server.domain.periods.in_force`."""
    started = or_(first.is_(None), first <= day) if open_first else first <= day
    return and_(started, or_(last.is_(None), last >= day))
