"""hospitals: admissions, the registry's other base insurers, items to be got outside

Revision ID: admission_1
Revises: allergy_1

A hospital admits a patient (the inpatient eligibility answer, with any other base insurer found
on the day: seed 000 item 3's overlap rules), discharges them, and marks an item it lacks to be
got outside; the registry's `other_insurance.csv` names the other insurers.
"""

import sqlalchemy as sa
from alembic import op

revision = "admission_1"
down_revision = "allergy_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The other_insurance and admission tables; prescription_item.obtain_outside and its
    reason (existing items: not outside)."""
    op.create_table(
        "other_insurance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("insurer", sa.String(100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_other_insurance_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_other_insurance")),
        sa.UniqueConstraint(
            "person_id",
            "insurer",
            "start_date",
            name=op.f("uq_other_insurance_person_id_insurer_start_date"),
        ),
    )
    op.create_index(
        op.f("ix_other_insurance_person_id"), "other_insurance", ["person_id"], unique=False
    )
    op.create_table(
        "admission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("newborn_birth_date", sa.Date(), nullable=True),
        sa.Column("ward", sa.String(100), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=False),
        sa.Column("discharged_on", sa.Date(), nullable=True),
        sa.Column("tracking_code", sa.String(12), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.Column("overlap", sa.String(500), nullable=False),
        sa.Column("overlap_resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overlap_resolved_by", sa.Integer(), nullable=True),
        sa.Column("overlap_note", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "discharged_on IS NULL OR discharged_on >= admitted_on",
            name=op.f("ck_admission_discharged_after_admitted"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["centre_member.id"], name=op.f("fk_admission_member_id_centre_member")
        ),
        sa.ForeignKeyConstraint(
            ["overlap_resolved_by"],
            ["staff.id"],
            name=op.f("fk_admission_overlap_resolved_by_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_admission_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_admission_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admission")),
    )
    op.create_index(
        "ix_admission_provider_person", "admission", ["provider_id", "person_id"], unique=False
    )
    with op.batch_alter_table("prescription_item") as batch:
        batch.add_column(
            sa.Column("obtain_outside", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("outside_reason", sa.String(300), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("prescription_item") as batch:
        batch.drop_column("outside_reason")
        batch.drop_column("obtain_outside")
    op.drop_index("ix_admission_provider_person", table_name="admission")
    op.drop_table("admission")
    op.drop_index(op.f("ix_other_insurance_person_id"), table_name="other_insurance")
    op.drop_table("other_insurance")
