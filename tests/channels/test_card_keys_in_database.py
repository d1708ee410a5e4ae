"""DARMAN_CARD_KEY_STORE=database: the card's keys live in the database, so two nodes with no
folder in common sign alike, verify each other's cards and see one rotation."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from families import INSURED, INSURED_MOBILE
from sqlalchemy import select

from server import create_app
from server.card.verify import verify
from server.extensions import db
from server.models import CardSigningKey


@pytest.fixture
def stored(app, monkeypatch):
    """This app keeps its card keys in the database."""
    monkeypatch.setitem(app.config, "DARMAN_CARD_KEY_STORE", "database")
    monkeypatch.setitem(app.config, "DARMAN_CARD_KEY_DIR", None)


@pytest.fixture
def other_node(app, tmp_path):
    """A second app on the same database, with an instance folder of its own."""
    node = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "DARMAN_TODAY": app.config["DARMAN_TODAY"],
            "DARMAN_CARD_KEY_STORE": "database",
        }
    )
    node.instance_path = str(tmp_path / "node-b")
    yield node
    with node.app_context():
        db.engine.dispose()


def test_a_card_from_one_node_verifies_with_the_keys_of_the_other(
    app, stored, other_node, family, citizen
):
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    card = citizen.get("/api/card").get_json()
    keys_b = other_node.test_client().get("/api/card/keys").get_json()
    verified = verify(card["token"], keys_b, datetime.now(UTC))
    assert verified.national_code == INSURED
    assert not list(Path(app.instance_path).glob("card-keys/*.pem"))  # none on disk


def test_private_keys_are_kept_encrypted(app, stored, client):
    client.get("/api/card/keys")
    with app.app_context():
        rows = db.session.execute(select(CardSigningKey)).scalars().all()
    assert sorted(row.state for row in rows) == ["current", "next"]
    for row in rows:
        assert row.private_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")


def test_a_rotation_on_one_node_is_seen_by_the_other(app, stored, other_node, runner, client):
    first = client.get("/api/card/keys").get_json()["keys"]
    result = other_node.test_cli_runner().invoke(args=["darman", "card", "rotate-key"])
    assert result.exit_code == 0, result.output
    after = client.get("/api/card/keys").get_json()["keys"]
    by_kid = {key["kid"]: key for key in after}
    assert len(after) == 3
    assert first[1]["kid"] in by_kid and first[0]["kid"] in by_kid
    with app.app_context():
        states = dict(db.session.execute(select(CardSigningKey.kid, CardSigningKey.state)).all())
        retired = db.session.get(CardSigningKey, first[0]["kid"])
        assert retired.private_pem is None  # a retired key signs no more
    assert states[first[1]["kid"]] == "current" and states[first[0]["kid"]] == "retired"


def test_retired_keys_go_after_the_keep_time(app, stored):
    from server.card.stored_keys import StoredKeyring

    with app.app_context():
        ring = StoredKeyring(app.config["SECRET_KEY"])
        now = datetime.now(UTC)
        ring.signing_key(now)
        first = ring.rotate(now, timedelta(hours=48))
        second = ring.rotate(now + timedelta(hours=49), timedelta(hours=48))
        assert second.removed == (first.retired,)
        kids = [key.kid for key in ring.published()]
    assert first.retired not in kids and len(kids) == 3
