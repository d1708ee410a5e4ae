"""JSON blueprints. Requests are validated by pydantic schemas, which also make the OpenAPI doc."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import request
from flask_babel import gettext, lazy_gettext
from pydantic import BaseModel, ValidationError

from ..errors import ApiError


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one view: its schemas, summary and answers."""

    summary: str
    request: type[BaseModel] | None
    response: type[BaseModel] | None
    errors: tuple[int, ...]
    security: str | None
    query: tuple[str, ...] = ()  # required query parameters


def operation(
    summary: str,
    *,
    request_schema: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    errors: tuple[int, ...] = (),
    security: str | None = None,
    invalid: Callable[[ValidationError], ApiError] | None = None,
    query: tuple[str, ...] = (),
) -> Callable:
    """Declare a view's schemas; with `request_schema`, the parsed body is passed as `body`.

    `invalid` turns a validation error into the answer (by default, `_bad_request`'s).
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request_schema is not None:
                kwargs["body"] = parse_body(request_schema, invalid or _bad_request)
            return view(*args, **kwargs)

        wrapper.openapi = Operation(summary, request_schema, response, errors, security, query)
        return wrapper

    return decorate


def parse_body(
    schema: type[BaseModel], invalid: Callable[[ValidationError], ApiError]
) -> BaseModel:
    """The JSON body validated by `schema`, or a 400 with a localized message."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", gettext("Please send a JSON object."))
    try:
        return schema.model_validate(payload)
    except ValidationError as error:
        raise invalid(error) from None


FIELD_NAMES = {
    "national_code": lazy_gettext("National code"),
    "mother_national_code": lazy_gettext("Mother's national code"),
    "birth_date": lazy_gettext("Birth date"),
    "mobile": lazy_gettext("Mobile number"),
    "code": lazy_gettext("Code"),
    "request_id": lazy_gettext("Request"),
    "from": lazy_gettext("Sender's number"),
    "text": lazy_gettext("Message text"),
}


def _bad_request(error: ValidationError) -> ApiError:
    """The first problem of a validation error, as our error code and a localized message."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    kind = first["type"]
    name = str(FIELD_NAMES.get(field, field))
    if kind == "invalid_national_code":
        message = gettext("The national code is not valid. Please check it.")
        return ApiError(400, "invalid_national_code", message, field=field)
    if kind == "invalid_mobile":
        message = gettext("The mobile number is not valid. Please check it (09xxxxxxxxx).")
        return ApiError(400, kind, message, field=field)
    if kind == "invalid_code":
        message = gettext("Please enter the 6-digit code of the SMS.")
        return ApiError(400, kind, message, field=field)
    if kind == "missing":
        message = gettext("%(field)s is required.", field=name)
        return ApiError(400, "missing_field", message, field=field)
    if kind.startswith("date"):
        message = gettext("%(field)s is not a valid date (YYYY-MM-DD).", field=name)
        return ApiError(400, "invalid_date", message, field=field)
    if kind == "ambiguous_inquiry":
        message = gettext("Send a national code, or a mother's national code and a birth date.")
        return ApiError(400, kind, message)
    message = gettext("%(field)s is not valid.", field=name)
    return ApiError(400, "invalid_request", message, field=field)
