"""coded diagnoses and drug allergies: prescription_diagnosis, allergy, allergy_acknowledgement

Revision ID: allergy_1
Revises: cancel_1

A prescription's WHO ICD-10 codes (beside the free-text diagnosis it keeps), a person's drug
allergies recorded by doctors during a visit (disputed through an objection), and the allergies
a prescription was written through with the doctor's reason. New tables only.
"""

import sqlalchemy as sa
from alembic import op

revision = "allergy_1"
down_revision = "cancel_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make the three tables."""
    op.create_table(
        "prescription_diagnosis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prescription_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["prescription_id"], ["prescription.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("prescription_id", "code"),
    )
    op.create_index(
        "ix_prescription_diagnosis_prescription_id", "prescription_diagnosis", ["prescription_id"]
    )
    op.create_table(
        "allergy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("ingredient", sa.String(length=100), nullable=False),
        sa.Column("reaction", sa.String(length=300), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["centre_member.id"]),
        sa.ForeignKeyConstraint(["objection_id"], ["objection.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_allergy_person_id", "allergy", ["person_id"])
    op.create_table(
        "allergy_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prescription_id", sa.Integer(), nullable=False),
        sa.Column("allergy_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=30), nullable=False),
        sa.Column("ingredient", sa.String(length=100), nullable=False),
        sa.Column("reaction", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["prescription_id"], ["prescription.id"]),
        sa.ForeignKeyConstraint(["allergy_id"], ["allergy.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("prescription_id", "allergy_id", "item_code"),
    )
    op.create_index(
        "ix_allergy_acknowledgement_prescription_id",
        "allergy_acknowledgement",
        ["prescription_id"],
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("allergy_acknowledgement")
    op.drop_table("allergy")
    op.drop_table("prescription_diagnosis")
