"""Refuse what no field may hold before a view sees it: NUL characters (PostgreSQL's text
cannot store them), JSON nested past any reason (Python's parser recurses) and path integers
past what an id column holds (the databases raise on them)."""

from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext
from werkzeug.routing import IntegerConverter

from .web.fields import LARGEST_ID
from .web.refusals import InvalidInput

# Our bodies are flat records; a few levels serve a WebAuthn credential or a push subscription.
MAX_JSON_DEPTH = 32


class TooDeep(ValueError):
    """A JSON value nested deeper than MAX_JSON_DEPTH."""


class NulCharacter(Exception):
    """A JSON string holding a NUL character."""


def check_value(value: Any) -> None:
    """Raise TooDeep for a value nested past MAX_JSON_DEPTH, NulCharacter for a NUL anywhere."""
    stack = [(value, 0)]
    while stack:  # iterative on purpose: recursion is what a deep body attacks
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise TooDeep("nested too deep")
        if isinstance(item, str):
            if "\x00" in item:
                raise NulCharacter()
        elif isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, whose `loads` refuses a too deep body (a ValueError: bad JSON) and a NUL
    character (400 `invalid_character`)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse, refusing recursion overflows, deep nesting and NUL characters."""
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise TooDeep("nested too deep") from None
        try:
            check_value(value)
        except NulCharacter:  # not a ValueError: the answer names the character, not the JSON
            raise InvalidInput("invalid_character", _nul_message()) from None
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
        raise InvalidInput("invalid_character", _nul_message())


def _nul_message() -> str:
    """The localized answer to a NUL character."""
    return gettext("The request holds a character that is not allowed.")


def numbers_up_to(largest: int) -> str:
    """A regular expression for the numbers from 0 to `largest` in ASCII digits (leading zeros
    allowed): the shorter ones, then those as long, digit by digit below `largest`'s."""
    digits = str(largest)
    shorter = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    as_long = [
        f"{digits[:i]}[0-{int(digit) - 1}][0-9]{{{len(digits) - i - 1}}}"
        for i, digit in enumerate(digits)
        if digit != "0"
    ]
    return "0*(?:" + "|".join([*shorter, *as_long, digits]) + ")"


class IdConverter(IntegerConverter):
    """`<int:…>` up to LARGEST_ID: a larger number names no row, so its path is a 404 before
    any view hands it to the database (SQLite's driver and PostgreSQL both raise on it).

    The bound is in the pattern, not only in `max`: a path the pattern took and `max` refused
    would be a 405 where another rule has the same path with other methods."""

    regex = numbers_up_to(LARGEST_ID)

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        """werkzeug's integer converter, with `max` set unless the rule sets its own."""
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Use the guarded JSON parser and the bounded `int` converter (before any blueprint adds
    its rules), and check every request for NUL characters."""
    app.url_map.converters["int"] = IdConverter
    app.json_provider_class = GuardedJSONProvider
    app.json = GuardedJSONProvider(app)
    app.json.ensure_ascii = False
    app.before_request(_refuse_nul)
