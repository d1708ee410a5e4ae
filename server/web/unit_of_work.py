"""One unit of work per request: the view's operations change data and flush; the request
commits once, at its end, when its answer is a success (below 400), and rolls back otherwise.

A request that wrote nothing commits nothing (reads end with a rollback: no write lock, no
commit). Raised errors never reach the commit: their handlers answer, and the session is
rolled back when the request ends (Flask-SQLAlchemy's `remove()`). A write that must stick
even when the answer is an error (a counted wrong code, a rate-limit hit) is committed by the
operation itself through `server.database.commit_now`, the one named exception.

The commit happens inside the dispatch, so an error it raises (a busy SQLite lock, a broken
constraint) is answered by the app's error handlers like any other (a 503, not a 500).
"""

from flask import Flask, Response

from ..database import commit_and_follow, note_writes, roll_back
from ..extensions import db


class UnitOfWorkFlask(Flask):
    """Flask whose every view ends with `finish()`: commit on success, roll back otherwise."""

    def dispatch_request(self) -> Response:
        response = self.make_response(super().dispatch_request())
        finish(response.status_code < 400)
        return response


def finish(succeeded: bool) -> None:
    """End the request's transaction: commit what it wrote when it succeeded, else roll back."""
    session = db.session()  # the request's Session, not its scoped proxy
    if succeeded:
        commit_and_follow(session)  # if it wrote; then the actions `after_commit` put off
    else:
        roll_back(session)


def init_app(app: Flask) -> None:
    """Note which connections wrote (so that reads commit nothing)."""
    with app.app_context():
        note_writes(db.engine)
