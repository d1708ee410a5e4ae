"""The catalogue API's 400s: the record's messages, with the favourite's own fields named, and
the search's query arguments."""

from functools import partial

from flask import request
from flask_babel import gettext
from pydantic import ValidationError

from ..i18n import number
from ..models import CATALOGUE_KINDS
from ..records.requests import bad_request as records_bad_request
from ..web.refusals import InvalidInput
from ..web.toolkit import operation

MAX_QUERY = 100


def bad_request(error: ValidationError) -> InvalidInput:
    """The first problem as a 400; a favourite's name and an empty change say so."""
    first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    if first["type"] == "empty_change":
        message = gettext("Send a name, a type or items to change.")
        return InvalidInput("empty_change", message, field="body")
    if location == ["name"]:
        message = gettext("Please give the favourite a name of at most 100 characters.")
        return InvalidInput("invalid_favourite_name", message, field="name")
    return records_bad_request(error)


# Like the toolkit's `operation`, with the messages above for a bad body.
catalogue_operation = partial(operation, invalid=bad_request)


def search_text_argument() -> str:
    """`?q=`, the text searched for (empty when not given); 400 when longer than 100."""
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY:
        message = gettext(
            "The search text can be at most %(max)s characters.", max=number(MAX_QUERY)
        )
        raise InvalidInput("query_too_long", message, field="q")
    return query


def kind_argument() -> str | None:
    """`?kind=` when given; 400 for an unknown kind."""
    kind = request.args.get("kind") or None
    if kind is not None and kind not in CATALOGUE_KINDS:
        message = gettext("The kind must be one of: drug, lab, imaging, physio, visit.")
        raise InvalidInput("invalid_kind", message, field="kind")
    return kind
