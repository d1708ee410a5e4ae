"""Each kind of notice, from a real import (or the daily job) through the worker to the local
push service and the inbox, in Persian (English for those who chose it).

The Rezaei family (tests/families.py) on 1 Azar 1405: Ali's contributions for Mehr and Aban
cover him, his wife Zahra, Sara and his father Hossein to 30 Azar 1405; Zahra's son was born
on 21 Aban 1405.
"""

import pytest
from families import FATHER, INSURED, INSURED_MOBILE, WIFE, WIFE_MOBILE
from inboxes import inbox, pending_outbox
from sqlalchemy import select, update

from server import clock
from server.extensions import db
from server.models import Account, OutboxEvent, Person

CONTRIBUTIONS = "national_code,jalali_year,jalali_month,days,workshop_code"


def pay(registry, month: int, days: int) -> None:
    """Import Ali's contribution days for a month of 1405."""
    registry.clear()
    registry.write("contributions.csv", CONTRIBUTIONS, f"{INSURED},1405,{month},{days},W1")
    result = registry.load()
    assert result.exit_code == 0, result.output


def daily(runner) -> str:
    """Run `flask darman daily`."""
    result = runner.invoke(args=["darman", "daily"])
    assert result.exit_code == 0, result.output
    return result.output


def family_notices(app, kind: str) -> list[tuple[str, str, str]]:
    """Ali's notices of one kind."""
    return [notice for notice in inbox(app, INSURED) if notice[0] == kind]


@pytest.fixture
def both(family, subscribe):
    """Ali's and Zahra's phones, subscribed."""
    return subscribe(INSURED, INSURED_MOBILE), subscribe(WIFE, WIFE_MOBILE)


def test_a_month_that_ends_cover_reaches_phone_and_inbox_once(
    app, both, registry, worker, push_service
):
    ali_phone, zahra_phone = both
    pay(registry, 8, 0)  # Aban's days corrected to none: cover ended with Aban
    worker()
    lost = ("coverage_lost", "حمایت درمانی شما از ۳۰ آبان ۱۴۰۵ پایان یافته است.", "/#/home")
    assert inbox(app, INSURED)[0] == lost
    assert inbox(app, WIFE) == [lost]
    (push,) = [p for p in push_service.payloads(ali_phone) if p["kind"] == "coverage_lost"]
    assert push["title"] == "حمایت درمانی ندارد"
    assert push["body"] == lost[1] and push["url"] == "/#/home"
    receipt = next(r for r in push_service.receipts if r.payload == push)
    assert (receipt.urgency, receipt.ttl) == ("high", 3 * 24 * 3600)

    worker()  # nothing more is due: the notice came once
    assert len(push_service.payloads(ali_phone)) == 4  # his own, and Zahra's, Sara's, Hossein's
    assert pending_outbox(app) == 0


def test_a_dependants_loss_goes_to_the_main_insured_by_name(app, both, registry, worker):
    pay(registry, 8, 0)
    worker()
    assert family_notices(app, "dependant_lost") == [
        ("dependant_lost", f"حمایت درمانی {name} از ۳۰ آبان ۱۴۰۵ پایان یافته است.", "/#/family")
        for name in ("زهرا رضایی", "سارا رضایی", "حسین رضایی")
    ]


def test_cover_gained(app, both, registry, worker, push_service):
    pay(registry, 8, 0)
    worker()
    pay(registry, 8, 30)
    worker()
    gained = ("coverage_gained", "حمایت درمانی شما برقرار شد؛ اعتبار تا ۳۰ آذر ۱۴۰۵.", "/#/home")
    assert family_notices(app, "coverage_gained") == [gained]
    assert inbox(app, WIFE)[-1] == gained
    assert family_notices(app, "dependant_gained")[0][1] == (
        "حمایت درمانی زهرا رضایی برقرار شد؛ اعتبار تا ۳۰ آذر ۱۴۰۵."
    )


