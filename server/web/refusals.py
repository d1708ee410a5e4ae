"""The one mapping of refusals (`server/domain/refusal.py`) to answers: the kind gives the
status, the code the localized message, from the texts tables below (one per package, beside
its operations). `tests/app/test_refusals.py` checks that every code raised has a text.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_babel import gettext

from ..domain import refusal
from ..errors import ApiError
from ..i18n import number

# A code's message: called with the refusal's values (details and words) as keywords.
Text = Callable[..., str]

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
    "unknown_patient": lambda **_: gettext("This national code is not in the registry."),
    "rate_limited": lambda retry_after, limit=None, **_: _rate_limited(retry_after, limit),
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
}


def _rate_limited(retry_after: int, limit: str | None) -> str:
    """A reached limit's message, by the limit (`words={"limit": …}`); the sign-in limits' by
    default, with the wait in words."""
    if limit == "token":  # a provider's token, whose limits are per minute or per hour
        return gettext(
            "Too many requests with this token. Please try again in %(seconds)s seconds.",
            seconds=number(retry_after),
        )
    if limit == "lookup_misses":
        return gettext(
            "Too many tracking codes were not found. Please try again in %(minutes)s minutes.",
            minutes=number(math.ceil(retry_after / 60)),
        )
    from ..auth.refusal_texts import too_many_tries

    return too_many_tries(retry_after)


def _tables() -> list[Mapping[str, Text]]:
    """Every package's texts table (imported here, on first use, so that none imports up)."""
    from ..auth import refusal_texts as auth
    from ..catalogue import refusal_texts as catalogue
    from ..centres import refusal_texts as centres
    from ..fhir import refusal_texts as fhir
    from ..notify import refusal_texts as notify
    from ..records import refusal_texts as records
    from ..staff import refusal_texts as staff

    return [
        COMMON,
        auth.TEXTS,
        catalogue.TEXTS,
        centres.TEXTS,
        fhir.TEXTS,
        notify.TEXTS,
        records.TEXTS,
        staff.TEXTS,
    ]


_texts: dict[str, Text] | None = None


def texts() -> dict[str, Text]:
    """Code → message, from every package's table (a code is named in one table only)."""
    global _texts
    if _texts is None:
        merged: dict[str, Text] = {}
        for table in _tables():
            twice = merged.keys() & table.keys()
            if twice:
                raise RuntimeError(f"refusal codes in two texts tables: {sorted(twice)}")
            merged.update(table)
        _texts = merged
    return _texts


def status_of(error: refusal.Refused) -> int:
    """The HTTP status of a refusal's kind (400 for the plain `Refused`)."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def message_of(error: refusal.Refused) -> str:
    """The refusal's localized message."""
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


@dataclass(frozen=True)
class Said:
    """What a refusal (or the request layer's own `ApiError`) answers, for a page to show."""

    status: int
    code: str
    message: str
    details: dict


def said(error: refusal.Refused | ApiError) -> Said:
    """A refusal or an `ApiError` as status, code, message and details (pages render these)."""
    if isinstance(error, ApiError):
        return Said(error.status, error.code, error.message, error.extra)
    return Said(status_of(error), error.code, message_of(error), error.details)
