"""The month's review by SSO's claims staff: a deduction or a rejection with a reason, each
audited; the close, whose final payment is exact in rials (accepted SSO share on the days a
contract covered, minus the advances paid), texted to the centre; a closed month never changed,
two closings at once closing once; bad input refused with a Persian message, changing nothing;
other roles kept out."""

from datetime import UTC, date, datetime

import pytest
from families import INSURED, INSURED_MOBILE
from races import race
from sqlalchemy import func, select

from server.extensions import db
from server.models import ClaimLine, ClaimMonth, Contract, Person, Provider, StaffAudit

RAZI, OFFICE = "داروخانه رازی", "مطب دکتر احمدی"
ABAN = "/1405/8"  # 23 October to 21 November 2026; the suite's today is 1 Azar 1405
BEFORE, START, LATER = date(2026, 11, 14), date(2026, 11, 15), date(2026, 11, 20)


def add_line(app, provider_id: int, day: date, patient: int, sso: int) -> int:
    """One claim line of the centre on the day; its id."""
    with app.app_context():
        person = db.session.scalar(select(Person.id).where(Person.national_code == INSURED))
        line = ClaimLine(
            provider_id=provider_id, service_date=day, kind="drug", code="D1001", quantity=1,
            unit_price=patient + sso, price=patient + sso, patient_share=patient, sso_share=sso,
            rule="outpatient", person_id=person, tracking_code="123456789012",
            created_at=datetime.now(UTC), status="open", deducted=0,
        )  # fmt: skip
        db.session.add(line)
        db.session.commit()
        return line.id


def contract(app, provider_id: int, valid_from: date) -> None:
    """A contract of the centre from that day."""
    with app.app_context():
        db.session.add(
            Contract(provider_id=provider_id, valid_from=valid_from, made_at=datetime.now(UTC))
        )
        db.session.commit()


def settle(runner, *days: date) -> None:
    """`darman settle --date` for each day."""
    for day in days:
        result = runner.invoke(args=["darman", "settle", "--date", day.isoformat()])
        assert result.exit_code == 0, result.output


@pytest.fixture
def razi(app, runner, family) -> int:
    """Razi pharmacy (its admin the insured, for the SMS), contracted from 15 November — the
    middle of Aban; its id."""
    admin = ["--admin", f"{INSURED}:{INSURED_MOBILE}", "--admin-role", "pharmacist"]
    made = runner.invoke(args=["darman", "centre", "create", RAZI, "--kind", "pharmacy", *admin])
    assert made.exit_code == 0, made.output
    with app.app_context():
        centre_id = db.session.scalar(select(Provider.id).where(Provider.name == RAZI))
    contract(app, centre_id, START)
    return centre_id


@pytest.fixture
def lines(app, runner, razi) -> dict[str, int]:
    """Razi's Aban: a line the day before its contract, three after; every day settled."""
    made = {
        "before": add_line(app, razi, BEFORE, 300, 700),  # not payable: no contract that day
        "small": add_line(app, razi, START, 300, 701),
        "large": add_line(app, razi, START, 30_000, 70_000),
        "later": add_line(app, razi, LATER, 3, 7),
    }
    settle(runner, BEFORE, START, LATER)  # advances 0, 56 560 (of 70 701) and 5 (of 7)
    return made


def month_url(centre_id: int) -> str:
    """The month page of Razi's Aban."""
    return f"/staff/claims/centres/{centre_id}{ABAN}"


def line_state(app, line_id: int) -> tuple:
    """(status, deducted, reason) of a line."""
    with app.app_context():
        line = db.session.get(ClaimLine, line_id)
        return line.status, line.deducted, line.review_reason


def audited(app, action: str) -> list[StaffAudit]:
    """The audit rows of an action."""
    with app.app_context():
        return list(db.session.scalars(select(StaffAudit).where(StaffAudit.action == action)))


def the_month(app, centre_id: int) -> ClaimMonth | None:
    """Razi's Aban review row, if any."""
    with app.app_context():
        return db.session.scalar(select(ClaimMonth).where(ClaimMonth.provider_id == centre_id))


def review(staff, centre_id: int, line, reason: str, amount=None, reject: bool = False):
    """Post the review form: a deduction, or the rejection of the line."""
    data = {"line": str(line), "reason": reason, "amount": "" if amount is None else str(amount)}
    data["reject" if reject else "deduct"] = "1"
    return staff.post(f"{month_url(centre_id)}/review", data)


