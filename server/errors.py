"""The errors that are not refusals, in the API's one shape (`{"error": code, "message":
localized text}`), never a 500 page: Flask's own HTTP errors, a stale form, a busy database, a
database failing over to its standby (both 503 with `Retry-After`), a fault. Refusals
(`server/domain/refusal.py`) are answered by `server/web/refusals.py`."""

import sqlite3

from flask import Flask, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from psycopg import errors as pg_errors
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from .database import is_database_moving
from .web.refusals import error_response

BUSY_RETRY_SECONDS = 2


def _http_messages() -> dict[int, tuple[str, str]]:
    """Localized texts for the HTTP errors Flask raises by itself."""
    return {
        400: ("bad_request", gettext("The request could not be understood.")),
        401: ("unauthorized", gettext("Please sign in.")),
        403: ("forbidden", gettext("You are not allowed to do this.")),
        404: ("not_found", gettext("Nothing was found at this address.")),
        405: ("method_not_allowed", gettext("This method is not allowed here.")),
        413: ("too_large", gettext("The request is too large.")),
        415: ("unsupported_media_type", gettext("Please send JSON.")),
    }


def init_app(app: Flask) -> None:
    """Register the handlers; a 500 rolls the session back before answering."""

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        message = gettext("Your session has expired. Please reload the page and try again.")
        return error_response(400, "csrf_failed", message)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if not request.path.startswith("/api/"):
            return error
        code, message = _http_messages().get(error.code or 500, ("error", error.name))
        return error_response(error.code or 500, code, message)

    @app.errorhandler(DBAPIError)
    def _database(error: DBAPIError):
        from .extensions import db

        db.session.rollback()
        if is_database_moving(error):
            message = gettext("The service is switching databases. Please try again shortly.")
            return _retry_later(error_response(503, "database_unavailable", message))
        if not is_lock_timeout(error):
            return _unexpected(error)
        message = gettext("The service is busy. Please try again in a few seconds.")
        return _retry_later(error_response(503, "busy", message))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        from .extensions import db

        db.session.rollback()
        app.logger.exception("unhandled error")
        message = gettext("Something went wrong on our side. Please try again in a moment.")
        return error_response(500, "internal_error", message)


def _retry_later(response):
    """The 503 with the seconds to wait before trying again."""
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


def is_lock_timeout(error: DBAPIError) -> bool:
    """True when the database refused because a lock could not be had in time (not a fault)."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return "locked" in str(original) or "busy" in str(original)
    return isinstance(original, pg_errors.LockNotAvailable)
