"""The migration makes today's providers centres, and their tokens keep working."""

import hashlib
from datetime import UTC, datetime

from flask_migrate import upgrade
from schema import drop_everything
from sqlalchemy import text

from server.extensions import db
from server.models import Base


def test_an_existing_provider_token_keeps_working_after_the_migration(app, client):
    token = "an-old-token-made-before-centres-existed-0123456789"
    with app.app_context():
        drop_everything()
        try:
            upgrade(revision="b0a8237dd1a8")
            with db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO provider (name, kind, token_hash, created_at) "
                        "VALUES ('داروخانه قدیمی', 'pharmacy', :hash, :at)"
                    ),
                    {"hash": hashlib.sha256(token.encode()).hexdigest(), "at": datetime.now(UTC)},
                )
                connection.execute(  # a row that points at the provider, kept through the rebuild
                    text(
                        "INSERT INTO inquiry (tracking_code, channel, provider_id, national_code,"
                        " covered, asked_at) VALUES ('123456789012', 'provider', 1, '0012345679',"
                        " true, :at)"
                    ),
                    {"at": datetime.now(UTC)},
                )
            upgrade()
            with db.engine.connect() as connection:
                centre = connection.execute(text("SELECT status, kind FROM provider")).one()
                moved = connection.execute(text("SELECT scopes FROM provider_token")).one()
                asked_by = connection.execute(text("SELECT provider_id FROM inquiry")).scalar()
            answer = client.post(
                "/api/provider/eligibility",
                json={"national_code": "0012345679"},
                headers={"Authorization": f"Bearer {token}"},
            )
        finally:
            db.session.remove()
            drop_everything()
            Base.metadata.create_all(db.engine)
    assert tuple(centre) == ("active", "pharmacy")
    assert moved.scopes == "eligibility,dispense"
    assert answer.status_code == 200
    assert asked_by == 1
