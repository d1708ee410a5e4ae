"""Notices that reach everyone: the SMS a notice gets when no push got through in time, through
the Kavenegar backend (a local fake of its HTTP API), on both databases.

By time (a push never confirmed within DARMAN_SMS_FALLBACK_MINUTES), at once without a
subscription, never after a confirmed push; each choice in settings; the daily cap and the
summary; retries without duplicates; two workers racing; no health detail in the text.
"""

import threading
import time
from datetime import date, timedelta

import pytest
from families import INSURED, INSURED_MOBILE, SON
from inboxes import inbox
from kavenegar_fake import KavenegarFake
from sqlalchemy import func, or_, select
from visits import make_visit

from server import clock as server_clock
from server.auth.sms import KavenegarBackend
from server.extensions import db
from server.models import OutboxEvent, Person, SmsNotice
from server.notify.fanout import fan_out_batch
from server.notify.sms_fallback import deliver_due

KEY = "sms-fallback-test-key"


@pytest.fixture
def kavenegar():
    """A running fake of Kavenegar's HTTP API on 127.0.0.1."""
    with KavenegarFake({KEY}, {"darman-code"}) as fake:
        yield fake


@pytest.fixture
def worker(app, runner, kavenegar):
    """`flask darman worker --once` with the `kavenegar` backend pointed at the fake (sign-in
    codes still go to the tests' SMS file, where the citizen clients read them)."""
    settings = {
        "DARMAN_SMS_BACKEND": "kavenegar",
        "DARMAN_KAVENEGAR_API_KEY": KEY,
        "DARMAN_KAVENEGAR_TEMPLATE": "darman-code",
        "DARMAN_KAVENEGAR_URL": kavenegar.base_url,
    }

    def run_once() -> str:
        kept = {name: app.config.get(name) for name in settings}
        app.config.update(settings)
        try:
            result = runner.invoke(args=["darman", "worker", "--once"])
        finally:
            app.config.update(kept)
        assert result.exit_code == 0, result.output
        return result.output

    return run_once


@pytest.fixture
def setting(app):
    """Change a DARMAN_* setting for one test."""
    kept = {}

    def change(name: str, value) -> None:
        kept.setdefault(name, app.config[name])
        app.config[name] = value

    yield change
    app.config.update(kept)


def tell_ended(app, national_code: str = INSURED, day: int = 21) -> None:
    """An outbox row: the person's cover ran out on `day` Aban (a distinct notice per day)."""
    with app.app_context():
        person_id = db.session.scalar(
            select(Person.id).where(Person.national_code == national_code)
        )
        until = date(2026, 11, day).isoformat()
        db.session.add(
            OutboxEvent(
                kind="coverage_ended",
                person_id=person_id,
                new={"valid_until": until},
                created_at=server_clock.now(),
            )
        )
        db.session.commit()


def texts(fake: KavenegarFake) -> list[str]:
    """The notice SMS the fake was asked to send (sms/send), to Ali's mobile."""
    assert {sent.receptor for sent in fake.sent} <= {INSURED_MOBILE}
    assert {sent.key for sent in fake.sent} == ({KEY} if fake.sent else set())
    return [sent.message for sent in fake.sent]


def statuses(app) -> list[str]:
    """Every SMS row's status, oldest first."""
    with app.app_context():
        return db.session.scalars(select(SmsNotice.status).order_by(SmsNotice.id)).all()


def test_without_a_subscription_the_sms_goes_at_once(app, ali, kavenegar, worker):
    tell_ended(app)
    assert "1 notice SMS sent" in worker()
    assert texts(kavenegar) == [
        "درمان من: حمایت درمانی شما در ۳۰ آبان ۱۴۰۵ پایان یافت. علت را در برنامهٔ درمان من "
        "ببینید یا با ۱۴۲۰ تماس بگیرید."
    ]
    worker()
    assert len(kavenegar.sent) == 1  # never twice
    assert statuses(app) == ["sent"]


