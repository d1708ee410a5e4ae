"""The database survives losing its machine. Under load through nginx (inquiries, prescriptions
and deliveries from several centres), the primary's node is killed with SIGKILL — its postmaster,
backends and keeper at once, as when its machine dies: pg_auto_failover promotes the synchronous
standby and the app nodes find it by themselves. Requests in the failover window wait for it, or
get 503 with Retry-After (never a 500, never a hang past the client's timeout); every request
after it is answered, and everything a 2xx answer acknowledged is on the new primary; the old
primary, its keeper restarted, rejoins as the standby. Then a planned switchover under the same
load loses nothing and answers no 5xx at all: the requests wait for the new primary, and a keyed
write whose commit the switchover cut is run again by the server, which finds it or writes it
once. (Runs after the journey and the edge checks, before an app node is stopped: conftest.py
orders it.)"""

import pytest
from conftest import FIGURES
from helpers import scrape
from load import CLIENT_TIMEOUT, WRITES, Load, centres, lost_inquiries, missing

ENOUGH = 20  # writes answered 2xx before and after each event


def writes_after(moment: float):
    """A readiness test: ENOUGH writes, started after `moment`, answered 2xx."""
    return lambda calls: sum(
        1 for c in calls if c.kind in WRITES and c.started > moment and 200 <= c.status < 300
    ) >= ENOUGH  # fmt: skip


@pytest.fixture(scope="module")
def load(stack):
    """The centres' load through nginx, stopped at the end."""
    running = Load(stack.url, str(stack.certificate), **centres(stack))
    yield running
    running.stop()


def on_primary(stack):
    """`sql(query)` on the node the monitor has as primary (not through the app)."""
    primary = stack.cluster.primary()
    return lambda query: stack.cluster.sql(primary, query)


def assert_every_answer_kept(load, stack) -> None:
    """Nothing a 2xx answer acknowledged is missing on the primary."""
    gone = missing(load.snapshot(), on_primary(stack))
    assert gone == {"prescriptions": [], "deliveries": [], "delivered_totals": []}


def test_the_primary_killed_under_load_fails_over_losing_nothing(stack, load):
    cluster = stack.cluster
    old = cluster.primary()
    load.start()
    load.wait_for(writes_after(0), "writes before the kill")

    killed = cluster.kill(old)
    load.wait_for(writes_after(killed), "writes after the kill")
    new = cluster.primary()
    assert new != old

    calls = load.snapshot()
    after = [c for c in calls if c.started > killed]
    first = min((c for c in after if c.kind in WRITES and 200 <= c.status < 300),
                key=lambda c: c.ended)  # fmt: skip
    window = first.ended - killed
    # never a 500, never a hang: every answer is a success or a 503 that says when to retry
    assert {c.status for c in calls} <= {200, 201, 503}, load.summary()
    refused = [c for c in calls if c.status == 503]
    assert all(c.retry_after and int(c.retry_after) > 0 for c in refused)
    assert all(c.ended - c.started < CLIENT_TIMEOUT for c in calls)
    assert all(c.body["error"] == "database_unavailable" for c in refused)
    # every request sent after the window is answered
    assert [c.status for c in after if c.started > first.ended and c.status == 503] == []

    load.stop()
    assert_every_answer_kept(load, stack)
    FIGURES.append(
        f"database failover (primary {old} killed, {new} promoted): window {window:.1f} s from "
        f"the kill to the first 2xx write; {len(refused)} answers 503 with Retry-After, 0 500; "
        f"{cut_and_found(calls)} commits cut and answered by the server's second run; "
        f"{len(calls)} requests, {sum(1 for c in calls if c.status < 300)} 2xx; inquiries "
        f"acknowledged but not on the new primary (asynchronous commit): "
        f"{lost_inquiries(calls, on_primary(stack))}"
    )

    # the old primary's keeper restarted: it rewinds and follows the new primary
    cluster.run(old)
    cluster.wait_for_states({old: "secondary", new: "primary"})
    synchronous = "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'quorum'"
    assert cluster.sql(new, synchronous) == "1"  # commits wait for the standby again
    assert stack.processes["worker"].poll() is None  # the push worker waited it out
    # and a node's /metrics shows it, with its lag
    seen = scrape(f"http://127.0.0.1:{stack.node_ports['a']}/metrics")
    assert seen[("darman_database_standbys", (("sync_state", "quorum"),))] == 1
    assert ("darman_database_replication_lag_bytes", (("standby", f"pgautofailover_standby_"
            f"{old[-1]}"),)) in seen  # fmt: skip


def test_a_planned_switchover_under_load_answers_no_5xx_and_loses_nothing(stack, load):
    cluster = stack.cluster
    old = cluster.primary()
    load.calls.clear()
    load.start()
    load.wait_for(writes_after(0), "writes before the switchover")

    cluster.switchover()
    new = cluster.primary()
    assert new != old
    switched = load.snapshot()[-1].ended
    load.wait_for(writes_after(switched), "writes after the switchover")
    load.stop()

    calls = load.snapshot()
    assert {c.status for c in calls} <= {200, 201}, load.summary()
    assert_every_answer_kept(load, stack)
    cluster.wait_for_states({old: "secondary", new: "primary"})
    FIGURES.append(
        f"planned switchover ({old} → {new}) under load: {len(calls)} requests, 0 5xx; the "
        f"longest answer {max(c.ended - c.started for c in calls):.1f} s; {cut_and_found(calls)} "
        f"commits cut by the switchover and answered by the server's second run"
    )


def cut_and_found(calls) -> int:
    """Writes whose commit the database's move cut and whose second run found it kept (each
    write has a fresh key: only the server's own second run replays one)."""
    return sum(1 for c in calls if c.replayed)
