"""sign-in kit: one SMS challenge table for every realm; session ids kept hashed

Revision ID: signin_1
Revises: buckets_1

The citizens' and the staff's challenge tables become one `sms_challenge` with a realm (codes
live three minutes: the old rows are dropped). Device and centre-member sessions now keep the
SHA-256 of their cookie's id, so every session kept verbatim ends here (people sign in again).
"""

import sqlalchemy as sa
from alembic import op

revision = "signin_1"
down_revision = "passkeys_1"
branch_labels = None
depends_on = None


def _code_columns() -> list[sa.Column]:
    """What every challenge table keeps of its code: the keyed hash, the times, the tries."""
    return [
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade():
    """One challenge table; the staff's goes; the verbatim sessions end."""
    _drop_staff_challenges()
    _drop_challenges()
    op.create_table(
        "sms_challenge",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("realm", sa.String(length=10), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("national_code", sa.String(length=12), nullable=False),
        sa.Column("mobile", sa.String(length=11), nullable=False),
        sa.Column("address", sa.String(length=40), nullable=False),
        *_code_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_challenge")),
    )
    op.create_index("ix_sms_challenge_expires_at", "sms_challenge", ["expires_at"])
    op.create_index("ix_sms_challenge_realm_subject", "sms_challenge", ["realm", "subject_id"])
    _end_verbatim_sessions()


def _end_verbatim_sessions() -> None:
    """A row whose id is the cookie's own value would sign in whoever reads the table."""
    op.execute("UPDATE push_subscription SET device_session_id = NULL")
    op.execute("DELETE FROM device_session")
    op.execute("DELETE FROM member_session")


def _drop_challenges() -> None:
    """The citizens' challenge table (live codes die: they last three minutes)."""
    op.drop_index("ix_sms_challenge_expires_at", table_name="sms_challenge")
    op.drop_index("ix_sms_challenge_person_id", table_name="sms_challenge")
    op.drop_table("sms_challenge")


def _drop_staff_challenges() -> None:
    """The staff's own challenge table."""
    op.drop_index("ix_staff_sms_challenge_session_id", table_name="staff_sms_challenge")
    op.drop_table("staff_sms_challenge")


def downgrade():
    """The two tables as they were (empty: codes last three minutes)."""
    op.drop_index("ix_sms_challenge_realm_subject", table_name="sms_challenge")
    op.drop_index("ix_sms_challenge_expires_at", table_name="sms_challenge")
    op.drop_table("sms_challenge")
    op.create_table(
        "sms_challenge",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("mobile", sa.String(length=11), nullable=False),
        *_code_columns(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_sms_challenge_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_challenge")),
    )
    op.create_index("ix_sms_challenge_person_id", "sms_challenge", ["person_id"])
    op.create_index("ix_sms_challenge_expires_at", "sms_challenge", ["expires_at"])
    op.create_table(
        "staff_sms_challenge",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        *_code_columns(),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["staff_session.id"],
            name=op.f("fk_staff_sms_challenge_session_id_staff_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sms_challenge")),
    )
    op.create_index("ix_staff_sms_challenge_session_id", "staff_sms_challenge", ["session_id"])
