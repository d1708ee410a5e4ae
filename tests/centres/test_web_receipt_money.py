"""The web's delivery receipt (issue 25): the counter's eligibility inquiry by its tracking code,
and per item the unit price, the price, the patient's and SSO's shares — in Persian digits with
the Persian thousands separator and «ریال» — and the totals; a patient not covered is told so in
Persian with the next step, and nothing is delivered."""

import pytest
from catalogue_loading import load_small_catalogue
from families import INSURED
from sqlalchemy import select
from web_prescribing import items, make_doctor, make_pharmacist, visit

from server.extensions import db
from server.models import Dispensing, Inquiry, Prescription, Provider

AMOXICILLIN = "D1001"


@pytest.fixture
def code(app, clinic, family, runner, tmp_path, make_browser):
    """Ali's prescription of 20 amoxicillin, written in the web; amoxicillin at 447 000 rials."""
    load_small_catalogue(runner, tmp_path)
    prices = tmp_path / "tariffs.csv"
    prices.write_text("code,valid_from,price_rial\nD1001,2026-03-21,447000\n", encoding="utf-8")
    assert runner.invoke(args=["darman", "tariffs", "import", str(prices)]).exit_code == 0
    doctor = make_doctor(app, clinic, make_browser())
    url = f"/centre/prescriptions/new/{visit(doctor, INSURED)}"
    fields = {"type": "drug", "action": "save"} | items((AMOXICILLIN, "20", ""))
    assert doctor.post(url, fields, page=url).status_code == 302
    with app.app_context():
        return db.session.scalar(select(Prescription.code))


@pytest.fixture
def razi(app, runner, flask_command, make_browser, code):
    """Razi pharmacy's pharmacist (passkey confirmed); the pharmacy contracted from 1 Aban."""
    pharmacist = make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")
    with app.app_context():
        centre = db.session.scalar(select(Provider.id).where(Provider.name == "داروخانه رازی"))
    contract = ["darman", "centre", "contract", str(centre), "--from", "2026-10-23"]
    assert runner.invoke(args=contract).exit_code == 0
    return pharmacist


def deliver(browser, code: str, quantity: str):
    """Deliver this many amoxicillin; the answer."""
    fields = {f"qty-{AMOXICILLIN}": quantity}
    return browser.post(f"/centre/deliver/{code}", fields, page="/centre/deliver")


def test_the_receipt_shows_the_price_and_both_shares_in_rials(app, code, razi):
    served = deliver(razi, code, "2")
    assert served.status_code == 302
    page = razi.get(served.headers["Location"]).get_data(as_text=True)
    assert "۴۴۷٬۰۰۰ ریال" in page  # the unit price
    assert "۸۹۴٬۰۰۰ ریال" in page  # the price of 2
    assert "۲۶۸٬۲۰۰ ریال" in page  # the patient's 30 %
    assert "۶۲۵٬۸۰۰ ریال" in page  # SSO's 70 %
    with app.app_context():
        asked = db.session.scalars(select(Inquiry).order_by(Inquiry.id.desc())).first()
    assert asked.channel == "web" and asked.member_id is not None
    shown = asked.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert shown in page


def test_a_patient_not_covered_is_told_so_and_nothing_is_delivered(app, code, razi, monkeypatch):
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2026-12-22")  # Ali's cover ended on 21 Dec
    refused = deliver(razi, code, "2")
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "بیمار امروز حمایت درمانی ندارد" in page
    assert "۱۴۲۰" in page
    with app.app_context():
        assert db.session.scalars(select(Dispensing)).all() == []
