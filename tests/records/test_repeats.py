"""A repeat prescription: monthly parts, each served from its day (the app's clock decides);
more than 6 parts only for a person on the special-patients list; cancelling stops the rest;
the patient sees the next part's day and is reminded a few days before."""

from families import INSURED
from prescribing import METFORMIN, bearer, prescription_body
from sqlalchemy import select

from server.extensions import db
from server.models import ClaimLine, OutboxEvent

PART_2 = "2026-12-22"  # 1 Dey 1405: a Jalali month after 1 Azar 1405 (the suite's today)
PART_3 = "2027-01-21"  # 1 Bahman 1405


def repeat_body(parts: int = 6) -> dict:
    """Ali's metformin, 60 a month, in `parts` monthly parts."""
    return prescription_body(items=[METFORMIN], parts=parts)


def covered_for_months(registry) -> None:
    """Ali's contributions for Azar and Dey too: covered while the parts fall due."""
    registry.write(
        "contributions.csv",
        "national_code,jalali_year,jalali_month,days,workshop_code",
        f"{INSURED},1405,9,30,W1",
        f"{INSURED},1405,10,30,W1",
        f"{INSURED},1405,11,30,W1",
    )
    assert registry.load().exit_code == 0


def test_parts_are_written_with_their_days(app, family, doctor, write):
    answer = write(doctor, repeat_body(6))
    assert answer.status_code == 201, answer.get_json()
    written = answer.get_json()
    assert written["parts"] == 6
    assert written["part_dates"][:3] == ["2026-11-22", PART_2, PART_3]
    assert written["expires_on"] == "2027-06-20"  # 60 days after the sixth part's day


def last_sms_text(app) -> str:
    """The text of the last SMS the file backend wrote."""
    import json

    path = app.config["DARMAN_SMS_BACKEND"].removeprefix("file:")
    with open(path, encoding="utf-8") as stream:
        return json.loads(stream.read().splitlines()[-1])["text"]


def test_the_patient_is_texted_the_parts_and_the_next_parts_day(app, family, doctor, write):
    assert write(doctor, repeat_body(3)).status_code == 201
    text = last_sms_text(app)
    assert "در ۳ بخش ماهانه" in text  # three monthly parts
    assert "بخش بعدی از ۱ دی ۱۴۰۵" in text  # PART_2, in Jalali
    assert "آخرین بخش تا" in text


def test_each_part_is_served_from_its_day(
    app, family, registry, doctor, pharmacy, write, dispense, monkeypatch
):
    covered_for_months(registry)
    code = write(doctor, repeat_body(6)).get_json()["code"]
    first = dispense(pharmacy, code, {"D1002": 60})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["items"][0]["remaining"] == 300
    early = dispense(pharmacy, code, {"D1002": 60}, **{"Accept-Language": "fa"})
    assert early.status_code == 409
    refusal = early.get_json()
    assert (refusal["error"], refusal["due_on"], refusal["item"]) == ("not_due", PART_2, "D1002")
    assert "۱ دی ۱۴۰۵" in refusal["message"]
    monkeypatch.setitem(app.config, "DARMAN_TODAY", PART_2)
    second = dispense(pharmacy, code, {"D1002": 60})
    assert second.status_code == 200, second.get_json()
    assert dispense(pharmacy, code, {"D1002": 1}).get_json()["error"] == "not_due"
    with app.app_context():  # each part served is a claim line, as any delivery
        lines = db.session.scalars(select(ClaimLine.quantity).order_by(ClaimLine.id)).all()
    assert [quantity for quantity in lines if quantity == 60] == [60, 60]


def test_a_part_not_served_in_its_month_can_be_had_later(
    app, family, registry, doctor, pharmacy, write, dispense, monkeypatch
):
    covered_for_months(registry)
    code = write(doctor, repeat_body(3)).get_json()["code"]
    monkeypatch.setitem(app.config, "DARMAN_TODAY", PART_2)
    assert dispense(pharmacy, code, {"D1002": 120}).status_code == 200  # parts 1 and 2
    assert dispense(pharmacy, code, {"D1002": 1}).get_json()["due_on"] == PART_3


def test_more_than_six_parts_is_refused_for_others(app, family, doctor, write, counts):
    before = counts()["prescriptions"]
    answer = write(doctor, repeat_body(7), **{"Accept-Language": "fa"})
    assert (answer.status_code, answer.get_json()["error"]) == (400, "too_many_parts")
    assert "۶" in answer.get_json()["message"]
    assert counts()["prescriptions"] == before


