"""medical: a centre remembers the staff member who approved it

Revision ID: medical_1
Revises: deploy_1
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "medical_1"
down_revision = "deploy_1"
branch_labels = None
depends_on = None


@contextmanager
def _foreign_keys_off_on_sqlite():
    """Let SQLite rebuild `provider` while other tables point at it (as in centres_1)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    if bind.connection.dbapi_connection.in_transaction:
        bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def upgrade():
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("provider") as batch:
        batch.add_column(sa.Column("approved_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_provider_approved_by_staff"), "staff", ["approved_by"], ["id"]
        )


def downgrade():
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("provider") as batch:
        batch.drop_constraint(op.f("fk_provider_approved_by_staff"), type_="foreignkey")
        batch.drop_column("approved_by")
