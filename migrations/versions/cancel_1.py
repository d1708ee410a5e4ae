"""cancelling prescriptions and their items, repeat prescriptions, the special-patients list

Revision ID: cancel_1
Revises: notices_1

A prescription (or one of its items) can be cancelled by the doctor or centre who wrote it,
with who, when and why; a repeat prescription has 2 to 12 monthly parts; `special_patient` is
the list of patients with a chronic condition (a registry file, and SSO's medical staff).
"""

import sqlalchemy as sa
from alembic import op

revision = "cancel_1"
down_revision = "notices_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns (existing prescriptions have one part, none cancelled) and the list."""
    with op.batch_alter_table("prescription") as batch:
        batch.add_column(sa.Column("parts", sa.SmallInteger(), server_default="1", nullable=False))
        batch.add_column(
            sa.Column("reminded_parts", sa.SmallInteger(), server_default="1", nullable=False)
        )
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("cancelled_by_member_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_prescription_cancelled_by_member_id_centre_member",
            "centre_member",
            ["cancelled_by_member_id"],
            ["id"],
        )
        batch.create_check_constraint("parts_in_range", "parts BETWEEN 1 AND 12")
        batch.create_index("ix_prescription_repeats", ["parts", "written_on"])
    with op.batch_alter_table("prescription_item") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.String(length=300), nullable=True))
    op.create_table(
        "special_patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["added_by"], ["staff.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "condition", "valid_from"),
    )
    op.create_index("ix_special_patient_person_id", "special_patient", ["person_id"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_special_patient_person_id", table_name="special_patient")
    op.drop_table("special_patient")
    with op.batch_alter_table("prescription_item") as batch:
        batch.drop_column("cancel_reason")
        batch.drop_column("cancelled_at")
    with op.batch_alter_table("prescription") as batch:
        batch.drop_index("ix_prescription_repeats")
        batch.drop_constraint("parts_in_range", type_="check")
        batch.drop_constraint(
            "fk_prescription_cancelled_by_member_id_centre_member", type_="foreignkey"
        )
        batch.drop_column("cancelled_by_member_id")
        batch.drop_column("cancelled_at")
        batch.drop_column("cancel_reason")
        batch.drop_column("reminded_parts")
        batch.drop_column("parts")
