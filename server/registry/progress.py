"""A progress bar for the operators' commands: rows done, rows/s and the time left, on stderr.

Shown only on a terminal, so that scripts and tests read stderr's `file:line: reason` alone.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(description: str, unit: str = "rows") -> Iterator[Callable[[int, int], None]]:
    """A callback `(done, total)` that moves a bar; the bar closes on exit."""
    bar = tqdm(desc=description, unit=f" {unit}", unit_scale=True, disable=None, leave=True)

    def update(done: int, total: int) -> None:
        """Move the bar to `done` of `total`."""
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
