"""What the sign-in's refusals and the limits' (`rate_limited`, whoever raises it) say
(`server/web/refusals.py` maps them to answers), with a wait in words for the limits' messages.
The codes other packages raise too (`code_expired`, the passkeys' and the sessions') are in that
module's COMMON."""

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


def rate_limited(retry_after: int, limit: str | None = None, **_) -> str:
    """A reached limit's message, by the limit (`words={"limit": …}`); the sign-in limits' by
    default, with the wait in words."""
    if limit == "token":  # a provider's token, whose limits are per minute or per hour
        return gettext(
            "Too many requests with this token. Please try again in %(seconds)s seconds.",
            seconds=i18n.number(retry_after),
        )
    if limit in ("lookup_misses", "prescription_misses"):  # codes looked up in vain, per hour
        minutes = i18n.number(math.ceil(retry_after / 60))
        if limit == "prescription_misses":
            return gettext(
                "Too many prescription codes were not found. Please try again in %(minutes)s "
                "minutes.",
                minutes=minutes,
            )
        return gettext(
            "Too many tracking codes were not found. Please try again in %(minutes)s minutes.",
            minutes=minutes,
        )
    if limit == "objections":
        return gettext(
            "You have filed as many objections as one day allows. You can file another in "
            "%(wait)s; your objections already filed are being reviewed.",
            wait=wait_text(retry_after),
        )
    if limit == "documents":
        return gettext(
            "You have sent as many documents as one day allows. You can send another in "
            "%(wait)s; the documents already sent are being reviewed.",
            wait=wait_text(retry_after),
        )
    return too_many_tries(retry_after)


TEXTS = {
    "rate_limited": rate_limited,
    "invalid_token": lambda **_: gettext("A valid provider token is required."),
    "insufficient_scope": lambda **_: gettext("This token may not be used for this."),
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
    "session_ended": lambda reason=None, **_: session_ended(reason),
}


def session_ended(reason: str | None) -> str:
    """Why this device was signed out (the open app shows it beside «sign in again»)."""
    if reason == "mobile_changed":
        return gettext(
            "You were signed out on this phone because the mobile number registered for your "
            "national code was changed at a branch. Please sign in again with the new number."
        )
    if reason == "ended_elsewhere":
        return gettext(
            "You were signed out on this phone from another of your devices. Please sign in again."
        )
    if reason == "expired":
        return gettext(
            "You were signed out because the app was not used for 30 days. Please sign in again."
        )
    return gettext("You were signed out on this phone. Please sign in again.")
