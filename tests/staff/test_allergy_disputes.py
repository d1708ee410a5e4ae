"""A disputed allergy: the insured's objection shows the allergy to branch staff, who remove or
keep it (audited); removed, it is gone from the record and no longer stops a prescription."""

import families
import pytest
from sqlalchemy import select
from visits import make_visit

from server.extensions import db
from server.models import Allergy, StaffAudit


@pytest.fixture
def ali(citizen, family):
    """Ali, signed in."""
    assert citizen.sign_in(families.INSURED, families.INSURED_MOBILE).status_code == 200
    return citizen


@pytest.fixture
def disputed(client, doctor, catalogue, ali) -> dict:
    """A penicillin allergy a doctor recorded for Ali, and Ali's objection to it."""
    make_visit(client, doctor, {"national_code": families.INSURED})
    recorded = client.post(
        f"/api/provider/patients/{families.INSURED}/allergies",
        json={"ingredient": "penicillins", "reaction": "کهیر", "severity": "mild"},
        headers={"Authorization": f"Bearer {doctor}"},
    ).get_json()
    filed = ali.post(
        f"/api/records/allergies/{recorded['id']}/dispute",
        {"text": "من هیچ‌وقت حساسیتی نداشته‌ام."},
    ).get_json()
    return {"allergy": recorded["id"], "objection": filed["id"]}


def _status(app, allergy_id: int) -> str:
    """The allergy's status now."""
    with app.app_context():
        return db.session.scalar(select(Allergy.status).where(Allergy.id == allergy_id))


@pytest.mark.parametrize(("decision", "status"), [("remove", "removed"), ("keep", "active")])
def test_branch_staff_decide_a_disputed_allergy_audited(
    app, signed_in, disputed, ali, decision, status
):
    staff = signed_in("branch")
    page = staff.get(f"/staff/objections/{disputed['objection']}")
    assert page.status_code == 200
    assert "penicillins" in page.get_data(as_text=True)
    url = f"/staff/objections/{disputed['objection']}/allergy"
    assert staff.post(url, {"decision": decision}).status_code == 303
    assert _status(app, disputed["allergy"]) == status
    with app.app_context():
        actions = list(db.session.scalars(select(StaffAudit.action)))
    assert f"allergy_{'removed' if decision == 'remove' else 'kept'}" in actions
    listed = ali.get("/api/records/allergies").get_json()["allergies"]
    assert [a["status"] for a in listed] == ([] if decision == "remove" else ["active"])
    staff.post(url, {"decision": "remove"})  # decided once: a second decision changes nothing
    assert _status(app, disputed["allergy"]) == status


def test_medical_staff_cannot_decide(app, signed_in, disputed):
    staff = signed_in("medical")
    url = f"/staff/objections/{disputed['objection']}/allergy"
    assert staff.post(url, {"decision": "remove"}).status_code == 403
    assert _status(app, disputed["allergy"]) == "disputed"
