"""Running Darman as a service: what operators watch.

request_log.py  one JSON line per request, with a request id (also `X-Request-Id`)
metrics.py      the Prometheus series (multiprocess under gunicorn) and the counting calls
views.py        `GET /metrics` (for the scraper, not proxied) and `GET /readyz`
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """The request log and the request metrics; the blueprint is registered with the others."""
    from . import metrics, request_log

    request_log.init_app(app)
    metrics.init_app(app)