def test_a_push_never_confirmed_in_time_falls_back_to_sms(
    app, family, subscribe, push_service, kavenegar, worker, clock, setting
):
    phone = subscribe(INSURED, INSURED_MOBILE)
    push_service.answer(phone, *[503] * 20)  # the push service fails: the push keeps retrying
    setting("DARMAN_SMS_FALLBACK_MINUTES", 60)
    tell_ended(app)
    worker()
    assert kavenegar.sent == [] and statuses(app) == ["pending"]  # the window is still open
    clock.move(minutes=59)
    worker()
    assert kavenegar.sent == []
    clock.move(minutes=2)
    worker()
    assert len(texts(kavenegar)) == 1 and statuses(app) == ["sent"]


def test_a_push_confirmed_in_time_means_no_sms(
    app, family, subscribe, push_service, kavenegar, worker, clock
):
    phone = subscribe(INSURED, INSURED_MOBILE)
    tell_ended(app)
    worker()
    assert [p["kind"] for p in push_service.payloads(phone)][-1] == "coverage_ended"
    clock.move(minutes=61)
    worker()
    assert kavenegar.sent == [] and statuses(app) == ["skipped"]


def test_a_push_confirmed_after_the_window_does_not_count(
    app, family, subscribe, push_service, kavenegar, worker, clock
):
    phone = subscribe(INSURED, INSURED_MOBILE)
    push_service.answer(phone, 503)
    tell_ended(app)
    worker()
    assert kavenegar.sent == []
    clock.move(minutes=90)
    worker()  # the retried push goes through now, an hour and a half late …
    assert [p["kind"] for p in push_service.payloads(phone)][-1] == "coverage_ended"
    assert len(texts(kavenegar)) == 1  # … so the SMS goes as well


@pytest.mark.parametrize(
    ("choice", "subscribed", "sms_at_once", "sms_after_an_hour"),
    [
        ("push_only", False, 0, 0),
        ("push_only", True, 0, 0),
        ("push_then_sms", False, 1, 1),
        ("push_then_sms", True, 0, 0),  # the push was confirmed in time
        ("sms_too", True, 1, 1),
        ("sms_too", False, 1, 1),
    ],
)
def test_each_choice_in_settings(
    app, family, citizen, subscribe, kavenegar, worker, clock, choice, subscribed,
    sms_at_once, sms_after_an_hour,
):  # fmt: skip
    browser = subscribe(INSURED, INSURED_MOBILE).client if subscribed else citizen
    if not subscribed:
        assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    changed = browser.client.put(
        "/api/notifications/settings",
        json={"sms": choice},
        headers={"X-CSRFToken": browser.csrf_token},
    )
    assert changed.status_code == 200 and changed.get_json()["sms"] == choice
    assert browser.get("/api/notifications/settings").get_json()["sms"] == choice
    tell_ended(app)
    worker()
    assert len(kavenegar.sent) == sms_at_once
    clock.move(minutes=61)
    worker()
    assert len(kavenegar.sent) == sms_after_an_hour


def test_the_default_choice_and_a_bad_one(app, ali):
    assert ali.get("/api/notifications/settings").get_json()["sms"] == "push_then_sms"
    answer = ali.client.put(
        "/api/notifications/settings",
        json={"sms": "pigeon"},
        headers={"X-CSRFToken": ali.csrf_token, "Accept-Language": "fa"},
    )
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": "unknown_sms_choice",
        "message": "لطفاً یکی را انتخاب کنید: فقط در برنامه، در برنامه و سپس پیامک، یا با پیامک هم.",
    }
    assert ali.get("/api/notifications/settings").get_json()["sms"] == "push_then_sms"