def test_a_deduction_and_a_rejection_make_the_final_payment_exact_and_the_centre_is_told(
    app, signed_in, razi, lines
):
    claims = signed_in("claims")
    page = claims.get(month_url(razi)).get_data(as_text=True)
    assert "آبان ۱۴۰۵" in page and "۵۶٬۵۶۵ ریال" in page  # the advances already paid
    deducted = review(claims, razi, lines["large"], "قیمت بیش از تعرفه", amount="۱۲٬۳۴۵")
    assert deducted.status_code == 303
    rejected = review(claims, razi, lines["later"], "نسخه بدون مهر", reject=True)
    assert rejected.status_code == 303
    assert line_state(app, lines["large"]) == ("reduced", 12_345, "قیمت بیش از تعرفه")
    assert line_state(app, lines["later"]) == ("rejected", 7, "نسخه بدون مهر")
    closed = claims.post(f"{month_url(razi)}/close")
    assert closed.status_code == 303
    row = the_month(app, razi)
    # accepted 701 + 70 000 − 12 345 + 0 (the day before the contract pays nothing) = 58 356;
    # advances 56 560 + 5 = 56 565; the final payment is the difference.
    assert (row.status, row.accepted, row.advances, row.payable) == (
        "closed", 58_356, 56_565, 1_791
    )  # fmt: skip
    assert line_state(app, lines["small"])[0] == "accepted"
    assert line_state(app, lines["before"])[0] == "open"  # not payable: never accepted
    [reduced], [rejection], [closing] = (
        audited(app, name)
        for name in ("claim_line_reduced", "claim_line_rejected", "claims_month_closed")
    )
    assert reduced.detail == {
        "month": "1405-08", "line": lines["large"], "amount": 12_345, "reason": "قیمت بیش از تعرفه"
    }  # fmt: skip
    assert rejection.subject == f"centre:{razi}" and rejection.detail["amount"] == 7
    assert closing.detail == {
        "month": "1405-08", "accepted": 58_356, "advances": 56_565, "payable": 1_791
    }  # fmt: skip
    sms = claims.last_sms()
    assert sms["to"] == INSURED_MOBILE
    assert "آبان ۱۴۰۵" in sms["text"] and "۱٬۷۹۱ ریال" in sms["text"]
    assert "۱۲٬۳۵۲ ریال" in sms["text"]  # deductions: 12 345 + 7


def test_advances_above_the_accepted_share_leave_the_centre_owing(app, signed_in, razi, lines):
    claims = signed_in("claims")
    assert review(claims, razi, lines["large"], "خدمت انجام نشده", reject=True).status_code == 303
    page = claims.get(month_url(razi)).get_data(as_text=True)
    assert "مرکز ۵۵٬۸۵۷ ریال بدهکار است" in page  # 701 + 7 accepted − 56 565 advanced
    assert claims.post(f"{month_url(razi)}/close", {}).status_code == 303
    assert the_month(app, razi).payable == -55_857
    assert "کسر خواهد شد" in claims.last_sms()["text"]


def test_a_contract_starting_mid_month_pays_only_the_days_it_covers(app, signed_in, razi, lines):
    claims = signed_in("claims")
    before = review(claims, razi, lines["before"], "—", amount=100)
    assert before.status_code == 400
    assert "قرارداد" in before.get_data(as_text=True)
    assert claims.post(f"{month_url(razi)}/close", {}).status_code == 303
    assert the_month(app, razi).accepted == 701 + 70_000 + 7  # the 700 of 14 November: none


def test_a_closed_month_cannot_be_changed(app, signed_in, razi, lines):
    claims = signed_in("claims")
    assert claims.post(f"{month_url(razi)}/close", {}).status_code == 303
    late = review(claims, razi, lines["large"], "دیر", amount=10)
    assert late.status_code == 409
    assert "بسته شده" in late.get_data(as_text=True)
    again = claims.post(f"{month_url(razi)}/close", {})
    assert again.status_code == 409
    assert line_state(app, lines["large"]) == ("accepted", 0, None)
    assert len(audited(app, "claims_month_closed")) == 1


