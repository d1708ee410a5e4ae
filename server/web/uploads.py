"""Room for an upload: a view that takes files may receive more than the app's 64 KB
(`MAX_CONTENT_LENGTH`), and only that view.

The limit must be raised before any hook reads the body: CSRF protection (an app-wide hook)
parses the form to find its token, and a form parsed under 64 KB refuses a phone's photo with a
413 before the blueprint's own hooks run. So the raise is the first of the app's hooks.
"""

from collections.abc import Collection

from flask import Blueprint, request


def allow_uploads(
    blueprint: Blueprint, limit: int, endpoints: Collection[str] | None = None
) -> None:
    """Let a POST to `blueprint`'s views (or only to `endpoints`) carry up to `limit` bytes."""

    def raise_limit() -> None:
        """The larger limit, for this blueprint's uploads only."""
        if request.method != "POST" or request.blueprint != blueprint.name:
            return
        if endpoints is None or request.endpoint in endpoints:
            request.max_content_length = limit

    @blueprint.record_once
    def first_of_all(state) -> None:
        """Run `raise_limit` before every other hook of the app (CSRF's among them)."""
        state.app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)
