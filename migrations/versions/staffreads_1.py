"""SSO staff's reads on the citizen's access log: record_access.staff_id and .opened

Revision ID: staffreads_1
Revises: race_1

A staff member who opens a citizen's objection or its attachment in the console is a reader of
the citizen's file like a provider: the access log keeps who (the staff member, shown to the
citizen by role) and what they opened. Both columns are empty on every older row.
"""

import sqlalchemy as sa
from alembic import op

revision = "staffreads_1"
down_revision = "race_1"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_record_access_staff_id_staff"


def upgrade():
    """Add the two columns (SQLite: the foreign key inline, as it cannot ALTER one in)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE record_access ADD COLUMN staff_id INTEGER "
            f"CONSTRAINT {FOREIGN_KEY} REFERENCES staff (id)"
        )
    else:
        op.add_column("record_access", sa.Column("staff_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FOREIGN_KEY, "record_access", "staff", ["staff_id"], ["id"])
    op.add_column("record_access", sa.Column("opened", sa.String(length=20), nullable=True))


def downgrade():
    """Drop them. SQLite drops a column with a foreign key only by rebuilding the table, which
    `objection` and `provider_review` point at: its foreign keys are off meanwhile."""
    op.drop_column("record_access", "opened")
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(FOREIGN_KEY, "record_access", type_="foreignkey")
        op.drop_column("record_access", "staff_id")
        return
    if bind.connection.dbapi_connection.in_transaction:
        bind.exec_driver_sql("COMMIT")  # the pragma does nothing inside a transaction
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        with op.batch_alter_table("record_access") as batch:
            batch.drop_column("staff_id")
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
