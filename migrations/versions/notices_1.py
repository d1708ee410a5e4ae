"""notices that reach everyone: account.notice_sms, the SMS outbox, the daily allowance

Revision ID: notices_1
Revises: claims_1

A notice no push delivered in time goes by SMS (issue 27). Each account chooses how
(`notice_sms`, push_then_sms for every existing account); `sms_notice` is the SMS outbox, one
row per notice, claimed by one worker; `sms_allowance` counts a day's SMS against the cap.
"""

import sqlalchemy as sa
from alembic import op

revision = "notices_1"
down_revision = "claims_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column (with a server default: no rewrite by hand) and the two tables."""
    with op.batch_alter_table("account") as batch:
        batch.add_column(
            sa.Column(
                "notice_sms", sa.String(length=15), nullable=False, server_default="push_then_sms"
            )
        )
    op.create_table(
        "sms_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("carried_by", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["notification_id"], ["notification.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notification_id"),
    )
    op.create_index("ix_sms_notice_account_id", "sms_notice", ["account_id"])
    op.create_index("ix_sms_notice_status_due", "sms_notice", ["status", "due_at"])
    op.create_table(
        "sms_allowance",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("account_id", "day"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("sms_allowance")
    op.drop_index("ix_sms_notice_status_due", table_name="sms_notice")
    op.drop_index("ix_sms_notice_account_id", table_name="sms_notice")
    op.drop_table("sms_notice")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("notice_sms")
