"""the card's signing keys in the database (several nodes sign alike)

Revision ID: deploy_1
Revises: centres_1
Create Date: 2026-12-01 15:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "deploy_1"
down_revision = "centres_1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "card_signing_key",
        sa.Column("kid", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("x", sa.String(length=64), nullable=False),
        sa.Column("private_pem", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_card_signing_key")),
    )


def downgrade():
    op.drop_table("card_signing_key")
