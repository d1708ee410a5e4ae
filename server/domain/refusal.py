"""How an operation says no, knowing nothing of HTTP or of languages.

An operation raises one of the kinds below with a stable `code` (the answer's `error`) and the
values its answer carries (`field`, `item`, `retry_after`, …). The one handler
(`server/web/refusals.py`) gives each kind its status and each code its localized message,
from the texts table of the package that raised it; `words` are values for the message alone.
"""


class Refused(Exception):
    """The request cannot be done as asked (a 400 unless a kind below says otherwise)."""

    def __init__(self, code: str, *, words: dict | None = None, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details  # carried in the answer beside `error` and `message`
        self.words = words or {}  # for the message only

    @property
    def values(self) -> dict:
        """Everything the message may name: the answer's details and the words."""
        return {**self.details, **self.words}


class Invalid(Refused):
    """The input is not acceptable (400)."""


class Unauthorized(Refused):
    """Who is asking is not known or not signed in (401); `bearer` asks for a bearer token."""

    def __init__(self, code: str, *, bearer: bool = False, **kwargs) -> None:
        super().__init__(code, **kwargs)
        self.bearer = bearer


class Forbidden(Refused):
    """Who is asking may not do this (403)."""


class NotFound(Refused):
    """What was asked for is not there, or not theirs to know of (404)."""


class Conflict(Refused):
    """The request clashes with the state of things (409)."""


class Gone(Refused):
    """What was asked for was there and is no longer usable (410)."""


class TooLarge(Refused):
    """What was sent is larger than allowed (413)."""


class TooMany(Refused):
    """A limit is reached; `retry_after` seconds until it frees (429)."""

    def __init__(self, code: str, *, retry_after: int, **kwargs) -> None:
        super().__init__(code, retry_after=retry_after, **kwargs)
        self.retry_after = retry_after


class Unavailable(Refused):
    """Not possible now, for a reason of ours; `retry_after` seconds may help (503)."""
