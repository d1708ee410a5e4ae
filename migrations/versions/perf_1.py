"""indexes for the daily job's due people, and the job_run table

Revision ID: perf_1
Revises: b0a8237dd1a8
Create Date: 2026-12-01 15:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "perf_1"
down_revision = "b0a8237dd1a8"
branch_labels = None
depends_on = None

INDEXES = (
    ("person", "birth_date"),
    ("person", "death_date"),
    ("insurance_record", "start_date"),
    ("dependant_link", "start_date"),
    ("dependant_link", "end_date"),
    ("document", "valid_from"),
    ("document", "valid_until"),
    ("birth", "birth_date"),
    ("coverage", "valid_until"),
    ("coverage", "own_valid_until"),
)


def upgrade():
    op.create_table(
        "job_run",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_run")),
    )
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def downgrade():
    for table, column in reversed(INDEXES):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    op.drop_table("job_run")
