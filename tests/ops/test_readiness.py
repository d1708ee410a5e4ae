"""`GET /readyz`: 503 until the database answers and carries this code's migrations."""

from flask_migrate import downgrade, upgrade

from server import create_app
from server.extensions import db


def app_on(url: str):
    """An app of its own on the given database."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})


def test_ready_once_migrated_to_the_head(tmp_path):
    app = app_on(f"sqlite:///{tmp_path}/ready.db")
    with app.app_context():
        upgrade()
    response = app.test_client().get("/readyz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ready"})


def test_not_ready_before_the_migrations(tmp_path):
    app = app_on(f"sqlite:///{tmp_path}/empty.db")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["error"] == "migrations_pending"
    assert response.headers["Retry-After"] == "5"


def test_not_ready_one_migration_behind(tmp_path):
    app = app_on(f"sqlite:///{tmp_path}/behind.db")
    with app.app_context():
        upgrade()
        downgrade(revision="-1")
        db.engine.dispose()
    response = app.test_client().get("/readyz")
    assert (response.status_code, response.get_json()["error"]) == (503, "migrations_pending")


def test_not_ready_while_the_database_does_not_answer(tmp_path):
    app = app_on(f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = app.test_client().get("/readyz", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    body = response.get_json()
    assert body == {
        "error": "database_unavailable",
        "message": "The service is not ready: the database does not answer.",
    }


def test_the_message_is_persian_by_default(tmp_path):
    app = app_on(f"sqlite:///{tmp_path}/missing/dir/x.db")
    message = app.test_client().get("/readyz").get_json()["message"]
    assert "پایگاه داده" in message
