"""The request toolkit every blueprint uses: `operation` (a view's schemas), body parsing, the one
table of field names, and the mapping of validation errors to `{error, message}` answers.

It sits below every blueprint and imports none of them (an import-linter contract says so).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps
from typing import Any

from flask import request
from flask_babel import gettext, lazy_gettext
from pydantic import BaseModel, ValidationError

from ..domain.digits import whole_number
from ..domain.national_code import InvalidNationalCode, normalise
from ..i18n import number
from .fields import LARGEST_ID, UNREADABLE_DAY
from .refusals import InvalidInput

MAX_ARGUMENT_LENGTH = 40  # a national code typed with spaces and dashes fits; more is not one

# A package's own reading of one pydantic error: (kind, location, context) -> (code, message),
# or None to leave it to the common rules.
Problem = Callable[[str, list[str], dict], tuple[str, str] | None]


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one view: its schemas, summary and answers."""

    summary: str
    request: type[BaseModel] | None
    response: type[BaseModel] | None
    errors: tuple[int, ...]
    security: str | None
    query: tuple[str, ...] = ()  # query parameters (`name?`: optional)


class ErrorAnswer(BaseModel):
    """Every error: a stable code and a localized message."""

    error: str
    message: str


def operation(
    summary: str,
    *,
    request_schema: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    errors: tuple[int, ...] = (),
    security: str | None = None,
    invalid: Callable[[ValidationError], InvalidInput] | None = None,
    query: tuple[str, ...] = (),
) -> Callable:
    """Declare a view's schemas; with `request_schema`, the parsed body is passed as `body`.

    `invalid` turns a validation error into the answer (by default, `bad_request`'s). Put the
    sign-in check above this decorator, so that a stranger gets 401 before the body is read.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request_schema is not None:
                kwargs["body"] = parse_body(request_schema, invalid or bad_request)
            return view(*args, **kwargs)

        wrapper.openapi = Operation(summary, request_schema, response, errors, security, query)
        return wrapper

    return decorate


def parse_body(
    schema: type[BaseModel], invalid: Callable[[ValidationError], InvalidInput] | None = None
) -> BaseModel:
    """The JSON body validated by `schema`, or a 400 with a localized message."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise InvalidInput("invalid_json", gettext("Please send a JSON object."))
    try:
        return schema.model_validate(payload)
    except ValidationError as error:
        raise (invalid or bad_request)(error) from None


# Keyed by the field's dotted path; an item's field (`items.3.code`) is looked up as `items.code`.
FIELD_NAMES = {
    "national_code": lazy_gettext("National code"),
    "mother_national_code": lazy_gettext("Mother's national code"),
    "birth_date": lazy_gettext("Birth date"),
    "mobile": lazy_gettext("Mobile number"),
    "code": lazy_gettext("Code"),
    "request_id": lazy_gettext("Request"),
    "from": lazy_gettext("Sender's number"),
    "text": lazy_gettext("Message text"),
    "written_on": lazy_gettext("Date written"),
    "type": lazy_gettext("Type"),
    "diagnosis": lazy_gettext("Diagnosis"),
    "items": lazy_gettext("Items"),
    "items.code": lazy_gettext("Service code"),
    "items.name": lazy_gettext("Item name"),
    "items.instructions": lazy_gettext("Instructions"),
    "items.quantity": lazy_gettext("Quantity"),
    "quantity": lazy_gettext("Quantity"),
    "record_access_id": lazy_gettext("Entry of the access log"),
    "before": lazy_gettext("Next page"),
    "favourite": lazy_gettext("Favourite prescription"),
    "items.obtain_outside": lazy_gettext("To be got outside"),
    "items.outside_reason": lazy_gettext("Why outside"),
    "admitted_on": lazy_gettext("Admission date"),
    "ward": lazy_gettext("Ward"),
}


def field_name(location: list[str]) -> str:
    """The localized name of the field at `location`, or its dotted path when it has none."""
    dotted = ".".join(location)
    if len(location) >= 3 and location[1].isdigit():
        key = f"{location[0]}.{'.'.join(location[2:])}"
        return str(FIELD_NAMES.get(key, FIELD_NAMES.get(location[-1], dotted)))
    return str(FIELD_NAMES.get(dotted, dotted))


def bad_request(error: ValidationError, problem: Problem | None = None) -> InvalidInput:
    """The first problem of a validation error as a 400 naming the field (and the item) at fault.

    `problem` is a package's own reading of the kinds only it has; the common kinds (national
    code, mobile, SMS code, missing, date) are read the same everywhere.
    """
    first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    field = ".".join(location) or "body"
    kind = first["type"]
    found = _common(kind, location)
    if found is None and problem is not None:
        found = problem(kind, location, first.get("ctx") or {})
    code, message = found or (
        "invalid_request",
        gettext("%(field)s is not valid.", field=field_name(location)),
    )
    if len(location) >= 2 and location[0] == "items" and location[1].isdigit():
        message = gettext(
            "Item %(n)s: %(message)s", n=number(int(location[1]) + 1), message=message
        )
    return InvalidInput(code, message, field=field)


def invalid_with(problem: Problem) -> Callable[[ValidationError], InvalidInput]:
    """`bad_request` with a package's own reading of its kinds, for `operation(invalid=…)`."""
    return partial(bad_request, problem=problem)


def national_code_argument(text: str, field: str | None = None) -> str:
    """A national code from a path or query argument, normalised; 400 when it is not valid."""
    try:
        if len(text) > MAX_ARGUMENT_LENGTH:
            raise InvalidNationalCode(text)
        return normalise(text)
    except InvalidNationalCode:
        message = gettext("The national code is not valid. Please check it.")
        named = {"field": field} if field else {}
        raise InvalidInput("invalid_national_code", message, **named) from None


def id_argument(name: str) -> int | None:
    """`?name=` as the id of a row (1 to LARGEST_ID), None when absent; a 400 naming the field
    when it is no such number (a larger one would make the database driver raise)."""
    text = request.args.get(name)
    if not text:
        return None
    found = whole_number(text, 1, LARGEST_ID)
    if found is None:
        message = gettext("%(field)s is not valid.", field=field_name([name]))
        raise InvalidInput("invalid_request", message, field=name)
    return found


def _common(kind: str, location: list[str]) -> tuple[str, str] | None:
    """Our error code and message for the kinds every API shares; None for the others."""
    name = field_name(location)
    if kind == "invalid_national_code":
        return kind, gettext("The national code is not valid. Please check it.")
    if kind == "invalid_mobile":
        return kind, gettext("The mobile number is not valid. Please check it (09xxxxxxxxx).")
    if kind == "invalid_code":
        return kind, gettext("Please enter the 6-digit code of the SMS.")
    if kind in ("ambiguous_inquiry", "ambiguous_patient"):
        message = gettext("Send a national code, or a mother's national code and a birth date.")
        return kind, message
    if kind == "missing":
        return "missing_field", gettext("%(field)s is required.", field=name)
    if kind == "invalid_day":
        return "invalid_date", str(UNREADABLE_DAY)
    if kind.startswith("date"):
        return "invalid_date", gettext("%(field)s is not a valid date (YYYY-MM-DD).", field=name)
    return None
