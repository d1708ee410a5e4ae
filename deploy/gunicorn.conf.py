"""gunicorn's settings for a Darman node (the systemd unit passes --bind)."""

import os
from pathlib import Path

workers = int(os.environ.get("DARMAN_GUNICORN_WORKERS", "2"))
# gunicorn's access log would carry each path and query, which can hold a national code; the app
# writes its own JSON line per request (server/ops/request_log.py).
accesslog = None
errorlog = "-"
graceful_timeout = 20
keepalive = 30  # nginx keeps its upstream connections open
forwarded_allow_ips = "127.0.0.1"


def on_starting(server) -> None:
    """Empty the metrics folder: counts of processes from an earlier run must not add up."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    """A worker process ended: its live gauges go, its counts stay."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