def test_out_of_range_parts_are_refused(app, family, doctor, write):
    for parts in (0, 13, "3"):
        answer = write(doctor, repeat_body(parts))
        assert (answer.status_code, answer.get_json()["error"]) == (400, "invalid_parts")


def special_until(registry, last_day: str) -> None:
    """Ali on the special-patients list (diabetes) from 1 January 2026 to `last_day`."""
    registry.write(
        "special_patients.csv",
        "national_code,condition,valid_from,valid_until",
        f"{INSURED},diabetes,2026-01-01,{last_day}",
    )
    assert registry.load().exit_code == 0


def test_a_special_patient_on_the_day_may_get_twelve(app, family, registry, doctor, write):
    special_until(registry, "2026-11-22")
    assert write(doctor, repeat_body(12)).status_code == 201
    assert write(doctor, repeat_body(13)).get_json()["error"] == "invalid_parts"


def test_a_special_patient_whose_entry_ended_may_not(app, family, registry, doctor, write):
    special_until(registry, "2026-11-21")
    assert write(doctor, repeat_body(12)).get_json()["error"] == "too_many_parts"


def test_the_patient_sees_the_next_parts_day(app, family, doctor, pharmacy, write, dispense, ali):
    written = write(doctor, repeat_body(6)).get_json()
    dispense(pharmacy, written["code"], {"D1002": 60})
    record = ali.get(f"/api/records/{written['id']}").get_json()
    assert (record["parts"], record["parts_due"], record["next_part_on"]) == (6, 1, PART_2)
    assert record["next_part_on_jalali"] == "۱ دی ۱۴۰۵"
    assert "۱ دی ۱۴۰۵" in record["items"][0]["status_text"]  # not «the rest by the last day»


def test_cancelling_stops_the_remaining_parts(
    app, client, family, registry, doctor, pharmacy, write, dispense, monkeypatch
):
    covered_for_months(registry)
    code = write(doctor, repeat_body(6)).get_json()["code"]
    assert dispense(pharmacy, code, {"D1002": 60}).status_code == 200
    url = f"/api/provider/prescriptions/{code}/cancel"
    body = {"reason": "قطع درمان", "items": ["D1002"]}
    answer = client.post(url, json=body, headers=bearer(doctor))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["status"] == "cancelled"
    monkeypatch.setitem(app.config, "DARMAN_TODAY", PART_2)
    assert dispense(pharmacy, code, {"D1002": 60}).get_json()["error"] == "cancelled"


def reminders(app) -> list[dict]:
    """The outbox's repeat reminders."""
    with app.app_context():
        rows = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "repeat_due"))
        return [row.new for row in rows]


def daily(app, runner, monkeypatch, day: str) -> None:
    """Run the daily job as on `day`."""
    monkeypatch.setitem(app.config, "DARMAN_TODAY", day)
    result = runner.invoke(args=["darman", "daily"])
    assert result.exit_code == 0, result.output


def test_the_daily_job_reminds_a_few_days_before_each_part_once(
    app, family, runner, doctor, write, monkeypatch
):
    written = write(doctor, repeat_body(3)).get_json()
    for day in ("2026-12-18", "2026-12-19", "2026-12-20"):
        daily(app, runner, monkeypatch, day)
    assert reminders(app) == [
        {"prescription_id": written["id"], "part": 2, "date": PART_2},
    ]


def test_a_cancelled_repeat_is_not_reminded(
    app, client, family, runner, doctor, write, monkeypatch
):
    written = write(doctor, repeat_body(3)).get_json()
    url = f"/api/provider/prescriptions/{written['code']}/cancel"
    assert client.post(url, json={"reason": "قطع"}, headers=bearer(doctor)).status_code == 200
    daily(app, runner, monkeypatch, "2026-12-20")
    assert reminders(app) == []


def test_before_part_one_the_patient_reads_that_a_month_can_be_had_now(
    app, family, doctor, write, ali
):
    written = write(doctor, repeat_body(6)).get_json()
    record = ali.get(f"/api/records/{written['id']}", headers={"Accept-Language": "fa"}).get_json()
    sentence = record["items"][0]["status_text"]
    assert "۶۰ عدد را هم‌اکنون" in sentence and "۱ دی ۱۴۰۵" in sentence
