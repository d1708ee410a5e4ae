"""`GET /healthz`: 200 when the database answers."""

from flask import Blueprint
from sqlalchemy import text

from ..extensions import db
from ..web.toolkit import operation
from .schemas import Health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@operation("Health check: the database answers", response=Health, errors=(500,))
def healthz():
    """Ask the database for 1."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/api/ping")
@operation("A constant answer, the baseline of the benchmarks", response=Health)
def ping():
    """Touch nothing: the cost of the stack alone, measured beside the inquiry in bench/."""
    return {"status": "ok"}
