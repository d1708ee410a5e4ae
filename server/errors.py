"""One error shape for the API: `{"error": code, "message": localized text}`, never a 500 page."""

import sqlite3

from flask import Flask, jsonify, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from psycopg import errors as pg_errors
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .domain.refusal import Refused

BUSY_RETRY_SECONDS = 2


class ApiError(Exception):
    """An answer the client must act on; `message` is already localized, `headers` go with it.

    For the request layer (views, the toolkit) only: operations raise the refusals of
    `server/domain/refusal.py`, which carry no HTTP status and no language."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: object,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra


def error_response(status: int, code: str, message: str, **extra: object):
    """A JSON error answer."""
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


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

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        response = error_response(error.status, error.code, error.message, **error.extra)
        response.headers.update(error.headers)
        if "retry_after" in error.extra:
            response.headers["Retry-After"] = str(error.extra["retry_after"])
        return response

    @app.errorhandler(Refused)
    def _refused(error: Refused):
        from .web import refusals

        status, message = refusals.status_of(error), refusals.message_of(error)
        response = error_response(status, error.code, message, **error.details)
        response.headers.update(refusals.headers_of(error))
        return response

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

    @app.errorhandler(OperationalError)
    def _operational(error: OperationalError):
        from .extensions import db

        db.session.rollback()
        if not is_lock_timeout(error):
            return _unexpected(error)
        message = gettext("The service is busy. Please try again in a few seconds.")
        response = error_response(503, "busy", message)
        response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        from .extensions import db

        db.session.rollback()
        app.logger.exception("unhandled error")
        message = gettext("Something went wrong on our side. Please try again in a moment.")
        return error_response(500, "internal_error", message)


def is_lock_timeout(error: OperationalError) -> bool:
    """True when the database refused because a lock could not be had in time (not a fault)."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return "locked" in str(original) or "busy" in str(original)
    return isinstance(original, pg_errors.LockNotAvailable)
