"""access: the visit index, the gateways' nonces, indexes for retention

Revision ID: access_1
Revises: perf_1
Create Date: 2026-12-01 15:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "access_1"
down_revision = "perf_1"
branch_labels = None
depends_on = None

# (table, index name, columns): what the visit rule and `darman prune` look rows up by.
INDEXES = [
    (
        "inquiry",
        "ix_inquiry_provider_national_code_asked",
        ["provider_id", "national_code", "asked_at"],
    ),
    ("inquiry", "ix_inquiry_asked_at", ["asked_at"]),
    ("device_session", "ix_device_session_ended_at", ["ended_at"]),
    ("sms_challenge", "ix_sms_challenge_expires_at", ["expires_at"]),
    ("notification", "ix_notification_created_at", ["created_at"]),
    ("push_delivery", "ix_push_delivery_created_at", ["created_at"]),
    ("outbox", "ix_outbox_created_at", ["created_at"]),
    ("record_access", "ix_record_access_at", ["at"]),
    ("idempotency_key", "ix_idempotency_key_created_at", ["created_at"]),
]


def upgrade():
    op.create_table(
        "gateway_nonce",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_gateway_nonce")),
    )
    op.create_index(op.f("ix_gateway_nonce_seen_at"), "gateway_nonce", ["seen_at"], unique=False)
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index(op.f("ix_gateway_nonce_seen_at"), table_name="gateway_nonce")
    op.drop_table("gateway_nonce")
