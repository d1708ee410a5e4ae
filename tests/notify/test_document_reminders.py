"""Notices ahead of a rule's edge, written by `flask darman daily` and told to the main insured:
60 and 14 days before a son turns 19 or a daughter 18 without the document the rule needs, and
30 days before a student certificate or a disability document ends — once each.

On 1 Azar 1405 (2026-11-22): Reza turns 19 on 1 Bahman 1405 (60 days on), Maryam 18 on
11 Azar 1405 (10 days on), Neda 18 on the same day but her birth certificate was shown, and
Hamid's (21) student certificate ends on 21 Azar 1405 (2026-12-12).
"""

import pytest
from inboxes import inbox
from sqlalchemy import select

from server.extensions import db
from server.models import Notification, OutboxEvent

INSURED, MOBILE = "0012345679", "09121234567"
REZA, MARYAM, NEDA, HAMID = "0034567895", "0045678911", "0056789122", "0023456787"


@pytest.fixture
def edges(registry, citizen):
    """Ali's family, imported; Ali signed in once (he has an inbox)."""
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{INSURED},علی,رضایی,1980-05-10,M,{MOBILE},",
        f"{REZA},رضا,رضایی,2008-01-21,M,,",
        f"{MARYAM},مریم,رضایی,2008-12-01,F,,",
        f"{NEDA},ندا,رضایی,2008-12-01,F,,",
        f"{HAMID},حمید,رضایی,2005-01-15,M,,",
    )
    registry.write(
        "insured.csv",
        "national_code,insurance_number,kind,start_date,end_date",
        f"{INSURED},1234567890,worker,2025-01-01,",
    )
    registry.write(
        "dependants.csv",
        "insured_national_code,national_code,relation,start_date,end_date",
        *(f"{INSURED},{child},child,2005-01-01," for child in (REZA, MARYAM, NEDA, HAMID)),
    )
    registry.write(
        "contributions.csv",
        "national_code,jalali_year,jalali_month,days,workshop_code",
        f"{INSURED},1405,7,30,W1",
        f"{INSURED},1405,8,30,W1",
    )
    registry.write(
        "documents.csv",
        "national_code,kind,valid_from,valid_until",
        f"{NEDA},unmarried_verified,2026-01-01,",
        f"{HAMID},student_certificate,2025-09-23,2026-12-12",
    )
    result = registry.load()
    assert result.exit_code == 0, result.output + result.stderr
    assert citizen.sign_in(INSURED, MOBILE).status_code == 200


def daily(runner) -> str:
    """Run `flask darman daily`."""
    result = runner.invoke(args=["darman", "daily"])
    assert result.exit_code == 0, result.output
    return result.output


def edge_events(app) -> list[tuple[str, int]]:
    """(edge, ahead) of every document reminder in the outbox."""
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxEvent.new).where(OutboxEvent.kind == "document_reminder")
        )
        return sorted((new["edge"], new["ahead"]) for new in rows)


def reminders(app) -> list[str]:
    """The bodies of Ali's document reminders."""
    return [body for kind, body, url in inbox(app, INSURED) if kind == "document_reminder"]


def test_daily_writes_each_edge_notice_once(app, edges, runner):
    daily(runner)
    assert edge_events(app) == [("daughter_18", 14), ("son_19", 60), ("student_certificate", 30)]
    daily(runner)
    assert len(edge_events(app)) == 3  # once each


def test_daily_writes_reminders_a_short_transaction_at_a_time(app, edges, runner, monkeypatch):
    """Found without the write lock, written a batch per transaction (here one a batch), and
    none twice: the service keeps answering while a day's thousands are written."""
    from sqlalchemy import event

    from server.registry import daily as daily_job

    monkeypatch.setattr(daily_job, "REMINDER_BATCH", 1)
    pending, transactions = [], []  # reminders inserted since the last commit; per commit

    def inserted(connection, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO coverage_reminder"):
            pending.append(1)

    def committed(connection):
        if pending:
            transactions.append(len(pending))
            pending.clear()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", inserted)
    event.listen(engine, "commit", committed)
    try:
        daily(runner)
    finally:
        event.remove(engine, "before_cursor_execute", inserted)
        event.remove(engine, "commit", committed)
    assert len(edge_events(app)) == 3
    assert transactions == [1, 1, 1]  # each edge's reminder in a transaction of its own
    daily(runner)
    assert len(edge_events(app)) == 3  # once each


def test_the_main_insured_is_told_what_to_bring_and_where(app, edges, runner, worker):
    daily(runner)
    worker()
    bodies = reminders(app)
    assert len(bodies) == 3
    (son,) = [b for b in bodies if "رضا رضایی" in b]
    assert "۱ بهمن ۱۴۰۵" in son and "۱۹ سال تمام" in son and "گواهی تحصیلی" in son
    assert "شعب" in son and "۱۴۲۰" in son
    (daughter,) = [b for b in bodies if "مریم" in b]
    assert "۱۱ آذر ۱۴۰۵" in daughter and "اصل شناسنامه" in daughter
    (certificate,) = [b for b in bodies if "حمید" in b]
    assert "۲۱ آذر ۱۴۰۵" in certificate
    assert not [b for b in bodies if "ندا" in b]  # her certificate was shown: nothing to do
    urls = {url for kind, _, url in inbox(app, INSURED) if kind == "document_reminder"}
    assert urls == {"/#/family"}


def test_the_14_day_notice_comes_too_once(app, edges, runner, today):
    daily(runner)
    today("2027-01-08")  # 18 Dey 1405: Reza's birthday is 13 days away
    daily(runner)
    assert ("son_19", 14) in edge_events(app)
    daily(runner)
    assert edge_events(app).count(("son_19", 14)) == 1


def test_a_certificate_on_record_means_no_notice(app, edges, registry, runner):
    registry.clear()
    registry.write(
        "documents.csv",
        "national_code,kind,valid_from,valid_until",
        f"{REZA},student_certificate,2026-09-23,2027-09-22",
    )
    assert registry.load().exit_code == 0
    daily(runner)
    assert ("son_19", 60) not in edge_events(app)


def test_the_kind_can_be_turned_off(app, edges, citizen, runner, worker):
    kinds = citizen.get("/api/notifications/settings").get_json()["kinds"]
    assert "document_reminder" in {k["kind"] for k in kinds}
    answer = citizen.client.put(
        "/api/notifications/settings",
        json={"kinds": [{"kind": "document_reminder", "enabled": False}]},
        headers={"X-CSRFToken": citizen.csrf_token},
    )
    assert answer.status_code == 200, answer.get_json()
    daily(runner)
    worker()
    assert reminders(app) == []


def test_the_reminders_title_names_the_child_and_the_push_too(
    app, edges, runner, worker, push_service, subscribe
):
    phone = subscribe(INSURED, MOBILE)
    daily(runner)
    worker()
    with app.app_context():
        titles = db.session.scalars(
            select(Notification.title).where(Notification.kind == "document_reminder")
        ).all()
    assert sorted(titles) == ["خانوادهٔ شما: حمید رضایی", "خانوادهٔ شما: رضا رضایی",
                              "خانوادهٔ شما: مریم رضایی"]  # fmt: skip
    pushed = [p["title"] for p in push_service.payloads(phone) if p["kind"] == "document_reminder"]
    assert sorted(pushed) == sorted(titles)
