"""indexes for the daily notices ahead of a rule's edge (birthdays, documents ending)

Revision ID: pwa_1
Revises: b0a8237dd1a8
"""

from alembic import op

revision = "pwa_1"
down_revision = "b0a8237dd1a8"
branch_labels = None
depends_on = None


def upgrade():
    """Index the birth dates and the documents' last days that `daily` reads by range."""
    op.create_index(op.f("ix_person_birth_date"), "person", ["birth_date"], unique=False)
    op.create_index(op.f("ix_document_valid_until"), "document", ["valid_until"], unique=False)


def downgrade():
    """Drop the two indexes."""
    op.drop_index(op.f("ix_document_valid_until"), table_name="document")
    op.drop_index(op.f("ix_person_birth_date"), table_name="person")
