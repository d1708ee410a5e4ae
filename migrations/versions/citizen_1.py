"""why a device's session ended: device_session.end_reason

Revision ID: citizen_1
Revises: money_1

An app left open when its session ends (signed out from another device, the mobile changed at a
branch, 30 days unused) is told why and how to sign in again, instead of a bare «please sign
in». Sessions ended before this revision have no reason: the app says only that it ended.
"""

import sqlalchemy as sa
from alembic import op

revision = "citizen_1"
down_revision = "money_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the nullable column (no rewrite of existing rows)."""
    with op.batch_alter_table("device_session") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(length=20), nullable=True))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("device_session") as batch:
        batch.drop_column("end_reason")
