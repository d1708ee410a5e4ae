"""One JSON line per request on the `darman.requests` logger, tied together by a request id.

The line names the route's pattern (`/api/provider/patients/<national_code>/records`), never
the path, the query, a header or a body: national codes, mobiles, tokens and health data stay out
of the logs. nginx passes its `$request_id` as `X-Request-Id`; it is kept when it looks like one,
else a new one is drawn, and every answer carries it back.
"""

import json
import logging
import os
import re
import socket
import sys
import time
import uuid

from flask import Flask, g, request
from flask.wrappers import Response

logger = logging.getLogger("darman.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")  # nginx's are 32 hex digits
NODE = os.environ.get("DARMAN_NODE_NAME") or socket.gethostname()


def request_id() -> str:
    """This request's id."""
    if "request_id" not in g:
        _start()
    return g.request_id


def route() -> str:
    """The matched route's pattern, or a fixed word when nothing matched."""
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def _start() -> None:
    """Take (or draw) the request id and note the start time (a before-request hook: it must
    return nothing, or Flask would answer with it)."""
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def elapsed() -> float:
    """Seconds since the request began."""
    started = g.get("request_started")
    return time.perf_counter() - started if started is not None else 0.0


def _finish(response: Response) -> Response:
    """Return the id to the client and write the request's line."""
    response.headers["X-Request-Id"] = request_id()
    line = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "request_id": request_id(),
        "node": NODE,
        "method": request.method,
        "route": route(),
        "status": response.status_code,
        "duration_ms": round(elapsed() * 1000, 2),
        "bytes": response.calculate_content_length(),
    }
    logger.info(json.dumps(line, separators=(",", ":")))
    return response


def init_app(app: Flask) -> None:
    """Hook the id in first, and give the logger a plain stderr handler (journald keeps it)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # the line is already complete JSON; no second formatting
