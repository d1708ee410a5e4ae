"""Medical staff keep the special-patients list in the console: find a person's entries, add
one, end one today; each step audited, only medical staff may. A person on the list on the day
may get a repeat of up to 12 parts (tests/records/test_repeats.py)."""

from families import INSURED, SON
from sqlalchemy import select

from server.extensions import db
from server.models import SpecialPatient, StaffAudit

URL = "/staff/medical/special-patients"


def person_page(browser, national_code: str) -> str:
    """The signed link to a person's entries, as the search by national code gives it."""
    found = browser.post(URL, {"national_code": national_code})
    assert found.status_code == 303, found.get_data(as_text=True)
    return found.location


def entries(app) -> list[tuple]:
    """Every entry: (condition, valid_from, valid_until, added by staff)."""
    with app.app_context():
        rows = db.session.scalars(select(SpecialPatient).order_by(SpecialPatient.id))
        return [
            (
                r.condition,
                r.valid_from.isoformat(),
                r.valid_until and r.valid_until.isoformat(),
                r.added_by is not None,
            )
            for r in rows
        ]


def actions(app) -> list[str]:
    """The audit's special-patients actions, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(StaffAudit.action)
            .where(StaffAudit.action.like("special_patient%"))
            .order_by(StaffAudit.id)
        )
        return list(rows)


def test_medical_staff_add_and_end_an_entry_audited(app, family, signed_in):
    medical = signed_in("medical")
    link = person_page(medical, INSURED)
    assert INSURED not in link  # the national code travels in the body, never the URL
    page = medical.get(link)
    assert page.status_code == 200 and "علی" in page.get_data(as_text=True)
    added = medical.post(link, {"condition": "دیابت", "valid_from": "2026-11-01"})
    assert added.status_code == 303, added.get_data(as_text=True)
    assert entries(app) == [("دیابت", "2026-11-01", None, True)]
    with app.app_context():
        entry_id = db.session.scalar(select(SpecialPatient.id))
    ended = medical.post(f"{link}/{entry_id}/end")
    assert ended.status_code == 303
    assert entries(app) == [("دیابت", "2026-11-01", "2026-11-21", True)]  # off from today
    again = medical.post(f"{link}/{entry_id}/end")
    assert again.status_code == 303
    assert "پایان" in medical.get(again.location).get_data(as_text=True)  # already ended
    assert actions(app) == [
        "special_patients_viewed",
        "special_patient_added",
        "special_patient_ended",
        "special_patients_viewed",
    ]


def test_a_bad_period_or_unknown_person_changes_nothing(app, family, signed_in):
    medical = signed_in("medical")
    link = person_page(medical, SON)
    backwards = medical.post(
        link, {"condition": "تالاسمی", "valid_from": "2026-11-10", "valid_until": "2026-11-01"}
    )
    assert backwards.status_code == 400
    assert "پیش از" in backwards.get_data(as_text=True)
    unknown = medical.post(URL, {"national_code": "0067891233"})
    assert unknown.status_code == 404
    assert entries(app) == []


def test_only_medical_staff_may(app, family, signed_in):
    link = person_page(signed_in("medical"), INSURED)
    branch = signed_in("branch")
    assert branch.post(URL, {"national_code": INSURED}).status_code == 403
    assert branch.post(link, {"condition": "دیابت", "valid_from": "2026-11-01"}).status_code == 403
    assert entries(app) == []
