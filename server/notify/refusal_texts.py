"""What the notices API's refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

TEXTS = {
    "notification_not_found": lambda **_: gettext("This notice was not found."),
}
