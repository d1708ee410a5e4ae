"""`GET /metrics`: requests by route and status with latency, inquiries by channel and result,
SMS sent and failed, and what waits in the outbox."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from families import INSURED, INSURED_MOBILE, UNKNOWN
from scrape import samples, value
from sqlalchemy import select

from server import clock
from server.extensions import db
from server.models import OutboxEvent, Person

ROOT = Path(__file__).resolve().parents[2]


def test_requests_are_counted_by_route_pattern_and_status(client):
    before = samples(client)
    client.get("/api/ping")
    client.get("/api/ping")
    client.get("/api/nothing/here")
    after = samples(client)
    ping = {"route": "/api/ping", "method": "GET", "status": "200"}
    growth = value(after, "darman_http_requests_total", **ping) - value(
        before, "darman_http_requests_total", **ping
    )
    assert growth == 2
    missing = {"route": "unmatched", "method": "GET", "status": "404"}
    assert value(after, "darman_http_requests_total", **missing) >= 1
    latency = {"route": "/api/ping", "method": "GET"}
    assert value(after, "darman_http_request_duration_seconds_count", **latency) >= 2
    assert value(after, "darman_http_request_duration_seconds_bucket", le="+Inf", **latency) >= 2


def test_inquiries_are_counted_by_channel_and_result(client, family, token):
    def ask(national_code):
        answer = client.post(
            "/api/provider/eligibility",
            json={"national_code": national_code},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200, answer.get_json()

    before = samples(client)
    ask(INSURED)
    ask(INSURED)
    ask(UNKNOWN)
    after = samples(client)

    def grew(result):
        name, labels = "darman_inquiries_total", {"channel": "provider", "result": result}
        return value(after, name, **labels) - value(before, name, **labels)

    assert (grew("covered"), grew("unknown"), grew("not_covered")) == (2, 1, 0)


def test_sms_sent_and_failed_are_counted(app, client, citizen, family, monkeypatch):
    before = samples(client)
    assert citizen.start(INSURED, INSURED_MOBILE).status_code == 200
    for name, setting in (
        ("DARMAN_SMS_BACKEND", "kavenegar"),
        ("DARMAN_KAVENEGAR_API_KEY", "k"),
        ("DARMAN_KAVENEGAR_TEMPLATE", "t"),
        ("DARMAN_KAVENEGAR_URL", "http://127.0.0.1:9"),  # nobody listens: not delivered
    ):
        monkeypatch.setitem(app.config, name, setting)
    failed = citizen.start("0023456787", "09127654321")
    assert failed.status_code == 503
    after = samples(client)
    for result, expected in (("sent", 1), ("failed", 1)):
        labels = {"kind": "code", "result": result}
        grew = value(after, "darman_sms_total", **labels) - value(
            before, "darman_sms_total", **labels
        )
        assert grew == expected, result


def test_the_outbox_gauges_show_what_waits_and_for_how_long(app, client, family):
    assert value(samples(client), "darman_outbox_waiting") == 0
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        an_hour_ago = clock.now().replace(microsecond=0) - timedelta(hours=1)
        for created_at in (an_hour_ago, clock.now()):
            db.session.add(
                OutboxEvent(kind="coverage_lost", person_id=person_id, created_at=created_at)
            )
        db.session.commit()
    found = samples(client)
    assert value(found, "darman_outbox_waiting") == 2
    assert 3600 <= value(found, "darman_outbox_oldest_age_seconds") < 3700
    assert value(found, "darman_push_waiting") == 0
    assert value(found, "darman_sms_waiting") == 0  # notice SMS (the SMS fallback's outbox)


SCRIPT = """
import sys
from server import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x"})
client = app.test_client()
for _ in range(int(sys.argv[2])):
    assert client.get("/api/ping").status_code == 200
if len(sys.argv) > 3:
    print(client.get("/metrics").get_data(as_text=True))
"""


def test_processes_add_up_in_multiprocess_mode(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    url = f"sqlite:///{tmp_path}/m.db"

    def run(*args):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, url, *args],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    run("3")
    run("4")
    text = run("0", "scrape")
    line = next(
        line
        for line in text.splitlines()
        if line.startswith("darman_http_requests_total{") and '"/api/ping"' in line
    )
    assert float(line.rsplit(" ", 1)[1]) == 7
    assert "darman_outbox_waiting" not in text  # no schema there: the counts still went out
