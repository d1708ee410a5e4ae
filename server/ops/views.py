"""`GET /metrics` (Prometheus; nginx does not pass it on) and `GET /readyz` (for the balancer)."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from flask_babel import gettext
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..web.refusals import error_response
from . import metrics

bp = Blueprint("ops", __name__)


@bp.get("/metrics")
def prometheus_metrics():
    """Every process's counts and the outbox gauges, in Prometheus' text format."""
    return metrics.exposition()


@bp.get("/readyz")
def readyz():
    """200 when the database answers and is migrated to this code's head; else 503."""
    try:
        with db.engine.connect() as connection:
            applied = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        message = gettext("The service is not ready: the database does not answer.")
        return _not_ready("database_unavailable", message)
    if applied != _code_heads():
        message = gettext("The service is not ready: the database is not migrated yet.")
        return _not_ready("migrations_pending", message)
    return {"status": "ready"}


def _not_ready(code: str, message: str):
    """A 503 that balancers understand, with the usual error shape."""
    response = error_response(503, code, message)
    response.headers["Retry-After"] = "5"
    response.headers["Cache-Control"] = "no-store"
    return response


def _code_heads() -> set[str]:
    """The migration heads this code ships (read once per process: the files never change)."""
    heads = current_app.extensions.get("darman_migration_heads")
    if heads is None:
        directory = current_app.extensions["migrate"].directory
        config = current_app.extensions["migrate"].migrate.get_config(directory)
        heads = set(ScriptDirectory.from_config(config).get_heads())
        current_app.extensions["darman_migration_heads"] = heads
    return heads
