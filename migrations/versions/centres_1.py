"""centres: the provider becomes a centre, with members, sessions, passkeys, tokens, documents

Existing providers become active centres; each one's token moves into provider_token with every
scope its kind allows and a year's expiry from now.

Revision ID: centres_1
Revises: staff_1
"""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "centres_1"
down_revision = "staff_1"
branch_labels = None
depends_on = None

KIND_SCOPES = {
    "doctor": "eligibility,prescribe,records",
    "hospital": "eligibility,prescribe,dispense,records",
}
CENTRE_SCOPES = "eligibility,dispense"


def _timestamps():
    """created_at / ended_at style columns."""
    return sa.DateTime(timezone=True)


@contextmanager
def _foreign_keys_off_on_sqlite():
    """Let SQLite rebuild `provider` (drop a column) while other tables point at it.

    SQLite rebuilds the table (copy, drop, rename), and with foreign keys on, dropping a parent
    that has children fails, even deferred. The pragma works only outside a transaction, so the
    open one is committed first; the statements inside then commit one by one, and the keys are
    checked before they are switched on again.
    """
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    if bind.connection.dbapi_connection.in_transaction:
        bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def upgrade():
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("provider") as batch:
        batch.add_column(sa.Column("city", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("address", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("licence_number", sa.String(50), nullable=True))
        batch.add_column(
            sa.Column("contracted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("contract_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("status", sa.String(10), nullable=False, server_default="active")
        )
        batch.add_column(sa.Column("rejection_reason", sa.String(500), nullable=True))
        batch.add_column(sa.Column("approved_at", _timestamps(), nullable=True))
    op.create_table(
        "centre_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("medical_council_number", sa.String(20), nullable=True),
        sa.Column("specialty", sa.String(100), nullable=True),
        sa.Column("created_at", _timestamps(), nullable=False),
        sa.Column("removed_at", _timestamps(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_centre_member_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_centre_member_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_member")),
    )
    op.create_index("ix_centre_member_person_id", "centre_member", ["person_id"])
    op.create_index(
        op.f("ix_centre_member_provider_id"), "centre_member", ["provider_id"], unique=False
    )
    op.create_index(
        op.f("ix_centre_member_medical_council_number"),
        "centre_member",
        ["medical_council_number"],
        unique=False,
    )
    op.create_table(
        "member_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("created_at", _timestamps(), nullable=False),
        sa.Column("last_seen_at", _timestamps(), nullable=False),
        sa.Column("ended_at", _timestamps(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["centre_member.id"],
            name=op.f("fk_member_session_member_id_centre_member"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_member_session_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_session")),
    )
    op.create_index(op.f("ix_member_session_person_id"), "member_session", ["person_id"])
    op.create_index(op.f("ix_member_session_member_id"), "member_session", ["member_id"])
    op.create_table(
        "member_passkey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(1024), nullable=False),
        sa.Column("public_key", sa.LargeBinary(2048), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("transports", sa.String(100), nullable=False),
        sa.Column("created_at", _timestamps(), nullable=False),
        sa.Column("last_used_at", _timestamps(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_member_passkey_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_passkey")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_member_passkey_credential_id")),
    )
    op.create_index(op.f("ix_member_passkey_person_id"), "member_passkey", ["person_id"])
    op.create_table(
        "provider_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(100), nullable=False),
        sa.Column("created_at", _timestamps(), nullable=False),
        sa.Column("expires_at", _timestamps(), nullable=False),
        sa.Column("last_used_at", _timestamps(), nullable=True),
        sa.Column("revoked_at", _timestamps(), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_provider_token_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_provider_token_token_hash")),
    )
    op.create_index(op.f("ix_provider_token_provider_id"), "provider_token", ["provider_id"])
    op.create_table(
        "centre_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("media_type", sa.String(30), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored_as", sa.String(200), nullable=False),
        sa.Column("uploaded_at", _timestamps(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_centre_document_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre_document")),
    )
    op.create_index(op.f("ix_centre_document_provider_id"), "centre_document", ["provider_id"])
    _move_tokens()
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("provider") as batch:
        batch.drop_constraint("uq_provider_token_hash", type_="unique")
        batch.drop_column("token_hash")
    with op.batch_alter_table("inquiry") as batch:
        batch.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_inquiry_member_id_centre_member"), "centre_member", ["member_id"], ["id"]
        )
    with op.batch_alter_table("record_access") as batch:
        batch.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_record_access_member_id_centre_member"), "centre_member", ["member_id"], ["id"]
        )


def _move_tokens():
    """Each provider's token becomes its centre's first token."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, name, kind, token_hash, created_at FROM provider")
    )
    expires = datetime.now(UTC) + timedelta(days=365)
    token = sa.table(
        "provider_token",
        sa.column("provider_id"),
        sa.column("name"),
        sa.column("token_hash"),
        sa.column("scopes"),
        sa.column("created_at"),
        sa.column("expires_at"),
    )
    values = [
        {
            "provider_id": row.id,
            "name": row.name[:100],
            "token_hash": row.token_hash,
            "scopes": KIND_SCOPES.get(row.kind, CENTRE_SCOPES),
            "created_at": row.created_at,
            "expires_at": expires,
        }
        for row in rows
    ]
    if values:
        op.bulk_insert(token, values)


def downgrade():
    with op.batch_alter_table("record_access") as batch:
        batch.drop_constraint("fk_record_access_member_id_centre_member", type_="foreignkey")
        batch.drop_column("member_id")
    with op.batch_alter_table("inquiry") as batch:
        batch.drop_constraint("fk_inquiry_member_id_centre_member", type_="foreignkey")
        batch.drop_column("member_id")
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("provider") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(64), nullable=True))
    # Each centre keeps its newest live token; centres without one get an unusable hash.
    op.execute(
        "UPDATE provider SET token_hash = COALESCE((SELECT t.token_hash FROM provider_token t "
        "WHERE t.provider_id = provider.id AND t.revoked_at IS NULL ORDER BY t.id DESC LIMIT 1), "
        "'revoked-' || provider.id)"
    )
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("provider") as batch:
        batch.alter_column("token_hash", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_provider_token_hash", ["token_hash"])
    for table in ("centre_document", "provider_token", "member_passkey", "member_session"):
        op.drop_table(table)
    op.drop_table("centre_member")
    with _foreign_keys_off_on_sqlite(), op.batch_alter_table("provider") as batch:
        for column in (
            "approved_at",
            "rejection_reason",
            "status",
            "contract_requested",
            "contracted",
            "address",
            "city",
            "licence_number",
        ):
            batch.drop_column(column)
