"""What the citizen's sign-in refusals say (`server/web/refusals.py` maps them to answers), and
a wait in words for the limits' messages. The codes other packages raise too (`rate_limited`,
`code_expired`, the passkeys' and the sessions') are in that module's COMMON."""

import math

from flask_babel import gettext

from .. import i18n
from ..messages import MOBILE_MISMATCH

# Up to this many seconds a wait is said in seconds; past it, in minutes, then in hours.
SECONDS_SAID = 90
MINUTES_SAID = 90


def wait_text(seconds: int) -> str:
    """«۵ دقیقه», «۳ ساعت»: a wait in words, never thousands of seconds."""
    if seconds <= SECONDS_SAID:
        return gettext("%(n)s seconds", n=i18n.number(max(1, seconds)))
    minutes = math.ceil(seconds / 60)
    if minutes <= MINUTES_SAID:
        return gettext("about %(n)s minutes", n=i18n.number(minutes))
    return gettext("about %(n)s hours", n=i18n.number(math.ceil(seconds / 3600)))


def too_many_tries(retry_after: int) -> str:
    """The sign-in limits' message: the wait in words."""
    return gettext("Too many tries. Please try again in %(wait)s.", wait=wait_text(retry_after))


TEXTS = {
    "mobile_mismatch": lambda **_: str(MOBILE_MISMATCH),
    "code_used_up": lambda **_: gettext(
        "This code is used up after too many wrong tries. Please ask for a new code: you "
        "can do so now."
    ),
    "code_wrong": lambda attempts_left, **_: gettext(
        "The code is not right. %(left)s tries left.", left=i18n.number(attempts_left)
    ),
    # passkeys, in every realm (webauthn.py)
    "passkey_needed": lambda **_: gettext(
        "You have a passkey already: to add another, first confirm it is you with that passkey "
        "(on this device or with your phone). If you have lost it, an SSO branch can remove it; "
        "then you can make a new one."
    ),
    "passkey_not_found": lambda **_: gettext("This passkey is not among yours."),
}
