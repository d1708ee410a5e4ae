"""What the notices API's refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

TEXTS = {
    "notification_not_found": lambda **_: gettext("This notice was not found."),
    "invalid_push_endpoint": lambda **_: gettext(
        "Notices cannot be sent to this address: it must be a browser's push service (https)."
    ),
}
