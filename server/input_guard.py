"""Refuse what no field may hold before a view sees it: NUL characters (PostgreSQL's text
cannot store them) and JSON nested past any reason (Python's parser recurses)."""

from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext

from .errors import ApiError

# Our bodies are flat records; a few levels serve a WebAuthn credential or a push subscription.
MAX_JSON_DEPTH = 32


class TooDeep(ValueError):
    """A JSON value nested deeper than MAX_JSON_DEPTH, or one holding a NUL character."""


def check_value(value: Any) -> None:
    """Raise TooDeep for a value nested past MAX_JSON_DEPTH or holding a NUL anywhere."""
    stack = [(value, 0)]
    while stack:  # iterative on purpose: recursion is what a deep body attacks
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise TooDeep("nested too deep")
        if isinstance(item, str):
            if "\x00" in item:
                raise TooDeep("NUL character")
        elif isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, whose `loads` turns a too deep or NUL-holding body into a ValueError."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse, refusing recursion overflows, deep nesting and NUL characters as bad JSON."""
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise TooDeep("nested too deep") from None
        check_value(value)
        return value


def _has_nul(text: str | bytes) -> bool:
    """True when the text holds a NUL, raw or percent-encoded."""
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogateescape")
    return b"\x00" in text or b"%00" in text


def _refuse_nul() -> None:
    """400 for a NUL in the path, the query, a header or a form body."""
    suspects = [request.path, request.query_string, *request.headers.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        suspects.append(request.get_data(cache=True))  # cached: the form is parsed from it
    if any(_has_nul(text) for text in suspects):
        message = gettext("The request holds a character that is not allowed.")
        raise ApiError(400, "invalid_character", message)


def init_app(app: Flask) -> None:
    """Use the guarded JSON parser and check every request for NUL characters."""
    app.json_provider_class = GuardedJSONProvider
    app.json = GuardedJSONProvider(app)
    app.json.ensure_ascii = False
    app.before_request(_refuse_nul)
