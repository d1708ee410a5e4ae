"""The clinical parts of the web for centres: a doctor records an allergy in a visit, is stopped
before a drug carrying it (a reason or the item removed), codes diagnoses found as typed, and
prints an A5 prescription whose code a pharmacy types or scans; the pharmacy sees the reason."""

import re
from pathlib import Path

import pytest
from catalogue_loading import load_small_catalogue
from families import INSURED
from sqlalchemy import func, select
from web_prescribing import items, make_doctor, make_pharmacist, visit

from server.extensions import db
from server.models import Allergy, AllergyAcknowledgement, Prescription

AMOXICILLIN, METFORMIN = "D1001", "D1002"


@pytest.fixture
def doctor(app, clinic, family, runner, tmp_path, make_browser):
    """Zahra, the clinic's doctor, with the small catalogue loaded."""
    load_small_catalogue(runner, tmp_path)
    return make_doctor(app, clinic, make_browser())


def count(app, model) -> int:
    """How many rows a table has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def record(doctor, inquiry_id: int, **fields):
    """Send the allergy form."""
    url = f"/centre/patients/{inquiry_id}/allergies"
    body = {"ingredient": "penicillins", "reaction": "کهیر", "severity": "severe", **fields}
    return doctor.post(url, body, page=url)


def save(doctor, inquiry_id: int, **fields):
    """Send the new-prescription form."""
    url = f"/centre/prescriptions/new/{inquiry_id}"
    return doctor.post(url, {"type": "drug", "action": "save", **fields}, page=url)


def test_the_allergy_form_records_and_lists_it(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    answer = record(doctor, inquiry_id)
    assert answer.status_code == 302
    page = doctor.get(answer.headers["Location"]).get_data(as_text=True)
    assert "penicillins" in page and "کهیر" in page
    assert count(app, Allergy) == 1


def test_an_unknown_ingredient_is_shown_beside_its_field_and_nothing_is_written(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    answer = record(doctor, inquiry_id, ingredient="unobtainium")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert re.search(r'id="ingredient-error">[^<]*unobtainium', page)
    assert count(app, Allergy) == 0


def test_the_doctor_is_stopped_then_writes_with_a_reason(app, doctor, flask_command, make_browser):
    inquiry_id = visit(doctor, INSURED)
    record(doctor, inquiry_id)
    stopped = save(doctor, inquiry_id, **items((AMOXICILLIN, "10", "")))
    assert stopped.status_code == 409
    page = stopped.get_data(as_text=True)
    assert 'name="allergy_reasons-0-reason"' in page
    allergy_id = re.search(r'name="allergy_reasons-0-allergy" type="hidden" value="(\d+)"', page)
    assert allergy_id and count(app, Prescription) == 0
    reason = "تست پوستی منفی بود"
    written = save(
        doctor,
        inquiry_id,
        **items((AMOXICILLIN, "10", "")),
        **{"allergy_reasons-0-allergy": allergy_id.group(1), "allergy_reasons-0-reason": reason},
    )
    assert written.status_code == 302, written.get_data(as_text=True)
    assert reason in doctor.get(written.headers["Location"]).get_data(as_text=True)
    assert count(app, AllergyAcknowledgement) == 1
    pharmacist = make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")
    seen = pharmacist.post("/centre/deliver", {"code": INSURED}, page="/centre/deliver")
    assert reason in seen.get_data(as_text=True)


def test_removing_the_item_writes_the_rest(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    record(doctor, inquiry_id)
    assert save(doctor, inquiry_id, **items((AMOXICILLIN, "10", ""))).status_code == 409
    written = save(doctor, inquiry_id, **items((METFORMIN, "30", "")))
    assert written.status_code == 302


def test_diagnoses_are_found_as_typed_and_kept(app, doctor):
    found = doctor.get("/centre/diagnoses?q=sinusitis").get_json()["diagnoses"]
    assert {"code": "J01.9", "title": "Acute sinusitis, unspecified"} in found
    inquiry_id = visit(doctor, INSURED)
    written = save(doctor, inquiry_id, diagnoses="j01.9، E11.9", **items((METFORMIN, "30", "")))
    assert written.status_code == 302
    page = doctor.get(written.headers["Location"]).get_data(as_text=True)
    assert "J01.9 Acute sinusitis, unspecified" in page


def test_an_unknown_diagnosis_is_shown_beside_its_field(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    answer = save(doctor, inquiry_id, diagnoses="Q99.99", **items((METFORMIN, "30", "")))
    assert answer.status_code == 400
    assert re.search(r'id="diagnoses-error">[^<]*Q99\.99', answer.get_data(as_text=True))
    assert count(app, Prescription) == 0


def test_the_printed_prescription_is_a5_with_a_qr_code_and_never_cached(app, doctor):
    inquiry_id = visit(doctor, INSURED)
    written = save(doctor, inquiry_id, **items((METFORMIN, "30", "")))
    with app.app_context():
        prescription = db.session.scalar(select(Prescription))
    page = doctor.get(written.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/centre/prescriptions/\d+/print)"', page).group(1)
    assert INSURED not in link and prescription.code in link
    printed = doctor.get(link)
    assert printed.status_code == 200
    assert "no-store" in printed.headers["Cache-Control"]
    html = printed.get_data(as_text=True)
    assert "<svg" in html and 'class="segno"' in html
    digits = "".join(re.search(r'id="prescription-code">([^<]+)<', html).group(1).split())
    assert digits.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) == prescription.code
    stylesheet = Path(__file__).parents[2] / "server/centres/static/centres.css"
    assert "@page { size: A5;" in stylesheet.read_text(encoding="utf-8")


def test_another_centre_cannot_print_it(app, doctor, flask_command, make_browser):
    inquiry_id = visit(doctor, INSURED)
    save(doctor, inquiry_id, **items((METFORMIN, "30", "")))
    with app.app_context():
        code = db.session.scalar(select(Prescription.code))
    pharmacist = make_pharmacist(app, flask_command, make_browser(), "داروخانه رازی", "father")
    assert pharmacist.get(f"/centre/prescriptions/{code}/print").status_code == 403
