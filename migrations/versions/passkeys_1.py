"""one column set for the three realms' passkeys: member_passkey and staff_passkey gain what
passkey (the citizens') keeps

Revision ID: passkeys_1
Revises: buckets_1
"""

import sqlalchemy as sa
from alembic import op

revision = "passkeys_1"
down_revision = "buckets_1"
branch_labels = None
depends_on = None

# (table, column) pairs the shared column set adds; a credential stored before is taken as
# neither backup-eligible nor backed up (nothing was recorded of it).
ADDED = (
    ("member_passkey", "backup_eligible"),
    ("member_passkey", "backup_state"),
    ("staff_passkey", "backup_eligible"),
)


def upgrade():
    """Add the flags, false for the rows there are."""
    for table, column in ADDED:
        op.add_column(
            table, sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    """Drop them again (in batch: SQLite rebuilds the table)."""
    for table, column in reversed(ADDED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
