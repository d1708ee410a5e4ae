"""Medical staff answer a centre's contract request: they make the contract from a day (to a
day), or refuse the request with a reason; the centre's admins are texted, every answer is
audited, and a contract over days another one covers is refused beside its field."""

from datetime import date, timedelta

import pytest
import test_medical
from families import INSURED, INSURED_MOBILE
from sqlalchemy import func, select
from test_medical import audit_rows, centre_of, doctor_id, sms_lines

from server.extensions import db
from server.models import Contract
from server.money.contracts import contracted_on

# the fixtures shared with test_medical.py, by name
doctor, centre_id = test_medical.doctor, test_medical.centre_id
flask_command = test_medical.flask_command

START = date(2027, 1, 10)


def contracted(app, centre: int, day: date) -> bool:
    """Whether the centre is contracted on the day, as stored now."""
    with app.app_context():
        return contracted_on(centre, day)


def contract_count(app) -> int:
    """How many contracts are stored."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contract))


def make(medical, centre: int, start: str, until: str = ""):
    """Post the contract form of the centre's page."""
    return medical.post(
        f"/staff/medical/centres/{centre}/contract", {"valid_from": start, "valid_until": until}
    )


def test_the_requested_contract_is_marked_and_offered(app, centre_id, signed_in):
    medical = signed_in("medical")
    listing = medical.get("/staff/medical").get_data(as_text=True)
    assert "درخواست قرارداد دارد" in listing
    page = medical.get(f"/staff/medical/centres/{centre_id}").get_data(as_text=True)
    assert "بستن قرارداد" in page and "رد درخواست قرارداد" in page


def test_approval_makes_the_contract_from_its_day_texts_the_admin_and_is_audited(
    app, doctor, centre_id, make_staff, staff_browser
):
    staff_id, national_code, mobile = make_staff("medical")
    medical = staff_browser()
    medical.sign_in(national_code, mobile)
    answer = make(medical, centre_id, START.isoformat())
    assert answer.status_code == 303 and answer.location.endswith("/staff/medical")
    assert contracted(app, centre_id, START) and contracted(app, centre_id, date(2030, 1, 1))
    assert not contracted(app, centre_id, START - timedelta(days=1))
    with app.app_context():
        contract = db.session.scalar(select(Contract))
        assert (contract.made_by, contract.valid_until) == (staff_id, None)
    assert centre_of(app, "مطب دکتر رضایی").contract_requested is False
    [row] = audit_rows(app, "contract_made")
    assert (row.staff_id, row.subject, row.person_id) == (
        staff_id,
        f"centre:{centre_id}",
        doctor_id(app),
    )
    assert row.detail == {"valid_from": "2027-01-10", "until": ""}
    sms = doctor.last_sms()
    assert sms["to"] == INSURED_MOBILE
    assert "قرارداد" in sms["text"] and "۲۰ دی ۱۴۰۵" in sms["text"]
    # The request is answered: it cannot be refused now.
    late = medical.post(
        f"/staff/medical/centres/{centre_id}/contract/refuse", {"contract-reason": "دیر"}
    )
    assert late.status_code == 409 and audit_rows(app, "contract_refused") == []


def test_a_contract_with_an_end_covers_its_days_only(app, centre_id, signed_in):
    medical = signed_in("medical")
    # written in Jalali, as staff write days: 20 Dey 1405 to 9 Tir 1406, Persian digits or Latin
    assert make(medical, centre_id, "۱۴۰۵/۱۰/۲۰", "1406-4-9").status_code == 303
    assert contracted(app, centre_id, date(2027, 1, 10))
    assert not contracted(app, centre_id, date(2027, 1, 9))
    assert contracted(app, centre_id, date(2027, 6, 30))
    assert not contracted(app, centre_id, date(2027, 7, 1))


