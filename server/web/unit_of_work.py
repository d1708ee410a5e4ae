"""One unit of work per request: the view's operations change data and flush; the request
commits once, at its end, when its answer is a success (below 400), and rolls back otherwise
(an answer of 400 and above, or a raised error, which the app's handlers then answer). A page
that shows a refusal itself (a form re-shown with the error beside its field, a redirect with a
flashed refusal: `server/web/refusals.py`'s `refused_here`) answers 200 or 303 and is refused
all the same: `roll_back_request()` rolls it back at once, so that the page reads without what
the refused operation began, and its end commits nothing. No view rolls back by hand.

A request that wrote nothing commits nothing (reads end with a rollback: no write lock, no
commit). A write that must stick even when the answer is an error is either committed by the
operation at once through `server.database.commit_now` (a counted wrong code: the one named
exception), or marked with `keep_if_failed` (a rate-limit count: committed with the rest when
the request succeeds, and done again alone after the rollback when it fails). A file written
beside the database for a row (a document, an attachment) is removed again when the request
rolls back (`server.database.after_rollback`).

The commit happens inside the dispatch, so an error it raises (a busy SQLite lock, a broken
constraint) is answered by the app's error handlers like any other (a 503, not a 500).

While PostgreSQL fails over to its standby (the primary lost, or a planned switchover), the
view is run again, after its rollback, until a primary answers or
`DARMAN_DATABASE_FAILOVER_WAIT_SECONDS` have passed (then a 503 with `Retry-After`): what it
did was rolled back, so running it again does it once. When the commit itself failed, the commit
may have reached the standby: the request is run again only when its transaction kept a row by
which the second run finds that it did (`findable_when_run_again`: a write with an
`Idempotency-Key`, whose second run answers the first answer, or writes once if the commit was
lost) — a provider's dispensing cut by a planned switchover is answered, not refused. Any other
failed commit answers 503, and the client decides.
"""

import time

from flask import Flask, Response, current_app, g
from sqlalchemy.exc import DBAPIError, OperationalError, PendingRollbackError

from ..database import (
    commit_and_follow,
    is_database_moving,
    is_findable_when_run_again,
    note_writes,
    roll_back,
    undo_when_rolled_back,
)
from ..extensions import db

REFUSED = "darman_refused"  # on `g`: the request was refused, whatever its answer's status
COMMIT_FINDABLE = "darman_commit_findable"  # on `g` while committing: can a second run find it?
RETRY_PAUSE_SECONDS = 0.25  # between tries while no primary answers


class UnitOfWorkFlask(Flask):
    """Flask whose every view ends with `finish()`: commit on success, roll back otherwise."""

    def dispatch_request(self) -> Response:
        """The view and its unit of work, run again while the database fails over."""
        deadline = time.monotonic() + current_app.config["DARMAN_DATABASE_FAILOVER_WAIT_SECONDS"]
        while True:
            try:
                return self._dispatch_once()
            except DBAPIError as error:
                if not g.pop(COMMIT_FINDABLE, True) or not is_database_moving(error):
                    raise  # a commit the request could not find again
                if time.monotonic() + RETRY_PAUSE_SECONDS >= deadline:
                    raise  # a 503 with Retry-After (server/errors.py)
                g.pop(REFUSED, None)
                time.sleep(RETRY_PAUSE_SECONDS)

    def _dispatch_once(self) -> Response:
        """The view and its unit of work's end."""
        try:
            response = self.make_response(super().dispatch_request())
            finish(response.status_code < 400 and not g.get(REFUSED, False))
        except Exception:
            _fail()
            raise  # answered by the app's error handlers
        return response


def finish(succeeded: bool) -> None:
    """End the request's transaction: commit what it wrote when it succeeded, else roll back."""
    if not db.session.registry.has():
        return  # the request made no session (the inquiry's hot path): nothing to end
    session = db.session()  # the request's Session, not its scoped proxy
    if not session.in_transaction() and not session.info:
        return  # the session was never used: nothing to end
    if succeeded:
        setattr(g, COMMIT_FINDABLE, is_findable_when_run_again(session))
        commit_and_follow(session)  # if it wrote; then the actions `after_commit` put off
        g.pop(COMMIT_FINDABLE, None)
    else:
        roll_back(session)


def roll_back_request() -> None:
    """Refuse the request whose page shows the refusal itself: roll back now, as a failed
    request does (what must be kept is kept, files written for its rows are removed), and end
    it without a commit, whatever it answers."""
    setattr(g, REFUSED, True)
    if db.session.registry.has():
        roll_back(db.session())


def _fail() -> None:
    """Roll back a request that raised; a failure to keep what it must keep (a busy database, or
    one gone: its connection then waits to be rolled back) gives way to the error it raised."""
    try:
        roll_back(db.session())
    except (OperationalError, PendingRollbackError):
        db.session.rollback()


def init_app(app: Flask) -> None:
    """Note which connections wrote (so that reads commit nothing); undo what a rolled-back
    transaction wrote outside the database, whoever rolls it back."""
    with app.app_context():
        note_writes(db.engine)
    undo_when_rolled_back()