def test_expiry_moved_later_and_earlier(app, both, registry, worker, push_service):
    ali_phone, _ = both
    pay(registry, 9, 30)  # Azar paid: cover runs to the end of Dey
    worker()
    assert family_notices(app, "expiry_later") == [
        ("expiry_later", "اعتبار استحقاق درمان شما تا ۳۰ دی ۱۴۰۵ تمدید شد.", "/#/home")
    ]
    assert family_notices(app, "dependant_expiry_later")[2][1] == (
        "اعتبار استحقاق درمان حسین رضایی تا ۳۰ دی ۱۴۰۵ تمدید شد."
    )
    later = next(r for r in push_service.receipts if r.payload["kind"] == "expiry_later")
    assert later.urgency == "normal"

    pay(registry, 9, 0)  # corrected: back to the end of Azar
    worker()
    assert family_notices(app, "expiry_earlier") == [
        (
            "expiry_earlier",
            "اعتبار استحقاق درمان شما زودتر از پیش، در ۳۰ آذر ۱۴۰۵، به پایان می‌رسد.",
            "/#/home",
        )
    ]
    assert inbox(app, WIFE)[-1][0] == "expiry_earlier"
    assert {p["kind"] for p in push_service.payloads(ali_phone)} == {
        "expiry_later",
        "dependant_expiry_later",
        "expiry_earlier",
        "dependant_expiry_earlier",
    }


def test_cover_ending_within_7_days(app, both, runner, worker, today, push_service):
    today("2026-12-15")  # 24 Azar: 7 days left, today included
    assert "4 reminders" in daily(runner)
    worker()
    assert family_notices(app, "coverage_ending") == [
        (
            "coverage_ending",
            "اعتبار استحقاق درمان شما ۷ روز دیگر، در ۳۰ آذر ۱۴۰۵، به پایان می‌رسد.",
            "/#/home",
        )
    ]
    assert family_notices(app, "dependant_ending")[0][1] == (
        "اعتبار استحقاق درمان زهرا رضایی ۷ روز دیگر، در ۳۰ آذر ۱۴۰۵، به پایان می‌رسد."
    )
    assert "0 reminders" in daily(runner)  # once per last day, however often the job runs
    today("2026-12-16")
    assert "0 reminders" in daily(runner)


def test_cover_ended_today_comes_once(app, both, runner, worker, today):
    today("2026-12-22")  # 1 Dey: Azar's last day has passed
    assert "4 reminders" in daily(runner)
    worker()
    ended = ("coverage_ended", "حمایت درمانی شما از ۳۰ آذر ۱۴۰۵ پایان یافته است.", "/#/home")
    assert family_notices(app, "coverage_ended") == [ended]  # the reminder and the change: one
    assert inbox(app, WIFE) == [ended]
    assert [n[1] for n in family_notices(app, "dependant_ended")] == [
        f"حمایت درمانی {name} از ۳۰ آذر ۱۴۰۵ پایان یافته است."
        for name in ("زهرا رضایی", "سارا رضایی", "حسین رضایی")
    ]
    with app.app_context():
        kinds = db.session.scalars(select(OutboxEvent.kind).where(OutboxEvent.status == "done"))
        assert sorted(set(kinds)) == ["coverage_changed", "coverage_ended"]


def test_a_newborns_cover_ending(app, both, runner, worker, today):
    today("2026-12-05")  # the son born on 21 Aban is covered under Zahra's code to 20 Azar
    assert "1 reminders" in daily(runner)
    worker()
    body = (
        "حمایت درمانی نوزاد شما با کد ملی مادر در ۲۰ آذر ۱۴۰۵ به پایان می‌رسد. برای ادامهٔ آن، "
        "نوزاد را با کد ملی خودش به‌عنوان فرد تحت تکفل ثبت کنید."
    )
    assert inbox(app, WIFE) == [("newborn_ending", body, "/#/notices")]  # she has no family tab
    assert inbox(app, INSURED) == [("newborn_ending", body, "/#/family")]


def put_in_outbox(app, national_code: str, kind: str, new: dict) -> None:
    """An outbox row as the health record's code writes it."""
    with app.app_context():
        person_id = db.session.scalar(
            select(Person.id).where(Person.national_code == national_code)
        )
        db.session.add(OutboxEvent(kind=kind, person_id=person_id, new=new, created_at=clock.now()))
        db.session.commit()


