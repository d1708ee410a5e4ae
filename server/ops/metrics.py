"""The Prometheus series, and the one-line calls that count into them.

Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (an empty folder per service, cleaned on start —
deploy/gunicorn.conf.py does it): every worker process writes its counts there and `/metrics`
adds them up. Without it (tests, `flask run`) the counts live in the process.
The outbox gauges are read from the database at scrape time, so every node reports the same.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, request
from flask.wrappers import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from . import request_log

REQUESTS = Counter(
    "darman_http_requests", "HTTP requests by route pattern, method and status",
    ["route", "method", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "darman_http_request_duration_seconds", "Time to answer, by route pattern and method",
    ["route", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
INQUIRIES = Counter(
    "darman_inquiries", "Eligibility inquiries logged, by channel and result",
    ["channel", "result"],
)  # fmt: skip
PUSHES = Counter("darman_push", "Web pushes by result: sent, gone, retry, failed", ["result"])
SMS = Counter(
    "darman_sms", "SMS handed to the provider, by kind (code, text) and result (sent, failed)",
    ["kind", "result"],
)  # fmt: skip


def count_inquiry(channel: str, covered: bool, known: bool = True) -> None:
    """One logged inquiry: covered, not_covered, or unknown (nobody by that code)."""
    result = "covered" if covered else "not_covered" if known else "unknown"
    INQUIRIES.labels(channel, result).inc()


def count_pushes(results: list[str]) -> None:
    """The results of one batch of pushes."""
    for result in results:
        PUSHES.labels(result).inc()


@contextmanager
def counting_sms(kind: str) -> Iterator[None]:
    """Count an SMS as sent when the block ends, as failed when it raises."""
    try:
        yield
    except Exception:
        SMS.labels(kind, "failed").inc()
        raise
    SMS.labels(kind, "sent").inc()


class OutboxCollector(Collector):
    """What waits to be sent, read at scrape time: outbox events, push deliveries, notice SMS."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Two gauges per queue: rows waiting and the oldest one's age in seconds."""
        from ..extensions import db
        from ..models import OutboxEvent, PushDelivery, SmsNotice

        now = clock.now()
        queues = (("outbox", OutboxEvent), ("push", PushDelivery), ("sms", SmsNotice))
        for name, model in queues:
            try:
                count, oldest = db.session.execute(
                    select(func.count(), func.min(model.created_at)).where(
                        model.status == "pending"
                    )
                ).one()
            except SQLAlchemyError:  # no database (or no schema): the counts still go out
                db.session.rollback()
                return
            age = (now - clock.as_utc(oldest)).total_seconds() if oldest else 0.0
            waiting = GaugeMetricFamily(f"darman_{name}_waiting", f"{name} rows waiting")
            waiting.add_metric([], count)
            yield waiting
            oldest_age = GaugeMetricFamily(
                f"darman_{name}_oldest_age_seconds", f"age of the oldest {name} row waiting"
            )
            oldest_age.add_metric([], max(age, 0.0))
            yield oldest_age
        db.session.rollback()  # a read: end the transaction, hold nothing


# The primary's standbys as PostgreSQL reports them (the lag columns need the role pg_monitor).
_STANDBYS = text(
    "SELECT application_name, sync_state,"
    " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes,"
    " extract(epoch FROM replay_lag) AS lag_seconds"
    " FROM pg_stat_replication"
)


class ReplicationCollector(Collector):
    """The standbys of the primary the app writes to, read at scrape time (PostgreSQL only):
    how many, synchronous or not, and how far behind each replays."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Standbys by sync state, and each one's lag in bytes and seconds."""
        from ..extensions import db

        if db.engine.dialect.name != "postgresql":
            return
        try:
            rows = db.session.execute(_STANDBYS).all()
        except SQLAlchemyError:  # no database: the other series still go out
            db.session.rollback()
            return
        db.session.rollback()  # a read: end the transaction, hold nothing
        standbys = GaugeMetricFamily(
            "darman_database_standbys", "standbys streaming from the primary", labels=["sync_state"]
        )
        for state in ("quorum", "sync", "async", "potential"):
            standbys.add_metric([state], sum(1 for row in rows if row.sync_state == state))
        yield standbys
        for unit, column in (("bytes", "lag_bytes"), ("seconds", "lag_seconds")):
            lag = GaugeMetricFamily(
                f"darman_database_replication_lag_{unit}",
                f"how far each standby's replay is behind the primary, in {unit}",
                labels=["standby"],
            )
            for row in rows:
                lag.add_metric([row.application_name], float(getattr(row, column) or 0))
            yield lag


class _ProcessCollector(Collector):
    """This process's own series (no multiprocess folder)."""

    def collect(self):
        """Everything the default registry holds."""
        yield from REGISTRY.collect()


def registry(with_outbox: bool = True) -> CollectorRegistry:
    """A registry for one scrape: every process's counts, and the outbox gauges."""
    scrape = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(_ProcessCollector())
    if with_outbox:
        scrape.register(OutboxCollector())
        scrape.register(ReplicationCollector())
    return scrape


def exposition() -> Response:
    """The text format Prometheus scrapes."""
    return Response(generate_latest(registry()), mimetype=CONTENT_TYPE_LATEST)


def serve_for_worker(port: int) -> None:
    """The push worker's own counts on 127.0.0.1:port (it has no web server of its own)."""
    start_http_server(port, addr="127.0.0.1", registry=registry(with_outbox=False))


def _observe(response: Response) -> Response:
    """Count the request and its time under its route's pattern (never its path)."""
    route = request_log.route()
    REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    LATENCY.labels(route, request.method).observe(request_log.elapsed())
    return response


def init_app(app: Flask) -> None:
    """Count every request."""
    app.after_request(_observe)
