"""The catalogue API's 400s: the record's messages, with the favourite's own fields named."""

from functools import partial

from flask_babel import gettext
from pydantic import ValidationError

from ..records.requests import bad_request as records_bad_request
from ..web.refusals import InvalidInput
from ..web.toolkit import operation


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
