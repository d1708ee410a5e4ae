"""The migrations make exactly the schema of the models, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from schema import drop_everything

from server.extensions import db
from server.models import Base


def test_migrations_make_the_models_schema(app):
    with app.app_context():
        drop_everything()
        try:
            upgrade()
            with db.engine.connect() as connection:
                differences = compare_metadata(
                    MigrationContext.configure(connection), Base.metadata
                )
                # compare_metadata leaves CHECK constraints out: the one the models have, by name
                checks = db.inspect(connection).get_check_constraints("prescription_item")
            downgrade(revision="base")  # and they can be undone
            with db.engine.connect() as connection:
                left = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        finally:
            drop_everything()
            Base.metadata.create_all(db.engine)
    assert differences == []
    assert [check["name"] for check in checks] == ["ck_prescription_item_dispensed_within_quantity"]
    assert left == set()