def test_three_a_day_and_the_rest_summarised_in_the_next(
    app, ali, kavenegar, worker, clock, today, setting
):
    setting("DARMAN_SMS_FALLBACK_PER_DAY", 3)
    for day in (16, 17, 18, 19, 20):
        tell_ended(app, day=day)
    worker()
    assert len(texts(kavenegar)) == 3
    assert statuses(app) == ["sent", "sent", "sent", "pending", "pending"]
    worker()
    assert len(kavenegar.sent) == 3  # still today: nothing more
    today("2026-11-23")
    clock.move(hours=25)
    worker()
    sent = texts(kavenegar)
    assert len(sent) == 4
    assert sent[3].startswith("درمان من: حمایت درمانی شما در ۲۸ آبان ۱۴۰۵ پایان یافت.")
    assert sent[3].endswith("\nو ۱ پیام دیگر در برنامه")
    assert statuses(app) == ["sent", "sent", "sent", "sent", "summarised"]
    worker()
    assert len(kavenegar.sent) == 4


def test_failures_are_retried_with_backoff_and_sent_once(app, ali, kavenegar, worker, clock):
    kavenegar.fail_next(418)  # credit ran out
    kavenegar.hang_next()  # then no answer within the timeout
    tell_ended(app)
    worker()
    assert statuses(app) == ["pending"]
    with app.app_context():
        row = db.session.scalars(select(SmsNotice)).one()
        assert row.attempts == 1 and "418" in row.last_error
    worker()
    assert len(kavenegar.sent) == 1  # the backoff: not again at once
    clock.move(hours=2)
    worker()  # the provider took it but never answered: tried again after the backoff
    clock.move(hours=2)
    worker()
    clock.move(hours=2)
    worker()
    assert statuses(app) == ["sent"]
    answered = [s for s in kavenegar.sent]
    assert len(answered) == 3  # refused, hung, sent: one SMS reached the phone
    clock.move(hours=2)
    worker()
    assert len(kavenegar.sent) == 3


def test_a_refused_number_fails_and_is_not_retried(app, ali, kavenegar, worker, clock):
    kavenegar.fail_next(411)
    tell_ended(app)
    worker()
    clock.move(hours=3)
    worker()
    assert len(kavenegar.sent) == 1 and statuses(app) == ["failed"]


CLINIC = "درمانگاه روان‌پزشکی امید"
DIAGNOSIS = "افسردگی اساسی"
DRUG = {"code": "D1001", "name": "آموکسی‌سیلین ۵۰۰ میلی‌گرم", "quantity": 3}


def test_no_health_detail_in_the_sms(app, client, ali, kavenegar, worker, make_provider, catalogue):
    doctor = make_provider(CLINIC, "doctor")
    body = {
        "national_code": INSURED,
        "written_on": "2026-11-22",
        "type": "drug",
        "diagnosis": DIAGNOSIS,
        "items": [DRUG],
    }
    make_visit(client, doctor, body)
    headers = {"Authorization": f"Bearer {doctor}"}
    written = client.post("/api/provider/prescriptions", json=body, headers=headers)
    assert written.status_code == 201, written.get_json()
    code = written.get_json()["code"]
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        read = {"member": CLINIC, "at": "2026-11-22T11:15:00+03:30"}
        objection = {"tracking_number": "1234567", "status": "answered"}
        for kind, new in (("record_read", read), ("objection_status", objection)):
            db.session.add(
                OutboxEvent(kind=kind, person_id=person_id, new=new, created_at=server_clock.now())
            )
        db.session.commit()
    worker()
    prescription, record, answer = texts(kavenegar)
    assert prescription == (
        f"درمان من: نسخه‌ای با کد {_persian(code)} به نام کد ملی شما ثبت شد. اگر شما نبوده‌اید، "
        "لطفاً با ۱۴۲۰ تماس بگیرید."
    )
    assert "۱ آذر ۱۴۰۵، ساعت ۱۱:۱۵" in record
    assert "۱۲۳۴۵۶۷" in answer and "پاسخ داده شد" in answer
    for text in (prescription, record, answer):
        for detail in ("روان", "امید", "آموکسی", "D1001", "افسردگی"):
            assert detail not in text


