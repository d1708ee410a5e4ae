"""The one answer to a refusal (`server/domain/refusal.py`), whoever raised it: the kind gives
the status, the code the localized message, and the request the form: JSON for the API and for a
client that asks for JSON, a page otherwise (`answer`, the app's one handler, which rolls the
request back through the unit of work).

The texts come from the tables each package registers at app creation (`register_texts`, from
the app factory), so this module imports no package above it. A refusal the request layer words
itself while reading a request (a body's field, an argument) is an `InvalidInput`: its message
comes with it. `tests/centres/test_refusal_texts.py` checks that every code raised has a text.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Flask, current_app, flash, jsonify, render_template, request
from flask_babel import get_locale, gettext

from ..domain import refusal
from .unit_of_work import roll_back_request

# A code's message: called with the refusal's values (details and words) as keywords.
Text = Callable[..., str]

TEXTS = "darman_refusal_texts"  # in app.extensions: code → text, every registered table
PAGES = "darman_refusal_pages"  # in app.extensions: blueprint prefix → its refusal page
PAGE = "web/refused.html"  # the page of a web request no blueprint gave its own

STATUS: dict[type[refusal.Refused], int] = {
    refusal.Invalid: 400,
    refusal.Unauthorized: 401,
    refusal.Forbidden: 403,
    refusal.NotFound: 404,
    refusal.Conflict: 409,
    refusal.Gone: 410,
    refusal.TooLarge: 413,
    refusal.TooMany: 429,
    refusal.Unavailable: 503,
}

# The codes more than one package raises.
COMMON: dict[str, Text] = {
    "future_date": lambda field=None, **_: (
        gettext("The date written cannot be in the future.")
        if field == "written_on"
        else gettext("The birth date cannot be in the future.")
    ),
    "born_before_mother": lambda **_: gettext(
        "The newborn's birth date cannot be before the mother's own. Please check it."
    ),
    "not_a_newborn": lambda **_: gettext(
        "A birth date more than a year ago is not a newborn's. Please ask with the child's own "
        "national code."
    ),
    "unknown_patient": lambda **_: gettext("This national code is not in the registry."),
    "sms_unavailable": lambda **_: gettext(
        "The SMS could not be sent. Please try again in a few minutes."
    ),
    "code_expired": lambda **_: gettext("This code is no longer valid. Please ask for a new code."),
    "passkey_expired": lambda **_: gettext("Please try again: the request expired."),
    "passkey_refused": lambda **_: gettext("This passkey could not be verified."),
    "sign_in_required": lambda **_: gettext("Please sign in."),
    "reauthentication_required": lambda **_: gettext(
        "For your safety, please confirm it is you again."
    ),
    "not_found": lambda **_: gettext("Nothing was found at this address."),
    "invalid_json": lambda **_: gettext("Please send a JSON object."),
}


class InvalidInput(refusal.Invalid):
    """A request the request layer refuses while reading it, before any operation runs (a
    body's field, an item, an argument), worded as it reads it: the message comes with it."""

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(code, **details)
        self.message = message


def init_app(app: Flask) -> None:
    """Start the app's texts with the common ones, and answer every refusal (`answer`)."""
    app.extensions[TEXTS] = dict(COMMON)
    app.extensions[PAGES] = {}
    app.register_error_handler(refusal.Refused, answer)


def register_texts(app: Flask, table: Mapping[str, Text]) -> None:
    """Add a package's texts table (at app creation); a code is named in one table only."""
    texts_of_app = app.extensions[TEXTS]
    twice = texts_of_app.keys() & table.keys()
    if twice:
        raise RuntimeError(f"refusal codes in two texts tables: {sorted(twice)}")
    texts_of_app.update(table)


def register_page(app: Flask, blueprint_prefix: str, template: str) -> None:
    """Show the refusals of the blueprints whose name starts so on this page (given
    `message`), in their own layout."""
    app.extensions[PAGES][blueprint_prefix] = template


def texts() -> dict[str, Text]:
    """Code → message, from every table the app registered."""
    return current_app.extensions[TEXTS]


def status_of(error: refusal.Refused) -> int:
    """The HTTP status of a refusal's kind (400 for the plain `Refused`)."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def message_of(error: refusal.Refused) -> str:
    """The refusal's localized message."""
    if isinstance(error, InvalidInput):
        return error.message
    text = texts().get(error.code)
    if text is None:  # a code without a text is a bug (a test looks for them): say something
        return gettext("The request could not be done.")
    return text(**error.values)


def headers_of(error: refusal.Refused) -> dict[str, str]:
    """`Retry-After` for a refusal that names a wait; the bearer challenge for a 401."""
    headers = {}
    retry_after = error.details.get("retry_after")
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if isinstance(error, refusal.Unauthorized) and error.bearer:
        headers["WWW-Authenticate"] = 'Bearer realm="darman"'
    return headers


def error_response(status: int, code: str, message: str, **extra: object):
    """A JSON error answer: `{"error": code, "message": …, extra}`."""
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def wants_json() -> bool:
    """JSON for the API, for a JSON body, and for a client that prefers JSON to a page (a
    script's fetch, a client that names no preference); a page for a browser's navigation."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    accept = request.accept_mimetypes
    return accept["application/json"] >= accept["text/html"]


def answer(error: refusal.Refused):
    """The one handler: `{"error": code, "message": …, details}` as JSON, or the page of the
    request's blueprint with the message; the request is rolled back (a view's refusal already
    was, by the unit of work; one raised before the view, here)."""
    roll_back_request()
    status, message = status_of(error), message_of(error)
    if wants_json():
        response = error_response(status, error.code, message, **error.details)
    else:
        locale = str(get_locale())
        direction = "rtl" if locale == "fa" else "ltr"
        page = render_template(_page(), message=message, lang=locale, direction=direction)
        response = current_app.make_response(page)
    response.status_code = status
    response.headers.update(headers_of(error))
    return response


def _page() -> str:
    """The refusal page of the request's blueprint, or the toolkit's own."""
    blueprint = request.blueprint or ""
    for prefix, template in current_app.extensions[PAGES].items():
        if blueprint.startswith(prefix):
            return template
    return PAGE


@dataclass(frozen=True)
class Said:
    """What a refusal answers, for a page to show beside a field."""

    status: int
    code: str
    message: str
    details: dict


def said(error: refusal.Refused) -> Said:
    """A refusal as status, code, message and details (pages render these)."""
    return Said(status_of(error), error.code, message_of(error), error.details)


def refused_here(error: refusal.Refused) -> Said:
    """A refusal that the page shows itself instead of the handler (a form re-shown with the
    error, a flashed message): the request is rolled back as any refused request is, now, so
    that the page reads without what the refused operation began."""
    roll_back_request()
    return said(error)


def show_beside(form, error: refusal.Refused, default_field: str) -> Said:
    """Re-show `form` with the refusal's message beside the field it names (or `default_field`);
    the request is rolled back (`refused_here`)."""
    answer = refused_here(error)
    field = answer.details.get("field")
    target = getattr(form, field, None) if field else None
    target = target if target is not None else getattr(form, default_field)
    target.errors = [*target.errors, answer.message]
    return answer


def flash_refused(error: refusal.Refused) -> None:
    """Flash the refusal's message for the page a redirect leads to; the request is rolled
    back (`refused_here`)."""
    flash(refused_here(error).message, "error")