def test_a_prescription_and_a_read_of_my_record(app, both, worker, push_service):
    ali_phone, _ = both
    at = "2026-11-22T10:00:00+03:30"
    put_in_outbox(
        app,
        INSURED,
        "prescription_written",
        {"prescription_id": 42, "center": "مطب دکتر احمدی", "at": at},
    )
    read = {"center": "داروخانهٔ شفا", "kind": "pharmacy", "at": at, "what": "open_prescriptions"}
    put_in_outbox(app, INSURED, "record_read", read)
    worker()
    assert inbox(app, INSURED) == [
        (
            "prescription_written",
            "نسخه‌ای به نام شما در مطب دکتر احمدی ثبت شد. اگر شما نبودید، با ۱۴۲۰ تماس بگیرید.",
            "/#/records/42",
        ),
        (
            "record_read",
            # who, when and what, calmly (an ordinary visit); only then what to do if not
            "داروخانهٔ شفا در ۱ آذر ۱۴۰۵، ساعت ۱۰:۰۰ نسخه‌های تحویل‌نشدهٔ شما را جست‌وجو کرد؛ "
            "این کار هنگام تحویل دارو انجام می‌شود. اگر به آنجا مراجعه نکرده‌اید، با ۱۴۲۰ "
            "تماس بگیرید.",
            "/#/records/access-log",
        ),
    ]
    urgencies = {r.payload["kind"]: r.urgency for r in push_service.receipts}
    assert urgencies == {"prescription_written": "high", "record_read": "normal"}
    assert inbox(app, WIFE) == []  # nobody else is told


def test_a_cancelled_prescription_and_a_repeats_next_part(app, both, worker, push_service):
    at = "2026-11-22T10:00:00+03:30"
    cancelled = {"prescription_id": 42, "center": "مطب دکتر احمدی", "at": at}
    put_in_outbox(app, INSURED, "prescription_cancelled", cancelled)
    due = {"prescription_id": 43, "part": 2, "date": "2026-12-22"}
    put_in_outbox(app, INSURED, "repeat_due", due)
    worker()
    assert inbox(app, INSURED) == [
        (
            "prescription_cancelled",
            "نسخه‌ای که در مطب دکتر احمدی برای شما نوشته شده بود را پزشک لغو کرد و دیگر دریافت "
            "نمی‌شود. دلیل آن در پروندهٔ شما آمده است.",
            "/#/records/42",
        ),
        (
            "repeat_due",
            "نوبت ۲ نسخهٔ تکراری شما از ۱ دی ۱۴۰۵ در هر داروخانه‌ای قابل دریافت است.",
            "/#/records/43",
        ),
    ]
    assert inbox(app, WIFE) == []  # nobody else is told


def test_english_for_those_who_chose_it(app, both, registry, worker, push_service):
    ali_phone, _ = both
    with app.app_context():
        db.session.execute(
            update(Account)
            .where(
                Account.person_id
                == select(Person.id).where(Person.national_code == INSURED).scalar_subquery()
            )
            .values(locale="en")
        )
        db.session.commit()
    pay(registry, 8, 0)
    worker()
    assert inbox(app, INSURED)[:2] == [
        ("coverage_lost", "Your treatment cover ended on 30 Aban 1405.", "/#/home"),
        ("dependant_lost", "The treatment cover of زهرا رضایی ended on 30 Aban 1405.", "/#/family"),
    ]
    titles = {p["kind"]: p["title"] for p in push_service.payloads(ali_phone)}
    assert titles["coverage_lost"] == "Not covered for treatment"
    assert inbox(app, WIFE)[0][1] == "حمایت درمانی شما از ۳۰ آبان ۱۴۰۵ پایان یافته است."


def test_turning_a_kind_off_stops_it(app, both, registry, worker, push_service):
    ali_phone, zahra_phone = both
    ali = ali_phone.client
    answer = ali.client.put(
        "/api/notifications/settings",
        json={"kinds": [{"kind": "expiry_later", "enabled": False}]},
        headers={"X-CSRFToken": ali.csrf_token},
    )
    assert answer.status_code == 200
    pay(registry, 9, 30)
    worker()
    assert family_notices(app, "expiry_later") == []
    assert [p["kind"] for p in push_service.payloads(ali_phone)] == ["dependant_expiry_later"] * 3
    assert [p["kind"] for p in push_service.payloads(zahra_phone)] == ["expiry_later"]


def test_a_person_without_a_subscription_still_gets_the_inbox(
    app, family, citizen, registry, worker
):
    assert citizen.sign_in(FATHER, "09141111111").status_code == 200
    pay(registry, 8, 0)
    worker()
    assert inbox(app, FATHER) == [
        ("coverage_lost", "حمایت درمانی شما از ۳۰ آبان ۱۴۰۵ پایان یافته است.", "/#/home")
    ]
    listed = citizen.get("/api/notifications").get_json()
    assert listed["unread"] == 1
    assert listed["notifications"][0]["title"] == "حمایت درمانی ندارد"
