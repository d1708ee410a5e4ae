"""Session ids of every realm: the cookie holds a random id, the table only its SHA-256.

A copy of a sessions table (a backup, a read-only leak) then signs nobody in; lookups hash the
cookie's value. Citizens' devices, centre members' and staff sessions all keep theirs so.
"""

import hashlib
import secrets

# Longer cookie values are not ours: refused before they are hashed.
MAX_COOKIE_ID = 100


def new_session_id() -> tuple[str, str]:
    """(the cookie's raw id, the id the row keeps)."""
    raw = secrets.token_urlsafe(32)
    return raw, stored_id(raw)


def stored_id(raw: str) -> str:
    """What the table keeps of a cookie's id: its SHA-256, in hex (64 characters)."""
    return hashlib.sha256(raw.encode()).hexdigest()
