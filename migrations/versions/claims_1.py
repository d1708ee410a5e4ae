"""claims review: a centre's Jalali month under review (claim_month)

Revision ID: claims_1
Revises: citizen_1

SSO's claims staff open a centre's month, deduct from or reject its claim lines (the lines'
own `status`, `deducted` and `review_reason`, there since money_1) and close it; the month's row
keeps who opened and closed it and, once closed, its frozen figures.
"""

import sqlalchemy as sa
from alembic import op

revision = "claims_1"
down_revision = "citizen_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The claim_month table."""
    op.create_table(
        "claim_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("accepted", sa.BigInteger(), nullable=True),
        sa.Column("advances", sa.BigInteger(), nullable=True),
        sa.Column("payable", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_claim_month_month_status")),
        sa.CheckConstraint(
            "last_day >= first_day", name=op.f("ck_claim_month_month_ends_after_it_starts")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_claim_month_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["staff.id"], name=op.f("fk_claim_month_opened_by_staff")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["staff.id"], name=op.f("fk_claim_month_closed_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_month")),
        sa.UniqueConstraint(
            "provider_id", "year", "month", name=op.f("uq_claim_month_provider_id_year_month")
        ),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("claim_month")
