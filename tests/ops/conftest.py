"""What the ops tests share: the request log's lines, and a doctor's token."""

import json
import logging

import pytest


class Lines(logging.Handler):
    """Keeps every line the request logger writes."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the line as it would be written."""
        self.lines.append(record.getMessage())

    def parsed(self) -> list[dict]:
        """The lines as JSON."""
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def request_lines():
    """The request log's lines during the test."""
    logger = logging.getLogger("darman.requests")
    handler = Lines()
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def token(runner):
    """A doctor's token, made with the real command."""
    result = runner.invoke(args=["darman", "provider", "create", "دکتر احمدی", "--kind", "doctor"])
    assert result.exit_code == 0, result.output
    return result.output.strip()
