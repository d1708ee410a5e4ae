"""documents sent from the app for staff to review: document_submission

Revision ID: documents_1
Revises: admission_1

A main insured (or an adult dependant) sends a student certificate or a disability decision from
the app; SSO's insurance staff accept it (a registry `document` row, the cover recomputed at
once) or refuse it with a reason the family sees. The file stays in the instance folder.
"""

import sqlalchemy as sa
from alembic import op

revision = "documents_1"
down_revision = "admission_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table and the queue's index."""
    op.create_table(
        "document_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_number", sa.String(length=12), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("university", sa.String(length=120), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_document_submission_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["person.id"], name=op.f("fk_document_submission_sender_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_document_submission_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_submission_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["staff.id"], name=op.f("fk_document_submission_decided_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_submission")),
        sa.UniqueConstraint(
            "tracking_number", name=op.f("uq_document_submission_tracking_number")
        ),
    )
    op.create_index(
        op.f("ix_document_submission_account_id"), "document_submission", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_document_submission_person_id"), "document_submission", ["person_id"], unique=False
    )
    op.create_index(
        "ix_document_submission_status_created_at",
        "document_submission",
        ["status", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("document_submission")
