"""The web for centres' statement (issue 25): the admin sees the centre's claims day by day in
rials, what was paid in advance and what is held, downloads the same as CSV, and without a
contract asks SSO for one; a member who is not an admin is refused; bad dates are shown beside
their field."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from web_prescribing import make_doctor

from server.extensions import db
from server.models import ClaimLine, Person, Provider


@pytest.fixture
def claims(app, clinic, runner):
    """Two claims of the clinic on 20 November, settled that night (no contract: not payable)."""
    with app.app_context():
        person = db.session.scalar(select(Person.id).limit(1))
        for patient, sso in [(663_000, 0), (1_000, 0)]:
            db.session.add(
                ClaimLine(
                    provider_id=clinic, service_date=date(2026, 11, 20), kind="visit",
                    code="V5002", quantity=1, unit_price=patient + sso, price=patient + sso,
                    patient_share=patient, sso_share=sso, rule="not_contracted_visit",
                    person_id=person, tracking_code="123456789012",
                    created_at=datetime.now(UTC), status="open", deducted=0,
                )
            )  # fmt: skip
        db.session.commit()
    assert runner.invoke(args=["darman", "settle", "--date", "2026-11-20"]).exit_code == 0


def test_the_admin_sees_the_days_in_rials_and_asks_for_a_contract(app, clinic, admin, claims):
    page = admin.get("/centre/statements").get_data(as_text=True)
    assert "۲۹ آبان ۱۴۰۵" in page  # 20 November 2026
    assert "۶۶۴٬۰۰۰ ریال" in page  # the day's price
    assert "قابل پرداخت نیست: در آن روز قراردادی نبود" in page
    assert "این مرکز با سازمان قرارداد ندارد" in page
    asked = admin.post("/centre/statements/contract", {}, page="/centre/statements")
    assert asked.status_code == 302
    with app.app_context():
        assert db.session.get(Provider, clinic).contract_requested is True
    after = admin.get("/centre/statements").get_data(as_text=True)
    assert "درخواست قرارداد شما نزد سازمان تأمین اجتماعی در حال بررسی است." in after


def test_the_csv_has_iso_dates_and_whole_rials(admin, claims):
    answer = admin.get("/centre/statements.csv?from=2026-11-01&to=2026-11-22")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    lines = answer.get_data(as_text=True).splitlines()
    assert lines == [
        "date,lines,price_rial,patient_share_rial,sso_share_rial,settled,payable,advance_rial,held_rial",
        "2026-11-20,2,664000,664000,0,1,0,0,0",
    ]


def test_a_member_who_is_not_an_admin_is_refused(app, clinic, make_browser, claims):
    doctor = make_doctor(app, clinic, make_browser())
    assert doctor.get("/centre/statements").status_code == 403
    assert doctor.get("/centre/statements.csv").status_code == 403


def test_backward_dates_are_shown_beside_the_field(admin, claims):
    answer = admin.get("/centre/statements?from=2026-11-22&to=2026-11-01")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "روز آغاز پس از روز پایان است." in page
    assert 'aria-invalid="true"' in page


@pytest.fixture
def reviewed(app, clinic, runner):
    """The clinic contracted from 15 November, two visits that day, settled; SSO's review took
    10 000 rials off one with a reason, and closed Aban."""
    from server.models import Contract
    from server.money import review

    with app.app_context():
        person = db.session.scalar(select(Person.id).limit(1))
        db.session.add(
            Contract(provider_id=clinic, valid_from=date(2026, 11, 15), made_at=datetime.now(UTC))
        )
        for sso in (70_000, 140_000):
            db.session.add(
                ClaimLine(
                    provider_id=clinic, service_date=date(2026, 11, 15), kind="visit",
                    code="V5001", quantity=1, unit_price=sso + 30_000, price=sso + 30_000,
                    patient_share=30_000, sso_share=sso, rule="outpatient", person_id=person,
                    tracking_code="123456789012", created_at=datetime.now(UTC), status="open",
                    deducted=0,
                )
            )  # fmt: skip
        db.session.commit()
        line = db.session.scalar(select(ClaimLine.id).where(ClaimLine.sso_share == 140_000))
    assert runner.invoke(args=["darman", "settle", "--date", "2026-11-15"]).exit_code == 0
    with app.app_context():
        aban = review.month(1405, 8)
        review.deduct(clinic, aban, line, 10_000, "ویزیت تکراری، بیمار, همان روز", by=None)
        review.close(clinic, aban, by=None)
        db.session.commit()
    return line


def test_the_reviewed_month_shows_its_deductions_and_final_payment(admin, reviewed):
    page = admin.get("/centre/statements?from=2026-11-01&to=2026-11-22").get_data(as_text=True)
    assert "رسیدگی سازمان به آبان ۱۴۰۵" in page
    assert "ویزیت تکراری" in page and "۱۰٬۰۰۰ ریال" in page
    assert "۳۲٬۰۰۰ ریال" in page  # 200 000 accepted − 168 000 advanced


def test_the_csv_adds_the_reviewed_months_after_the_days(admin, reviewed):
    answer = admin.get("/centre/statements.csv?from=2026-11-01&to=2026-11-22")
    lines = answer.get_data(as_text=True).splitlines()
    assert lines[1] == "2026-11-15,2,270000,60000,210000,1,1,168000,42000"
    assert lines[2:] == [
        "",
        "month,closed_on,deducted_rial,accepted_rial,advances_rial,final_payment_rial",
        f"1405-08,{lines[4].split(',')[1]},10000,200000,168000,32000",
        "",
        "month,line,date,code,sso_share_rial,deducted_rial,rejected,reason",
        f'1405-08,{reviewed},2026-11-15,V5001,140000,10000,0,"ویزیت تکراری، بیمار, همان روز"',
    ]
