"""money: tariffs by date, centres' contracts (instead of provider.contracted), and whether a
centre is SSO-owned or public

Revision ID: money_1
Revises: staffreads_1
"""

import sqlalchemy as sa
from alembic import op

revision = "money_1"
down_revision = "staffreads_1"
branch_labels = None
depends_on = None


def upgrade():
    """The tariff, contract, claim and settlement tables; provider.sso_owned and .public."""
    op.create_table(
        "tariff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("price_rial", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("price_rial >= 0", name=op.f("ck_tariff_price_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff")),
        sa.UniqueConstraint("code", "valid_from", name=op.f("uq_tariff_code_valid_from")),
    )
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until >= valid_from",
            name=op.f("ck_contract_ends_after_it_starts"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_contract_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(["made_by"], ["staff.id"], name=op.f("fk_contract_made_by_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
    )
    op.create_index(op.f("ix_contract_provider_id"), "contract", ["provider_id"])
    with op.batch_alter_table("provider") as batch:
        batch.add_column(
            sa.Column("sso_owned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "settled_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("centres", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_settled_day")),
    )
    op.create_table(
        "settlement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("patient_share", sa.BigInteger(), nullable=False),
        sa.Column("sso_share", sa.BigInteger(), nullable=False),
        sa.Column("advance", sa.BigInteger(), nullable=False),
        sa.Column("held", sa.BigInteger(), nullable=False),
        sa.Column("payable", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.CheckConstraint(
            "advance + held = sso_share", name=op.f("ck_settlement_advance_and_held_add_up")
        ),
        sa.ForeignKeyConstraint(
            ["day"], ["settled_day.day"], name=op.f("fk_settlement_day_settled_day")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_settlement_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement")),
        sa.UniqueConstraint("provider_id", "day", name=op.f("uq_settlement_provider_id_day")),
    )
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.create_index(op.f("ix_settlement_day"), ["day"], unique=False)
        batch_op.create_index(op.f("ix_settlement_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "claim_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("patient_share", sa.BigInteger(), nullable=False),
        sa.Column("sso_share", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("prescription_id", sa.Integer(), nullable=True),
        sa.Column("dispensing_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("deducted", sa.BigInteger(), nullable=False),
        sa.Column("review_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "deducted >= 0 AND deducted <= sso_share",
            name=op.f("ck_claim_line_deduction_within_share"),
        ),
        sa.CheckConstraint(
            "patient_share >= 0 AND sso_share >= 0", name=op.f("ck_claim_line_shares_not_negative")
        ),
        sa.CheckConstraint(
            "price = patient_share + sso_share", name=op.f("ck_claim_line_shares_add_up")
        ),
        sa.ForeignKeyConstraint(
            ["dispensing_id"],
            ["dispensing.id"],
            name=op.f("fk_claim_line_dispensing_id_dispensing"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_claim_line_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["prescription_id"],
            ["prescription.id"],
            name=op.f("fk_claim_line_prescription_id_prescription"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_claim_line_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_line")),
        sa.UniqueConstraint("dispensing_id", name=op.f("uq_claim_line_dispensing_id")),
    )
    with op.batch_alter_table("claim_line", schema=None) as batch_op:
        batch_op.create_index(op.f("ix_claim_line_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            op.f("ix_claim_line_prescription_id"), ["prescription_id"], unique=False
        )
        batch_op.create_index(
            "ix_claim_line_service_date_provider_id", ["service_date", "provider_id"], unique=False
        )
    # A centre made with `--contracted` keeps its contract, from the day it was made.
    day = "CAST(created_at AS DATE)" if _postgresql() else "date(created_at)"
    op.execute(
        "INSERT INTO contract (provider_id, valid_from, made_at)"
        f" SELECT id, {day}, created_at FROM provider WHERE contracted"
    )
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+ too): no rebuild of a table so many others point at
    op.drop_column("provider", "contracted")


def _postgresql() -> bool:
    """Whether the migration runs on PostgreSQL (else SQLite)."""
    return op.get_bind().dialect.name == "postgresql"


def downgrade():
    """Drop them."""
    op.add_column(
        "provider",
        sa.Column("contracted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.drop_column("provider", "public")
    op.drop_column("provider", "sso_owned")
    op.execute(
        "UPDATE provider SET contracted = TRUE WHERE id IN (SELECT provider_id FROM contract)"
    )
    op.drop_table("claim_line")
    op.drop_table("settlement")
    op.drop_table("settled_day")
    op.drop_index(op.f("ix_contract_provider_id"), table_name="contract")
    op.drop_table("contract")
    op.drop_table("tariff")
