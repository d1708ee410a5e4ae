"""A node that stops is not noticed: nginx sends its requests to the other (runs last: the
journey and the edge checks need both nodes)."""

import signal

from helpers import curl


def test_with_node_b_stopped_every_request_is_still_answered(stack):
    node_b = stack.processes["node-b"]
    node_b.send_signal(signal.SIGTERM)
    node_b.wait(timeout=30)
    answers = [curl(stack, "/api/ping").status for _ in range(8)]
    assert answers == [200] * 8
    assert curl(stack, "/readyz").status == 200
