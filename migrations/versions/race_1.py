"""a unit is dispensed at most once: CHECK (dispensed <= quantity) on prescription_item

Revision ID: race_1
Revises: signin_1

Behind the locked, guarded count of `records.writing.dispense`, the database itself refuses an
item delivered beyond what was prescribed. A count already beyond it (none is expected: the lost
update of issue 23 left the count at the prescribed total) is brought back to it first, so that
the constraint can be made; the dispensing rows keep what was delivered.
"""

from contextlib import contextmanager

from alembic import op

revision = "race_1"
down_revision = "signin_1"
branch_labels = None
depends_on = None

NAME = "ck_prescription_item_dispensed_within_quantity"


@contextmanager
def _rebuilt_on_sqlite():
    """Let SQLite rebuild `prescription_item` while `dispensing` points at it (as medical_1)."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        if bind.connection.dbapi_connection.in_transaction:
            bind.exec_driver_sql("COMMIT")
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        with op.batch_alter_table("prescription_item") as batch:
            yield batch
        if sqlite and bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
            raise RuntimeError("foreign keys broken by the migration")
    finally:
        if sqlite:
            bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def upgrade():
    """Bring any count beyond the prescribed back to it, then forbid it."""
    op.execute("UPDATE prescription_item SET dispensed = quantity WHERE dispensed > quantity")
    with _rebuilt_on_sqlite() as batch:
        batch.create_check_constraint(op.f(NAME), "dispensed <= quantity")


def downgrade():
    """Drop the constraint."""
    with _rebuilt_on_sqlite() as batch:
        batch.drop_constraint(op.f(NAME), type_="check")
