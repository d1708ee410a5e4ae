"""Reading the record's requests: bodies, query arguments, path codes and headers, each refused
with a localized 400 that names the item and the field at fault (the request layer: what is
malformed is refused here, before any operation runs)."""

import base64
import json
from datetime import date
from functools import partial

from flask import request
from flask_babel import gettext

from ..domain.digits import to_latin_digits, whole_number
from ..domain.tracking import is_valid_tracking_code
from ..i18n import number
from ..models import PRESCRIPTION_TYPES
from ..web.fields import LARGEST_ID
from ..web.refusals import InvalidInput
from ..web.toolkit import invalid_with, operation
from .schemas import MAX_ITEMS, MAX_QUANTITY

MAX_PAGE = 100
DEFAULT_PAGE = 20
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


def record_problem(kind: str, location: list[str], context: dict) -> tuple[str, str] | None:
    """Our error code and message for the kinds only a record has: types, quantities, items."""
    if location == ["type"] or kind == "literal_error":
        return "invalid_type", _type_message()
    if location == ["reason"]:
        return "reason_required", gettext("Please write why it is cancelled.")
    if location == ["parts"]:
        return "invalid_parts", gettext(
            "A repeat prescription has 2 to 6 monthly parts (up to 12 for a special patient)."
        )
    if location[-1:] == ["quantity"]:
        return "invalid_quantity", _quantity_message()
    if location == ["items"]:
        return _items_problem(kind)
    if kind == "outside_reason_required":
        return kind, gettext("Please say why it is to be got outside the hospital.")
    if len(location) == 2 and location[0] == "items":
        return "invalid_request", gettext("This item is not valid.")
    if kind == "duplicate_item":
        code = context.get("code", "")
        message = gettext(
            "Item %(code)s appears twice; write it once with the total quantity.", code=code
        )
        return kind, message
    if kind == "invalid_service_code":
        message = gettext(
            "The service code is not valid (Latin letters, digits, dot or dash; at most 30)."
        )
        return kind, message
    return None


# The toolkit's reading of a bad body, with the record's own kinds above.
bad_request = invalid_with(record_problem)


def _items_problem(kind: str) -> tuple[str, str]:
    """No items, too many, or not a list."""
    if kind == "too_long":
        return "too_many_items", gettext(
            "At most %(max)s items are allowed.", max=number(MAX_ITEMS)
        )
    return "no_items", gettext("Add at least one item.")


def _type_message() -> str:
    """The allowed types, named."""
    return gettext("The type must be one of: drug, lab, imaging, physio, visit.")


def _quantity_message() -> str:
    """The allowed quantities."""
    return gettext(
        "The quantity must be a whole number from 1 to %(max)s.", max=number(MAX_QUANTITY)
    )


def idempotency_key_argument() -> str | None:
    """The `Idempotency-Key` header (1–100 visible ASCII characters), None without one; 400 when
    malformed."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not (0 < len(key) <= MAX_KEY_LENGTH and all("!" <= ch <= "~" for ch in key)):
        message = gettext("The Idempotency-Key header must be 1 to 100 visible characters.")
        raise InvalidInput("invalid_idempotency_key", message)
    return key


def prescription_code_argument(text: str) -> str:
    """A prescription's own code from the path (Persian digits accepted); 400 when malformed."""
    code = to_latin_digits(text.strip())
    if not is_valid_tracking_code(code):
        message = gettext("The prescription code is not valid. Please check it.")
        raise InvalidInput("invalid_prescription_code", message)
    return code


def types_argument() -> tuple[str, ...]:
    """`?type=drug` (repeated, or comma-separated) as a tuple; empty means every type."""
    chosen = []
    for value in request.args.getlist("type"):
        chosen.extend(part.strip() for part in value.split(",") if part.strip())
    if any(value not in PRESCRIPTION_TYPES for value in chosen):
        raise InvalidInput("invalid_type", _type_message(), field="type")
    return tuple(sorted(set(chosen)))


def limit_argument() -> int:
    """`?limit=` between 1 and 100 (default 20)."""
    text = request.args.get("limit")
    if text is None:
        return DEFAULT_PAGE
    limit = whole_number(text, 1, MAX_PAGE)
    if limit is None:
        message = gettext(
            "The page size must be a whole number from 1 to %(max)s.", max=number(MAX_PAGE)
        )
        raise InvalidInput("invalid_limit", message, field="limit")
    return limit


def encode_cursor(*position: object) -> str:
    """An opaque cursor for the page after the row at `position`."""
    text = json.dumps([str(part) for part in position], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_argument(parts: int) -> list[str] | None:
    """`?cursor=` decoded into its `parts` strings; None for the first page; 400 when garbled."""
    text = request.args.get("cursor")
    if not text:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError:
        decoded = None
    if not (isinstance(decoded, list) and len(decoded) == parts):
        raise invalid_cursor()
    if not all(isinstance(part, str) for part in decoded):
        raise invalid_cursor()
    return decoded


def record_cursor_argument() -> tuple[date, int] | None:
    """`?cursor=` of the records list: the (written_on, id) of the last record shown."""
    cursor = cursor_argument(2)
    if cursor is None:
        return None
    try:
        written_on = date.fromisoformat(cursor[0])
    except ValueError:
        raise invalid_cursor() from None
    return written_on, _row_id(cursor[1])


def id_cursor_argument() -> int | None:
    """`?cursor=` that holds a row id (the access log's); None for the first page."""
    cursor = cursor_argument(1)
    if cursor is None:
        return None
    return _row_id(cursor[0])


def _row_id(text: str) -> int:
    """A row id from a cursor (Latin digits, up to what a column holds), or the cursor's 400."""
    if not text.isascii():
        raise invalid_cursor()
    row_id = whole_number(text, 0, LARGEST_ID)
    if row_id is None:
        raise invalid_cursor()
    return row_id


def invalid_cursor() -> InvalidInput:
    """The 400 for a cursor we did not make."""
    message = gettext("The page address is not valid; please start from the first page.")
    return InvalidInput("invalid_cursor", message, field="cursor")


# Like the toolkit's `operation`, with the record's own messages for a bad body.
records_operation = partial(operation, invalid=bad_request)