def _persian(digits: str) -> str:
    """Latin digits as Persian ones."""
    return digits.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_two_workers_racing_send_each_sms_once_and_keep_the_cap(app, ali, kavenegar, setting):
    notices, cap = 40, 30
    setting("DARMAN_SMS_FALLBACK_PER_DAY", cap)
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        db.session.add_all(
            OutboxEvent(
                kind="coverage_ended",
                person_id=person_id,
                new={"valid_until": (date(2025, 1, 1) + timedelta(days=n)).isoformat()},
                created_at=server_clock.now(),
            )
            for n in range(notices)
        )
        db.session.commit()
        assert fan_out_batch(1000) == notices
    kavenegar.delay = 0.01  # a provider that takes a moment, so that both workers get work
    done = []

    def work() -> None:
        """One worker: passes of 3 rows until none is due or in another worker's hands."""
        with app.app_context():
            backend = KavenegarBackend(KEY, "darman-code", base_url=kavenegar.base_url)
            while True:
                done.append(deliver_due(backend, 3).sent)
                if not _due_or_sending():
                    break
                time.sleep(0.005)
            db.session.remove()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(120)
    messages = texts(kavenegar)
    assert len(messages) == cap and len(set(messages)) == cap  # the cap, and no SMS twice
    assert sum(done) == cap
    assert sorted(statuses(app)) == ["pending"] * (notices - cap) + ["sent"] * cap
    with app.app_context():
        held = db.session.scalars(select(SmsNotice.held).where(SmsNotice.status == "pending"))
        assert set(held) == {True}


def _due_or_sending() -> int:
    """Rows due now or claimed (by either worker)."""
    now = server_clock.now()
    count = db.session.scalar(
        select(func.count())
        .select_from(SmsNotice)
        .where(
            or_(
                SmsNotice.status == "sending",
                (SmsNotice.status == "pending") & (SmsNotice.due_at <= now),
            )
        )
    )
    db.session.commit()
    return count


def test_a_dependants_cover_is_told_to_the_main_insured_by_name(app, ali, kavenegar, worker):
    tell_ended(app, national_code=SON)
    worker()
    (text,) = texts(kavenegar)
    assert text.startswith("درمان من: حمایت درمانی ") and "پایان یافت" in text


def test_only_a_new_reader_of_the_record_is_texted(
    app, client, ali, kavenegar, worker, make_provider, clock
):
    doctor = make_provider(CLINIC, "doctor")
    make_visit(client, doctor, {"national_code": INSURED})
    headers = {"Authorization": f"Bearer {doctor}"}
    for _ in range(2):  # the same centre reads twice: told twice in the app, once by SMS
        clock.move(minutes=5)
        read = client.get(f"/api/provider/patients/{INSURED}/records", headers=headers)
        assert read.status_code == 200, read.get_json()
        worker()
    assert [kind for kind, _, _ in inbox(app, INSURED)].count("record_read") == 2
    (text,) = texts(kavenegar)
    assert text.startswith("درمان من: پروندهٔ سلامت شما در ") and CLINIC not in text
    make_visit(client, make_provider("مطب دکتر احمدی", "doctor"), {"national_code": INSURED})
    other = make_provider("مطب دکتر رضایی", "doctor")
    make_visit(client, other, {"national_code": INSURED})
    read = client.get(
        f"/api/provider/patients/{INSURED}/records", headers={"Authorization": f"Bearer {other}"}
    )
    assert read.status_code == 200
    worker()
    assert len(texts(kavenegar)) == 2  # someone new


@pytest.mark.parametrize(
    ("status", "said"), [("accepted", "پذیرفته شد"), ("refused", "پذیرفته نشد"), ("pending", None)]
)
def test_a_decided_document_is_texted_with_its_number_alone(
    app, ali, kavenegar, worker, status, said
):
    with app.app_context():
        person_id = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        decided = {"submission_id": 1, "tracking_number": "7654321", "status": status}
        db.session.add(
            OutboxEvent(
                kind="document_status", person_id=person_id, new=decided,
                created_at=server_clock.now(),
            )
        )  # fmt: skip
        db.session.commit()
    worker()
    if said is None:  # a document only received: nothing worth a text
        assert texts(kavenegar) == []
        return
    [text] = texts(kavenegar)
    assert "۷۶۵۴۳۲۱" in text and said in text
    assert "دانشجو" not in text  # the document's kind is not said
