"""the import history keeps a running import's progress (rows written of rows to write)

Revision ID: progress_1
Revises: medical_1
"""

import sqlalchemy as sa
from alembic import op

revision = "progress_1"
down_revision = "medical_1"
branch_labels = None
depends_on = None


def upgrade():
    """Two counters on import_run."""
    with op.batch_alter_table("import_run") as batch:
        batch.add_column(sa.Column("rows_done", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("rows_total", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    """Drop them."""
    with op.batch_alter_table("import_run") as batch:
        batch.drop_column("rows_total")
        batch.drop_column("rows_done")