def test_refusal_keeps_no_contract_texts_the_reason_and_is_audited(
    app, doctor, centre_id, signed_in
):
    medical = signed_in("medical")
    missing = medical.post(f"/staff/medical/centres/{centre_id}/contract/refuse", {})
    assert missing.status_code == 400 and "لطفاً دلیل را بنویسید" in missing.get_data(as_text=True)
    assert audit_rows(app, "contract_refused") == []
    answer = medical.post(
        f"/staff/medical/centres/{centre_id}/contract/refuse",
        {"contract-reason": "ظرفیت قرارداد این شهر تکمیل است"},
    )
    assert answer.status_code == 303
    assert contract_count(app) == 0 and not contracted(app, centre_id, START)
    assert centre_of(app, "مطب دکتر رضایی").contract_requested is False
    [row] = audit_rows(app, "contract_refused")
    assert row.detail == {"reason": "ظرفیت قرارداد این شهر تکمیل است"}
    assert row.subject == f"centre:{centre_id}"
    sms = doctor.last_sms()
    assert sms["to"] == INSURED_MOBILE and "ظرفیت قرارداد این شهر تکمیل است" in sms["text"]


@pytest.fixture
def pharmacy(app, family, flask_command) -> int:
    """An active pharmacy, made by the operator's command, that never asked for a contract."""
    admin = f"{INSURED}:{INSURED_MOBILE}"
    return int(
        flask_command("centre", "create", "داروخانهٔ شفا", "--kind", "pharmacy", "--admin", admin)
    )


def test_an_overlapping_contract_is_refused_beside_its_field_and_writes_nothing(
    app, pharmacy, signed_in
):
    medical = signed_in("medical")
    assert make(medical, pharmacy, "2027-01-10", "2027-06-30").status_code == 303
    before = (contract_count(app), sms_lines(app), len(audit_rows(app, "contract_made")))
    answer = make(medical, pharmacy, "2027-06-01")
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "این مرکز در بخشی از این روزها قرارداد دیگری دارد" in page
    assert 'id="valid_from-error"' in page and 'aria-invalid="true"' in page
    assert (contract_count(app), sms_lines(app), len(audit_rows(app, "contract_made"))) == before


@pytest.mark.parametrize(
    ("start", "until", "said", "field"),
    [
        ("", "", "لطفاً روز آغاز قرارداد را بنویسید", "valid_from"),
        ("10/01/2027", "", "لطفاً روز را به شکل سال/ماه/روز بنویسید", "valid_from"),
        ("۱۴۰۵/۱۲/۳۰", "", "لطفاً روز را به شکل سال/ماه/روز بنویسید", "valid_from"),  # no 30 Esfand
        ("1405/10/20", "1405/13/01", "لطفاً روز را به شکل سال/ماه/روز بنویسید", "valid_until"),
        ("2027-01-10", "2027-01-09", "پایان قرارداد نمی‌تواند پیش از آغاز آن باشد", "valid_until"),
    ],
)
def test_bad_dates_are_refused_beside_their_field(
    app, centre_id, signed_in, start, until, said, field
):
    medical = signed_in("medical")
    answer = make(medical, centre_id, start, until)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert page.count(said) == 1 and f'id="{field}-error"' in page
    assert contract_count(app) == 0 and audit_rows(app, "contract_made") == []
    assert centre_of(app, "مطب دکتر رضایی").contract_requested is True


def test_an_active_centre_that_did_not_ask_can_be_contracted_but_not_refused(
    app, pharmacy, signed_in
):
    centre = pharmacy
    medical = signed_in("medical")
    page = medical.get(f"/staff/medical/centres/{centre}").get_data(as_text=True)
    assert "بستن قرارداد" in page and "رد درخواست قرارداد" not in page
    refused = medical.post(
        f"/staff/medical/centres/{centre}/contract/refuse", {"contract-reason": "x"}
    )
    assert refused.status_code == 409 and audit_rows(app, "contract_refused") == []
    assert make(medical, centre, "2027-01-10").status_code == 303
    assert contracted(app, centre, START)


@pytest.mark.parametrize("role", ["branch", "admin"])
def test_other_roles_cannot_answer_a_contract_request(app, centre_id, signed_in, role):
    other = signed_in(role)
    base = f"/staff/medical/centres/{centre_id}/contract"
    assert make(other, centre_id, "2027-01-10").status_code == 403
    assert other.post(f"{base}/refuse", {"contract-reason": "آزمایش"}).status_code == 403
    assert contract_count(app) == 0 and audit_rows(app, "contract_refused") == []
    assert centre_of(app, "مطب دکتر رضایی").contract_requested is True
