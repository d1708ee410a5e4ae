"""In the web for centres: the doctor who wrote a prescription cancels it (a pharmacy is then
refused, in Persian), or the rest of an item once part is delivered; a repeat prescription is
written with its parts and delivered a part at a time, a part not yet due refused with its
Jalali date."""

import pytest
from catalogue_loading import load_small_catalogue
from families import INSURED
from sqlalchemy import select
from test_web_dispensing import AMOXICILLIN, OMEPRAZOLE, deliver, delivered, look_up
from web_prescribing import items, make_doctor, make_pharmacist, visit

from server.extensions import db
from server.models import Prescription


@pytest.fixture
def doctor(app, clinic, family, runner, tmp_path, make_browser):
    """Zahra, the clinic's doctor, with the small catalogue loaded."""
    load_small_catalogue(runner, tmp_path)
    return make_doctor(app, clinic, make_browser())


def write(app, doctor, parts: str = "1") -> str:
    """Zahra writes 20 amoxicillin and 14 omeprazole for Ali in `parts` parts; its code."""
    url = f"/centre/prescriptions/new/{visit(doctor, INSURED)}"
    fields = {"type": "drug", "action": "save", "parts": parts}
    fields |= items((AMOXICILLIN, "20", ""), (OMEPRAZOLE, "14", ""))
    saved = doctor.post(url, fields, page=url)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        return db.session.scalar(select(Prescription.code).order_by(Prescription.id.desc()))


@pytest.fixture
def razi(app, flask_command, make_browser, doctor):
    """Razi pharmacy's pharmacist, confirmed with a passkey."""
    return make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")


def cancel(doctor, code: str, reason: str, *chosen: str):
    """The doctor's cancel form on the written prescription's page."""
    page = f"/centre/prescriptions/{code}"
    fields = {"reason": reason}
    if chosen:
        fields["item"] = list(chosen)
    return doctor.post(f"{page}/cancel", fields, page=page)


def test_the_doctor_cancels_and_the_pharmacy_is_refused_in_persian(app, doctor, razi):
    code = write(app, doctor)
    page = doctor.get(f"/centre/prescriptions/{code}").get_data(as_text=True)
    assert "لغو" in page and 'name="reason"' in page
    done = cancel(doctor, code, "دوز اشتباه")
    assert done.status_code == 302
    shown = doctor.get(done.headers["Location"]).get_data(as_text=True)
    assert "دوز اشتباه" in shown and 'name="reason"' not in shown
    listed = look_up(razi).get_data(as_text=True)
    assert f"cancelled-{code}" in listed and f'name="qty-{AMOXICILLIN}"' not in listed
    refused = deliver(razi, code, **{AMOXICILLIN: "5"})
    assert refused.status_code == 409 and "لغو" in refused.get_data(as_text=True)
    assert delivered(app) == []


def test_an_empty_reason_is_refused_and_nothing_is_cancelled(app, doctor):
    code = write(app, doctor)
    refused = cancel(doctor, code, "  ")
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Prescription.cancelled_at)) is None


def test_after_a_delivery_the_rest_of_an_item_is_cancelled(app, doctor, razi):
    code = write(app, doctor)
    assert deliver(razi, code, **{AMOXICILLIN: "20"}).status_code == 302
    whole = cancel(doctor, code, "عوارض")
    assert whole.status_code == 409 and "تحویل" in whole.get_data(as_text=True)
    assert cancel(doctor, code, "عوارض", OMEPRAZOLE).status_code == 302
    assert deliver(razi, code, **{OMEPRAZOLE: "1"}).status_code == 409


def test_another_centre_cannot_cancel(app, doctor, razi):
    code = write(app, doctor)
    url = f"/centre/prescriptions/{code}/cancel"
    assert razi.post(url, {"reason": "اشتباه"}, page="/centre/deliver").status_code == 403


def test_a_repeat_is_delivered_a_part_at_a_time(app, doctor, razi, registry, monkeypatch):
    registry.write(
        "contributions.csv",
        "national_code,jalali_year,jalali_month,days,workshop_code",
        f"{INSURED},1405,9,30,W1",
        f"{INSURED},1405,10,30,W1",
    )
    assert registry.load().exit_code == 0
    code = write(app, doctor, parts="6")
    page = look_up(razi).get_data(as_text=True)
    assert f'name="qty-{AMOXICILLIN}" value="۲۰"' in page  # the first part, not all six
    assert deliver(razi, code, **{AMOXICILLIN: "20"}).status_code == 302
    early = deliver(razi, code, **{AMOXICILLIN: "20"})
    assert early.status_code == 409 and "۱ دی ۱۴۰۵" in early.get_data(as_text=True)
    monkeypatch.setitem(app.config, "DARMAN_TODAY", "2026-12-22")
    assert deliver(razi, code, **{AMOXICILLIN: "20"}).status_code == 302
    assert sorted(quantity for _, quantity in delivered(app)) == [20, 20]


def test_seven_parts_for_a_patient_not_on_the_list_are_refused(app, doctor):
    url = f"/centre/prescriptions/new/{visit(doctor, INSURED)}"
    fields = {"type": "drug", "action": "save", "parts": "7"}
    fields |= items((AMOXICILLIN, "20", ""))
    refused = doctor.post(url, fields, page=url)
    assert refused.status_code == 400 and "۶" in refused.get_data(as_text=True)