def test_a_month_not_over_cannot_be_closed(app, signed_in, razi, runner):
    add_line(app, razi, date(2026, 11, 22), 300, 700)  # today, 1 Azar
    claims = signed_in("claims")
    refused = claims.post(f"/staff/claims/centres/{razi}/1405/9/close", {})
    assert refused.status_code == 409 and "تمام نشده" in refused.get_data(as_text=True)
    assert the_month(app, razi) is None


def test_a_month_with_a_day_not_settled_cannot_be_closed(app, signed_in, razi):
    add_line(app, razi, LATER, 300, 700)  # never settled
    claims = signed_in("claims")
    assert "تسویه نشده" in claims.get(month_url(razi)).get_data(as_text=True)
    refused = claims.post(f"{month_url(razi)}/close", {})
    assert refused.status_code == 409 and the_month(app, razi) is None


@pytest.fixture
def other_line(app, make_provider) -> int:
    """A line of another pharmacy, contracted, in Aban."""
    make_provider("داروخانه سینا", "pharmacy")
    with app.app_context():
        sina = db.session.scalar(select(Provider.id).where(Provider.name == "داروخانه سینا"))
    contract(app, sina, START)
    return add_line(app, sina, START, 300, 700)


@pytest.mark.parametrize(
    ("field", "amount", "reason", "message"),
    [
        ("large", "-500", "کم", "دست‌کم یک ریال"),
        ("large", "70001", "کم", "بیش از سهم سازمان"),
        ("large", "500", "   ", "دلیل"),
        ("large", "500", "ب" * 501, "۵۰۰ نویسه"),
        ("large", "۵۰۰ریال", "کم", "عدد صحیح"),
        ("unknown", "500", "کم", "ردیفی با این شماره"),
        ("other", "500", "کم", "ردیفی با این شماره"),
        ("abc", "500", "کم", "عدد صحیح"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_changes_nothing(
    app, signed_in, razi, lines, other_line, field, amount, reason, message
):
    claims = signed_in("claims")
    line = {"unknown": 999_999, "other": other_line, "abc": "abc"}.get(field) or lines[field]
    answer = review(claims, razi, line, reason, amount=amount)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert all(line_state(app, made)[:2] == ("open", 0) for made in lines.values())
    assert line_state(app, other_line)[:2] == ("open", 0)
    assert audited(app, "claim_line_reduced") == [] and the_month(app, razi) is None


@pytest.mark.parametrize("role", ["branch", "medical", "admin"])
def test_other_roles_are_kept_out(app, signed_in, razi, lines, role):
    staff = signed_in(role)
    for url in ("/staff/claims", "/staff/claims/days", month_url(razi)):
        assert staff.get(url).status_code == 403, url
    assert review(staff, razi, lines["large"], "کم", amount=5).status_code == 403
    assert staff.post(f"{month_url(razi)}/close", {}).status_code == 403
    assert line_state(app, lines["large"]) == ("open", 0, None) and the_month(app, razi) is None


ROUNDS = 8


def test_two_closings_at_once_close_once(app, runner, signed_in, family, make_provider):
    ids = []
    for number in range(ROUNDS):
        make_provider(f"داروخانه {number}", "pharmacy")
        with app.app_context():
            ids.append(
                db.session.scalar(select(Provider.id).where(Provider.name == f"داروخانه {number}"))
            )
        contract(app, ids[-1], START)
        add_line(app, ids[-1], START, 300, 700 + number)
    settle(runner, START)
    first, second = signed_in("claims"), signed_in("claims")
    for centre_id in ids:
        answers = race(
            lambda centre_id=centre_id: first.post(f"{month_url(centre_id)}/close", {}),
            lambda centre_id=centre_id: second.post(f"{month_url(centre_id)}/close", {}),
        )
        assert [answer.status_code for answer in answers] == [303, 409], centre_id
    with app.app_context():
        rows = db.session.scalars(select(ClaimMonth).order_by(ClaimMonth.provider_id)).all()
        closings = db.session.scalar(
            select(func.count()).where(StaffAudit.action == "claims_month_closed")
        )
    assert [(row.status, row.payable) for row in rows] == [
        ("closed", 700 + number - (700 + number) * 80 // 100) for number in range(ROUNDS)
    ]
    assert closings == ROUNDS
