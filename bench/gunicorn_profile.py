"""gunicorn settings for `inquiry.py --profile`: cProfile each worker, dump it when it exits."""

import cProfile
import os
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"
_profiles: dict[int, cProfile.Profile] = {}


def post_fork(server, worker):
    """Start profiling in the new worker."""
    profile = cProfile.Profile()
    _profiles[os.getpid()] = profile
    profile.enable()


def worker_exit(server, worker):
    """Stop profiling and write bench/.data/worker-<pid>.prof."""
    profile = _profiles.pop(os.getpid(), None)
    if profile is not None:
        profile.disable()
        profile.dump_stats(DATA / f"worker-{os.getpid()}.prof")
