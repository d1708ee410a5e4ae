"""providers' per-token limits as leaky buckets: one row a token and limit (rate_bucket)

Revision ID: buckets_1
Revises: progress_1
"""

import sqlalchemy as sa
from alembic import op

revision = "buckets_1"
down_revision = "progress_1"
branch_labels = None
depends_on = None


def upgrade():
    """The bucket table; the tokens' old hits are left to `prune` (48 hours)."""
    op.create_table(
        "rate_bucket",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("level", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_bucket")),
    )


def downgrade():
    """Drop it."""
    op.drop_table("rate_bucket")
