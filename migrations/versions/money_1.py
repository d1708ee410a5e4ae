"""money: tariffs by date, centres' contracts (instead of provider.contracted), and whether a
centre is SSO-owned or public

Revision ID: money_1
Revises: race_1
"""

import sqlalchemy as sa
from alembic import op

revision = "money_1"
down_revision = "race_1"
branch_labels = None
depends_on = None


def upgrade():
    """The tariff and contract tables; provider.sso_owned and provider.public."""
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
    op.drop_index(op.f("ix_contract_provider_id"), table_name="contract")
    op.drop_table("contract")
    op.drop_table("tariff")
