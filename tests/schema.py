"""Emptying the test database's schema (shared by the fixtures and the migration test)."""

from sqlalchemy import text

from server.extensions import db
from server.models import Base


def drop_everything() -> None:
    """Start from an empty schema, so a PostgreSQL database left by an earlier run is clean."""
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
