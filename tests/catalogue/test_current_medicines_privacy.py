"""A prescription's check against the patient's current medicines names them: so a finding that
does is a read of the record that the patient sees in their access log and is told of — with or
without an earlier inquiry, even when the write is refused; findings among the new items alone
name nothing of the patient and are no read."""

import pytest
from families import INSURED, INSURED_MOBILE
from patient_view import readers_seen
from prescribing_drugs import drugs

WARFARIN, ASPIRIN = "D1084", "D1085"
SILDENAFIL, NITROGLYCERIN = "D1095", "D1090"  # a sure major pair among the new items
OTHER_DOCTOR = "مطب دکتر کریمی"


@pytest.fixture
def ali_on_warfarin(citizen, doctor, write):
    """Ali takes warfarin (his own doctor's prescription), and is signed in."""
    assert write(doctor, drugs((WARFARIN, 30))).status_code == 201
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


@pytest.fixture
def other_doctor(make_provider) -> str:
    """A doctor Ali has never seen."""
    return make_provider(OTHER_DOCTOR, "doctor")


def test_without_an_earlier_inquiry_a_refusal_that_names_a_current_medicine_is_a_logged_read(
    ali_on_warfarin, other_doctor, write, runner, counts
):
    probe = drugs((SILDENAFIL, 5), (NITROGLYCERIN, 5), (ASPIRIN, 5))
    response = write(other_doctor, probe, visit=False)  # the probe: no inquiry first
    assert response.status_code == 409
    named = [(f["a"], f["b"], f["current"]) for f in response.get_json()["interactions"]]
    assert (ASPIRIN, WARFARIN, True) in named
    assert counts()["prescriptions"] == 1  # Ali's own: the probe wrote nothing
    assert readers_seen(ali_on_warfarin, runner) == ([OTHER_DOCTOR], 1)  # but it is on record


def test_with_a_visit_a_refusal_that_names_a_current_medicine_is_a_logged_read(
    ali_on_warfarin, other_doctor, write, runner, counts
):
    probe = drugs((SILDENAFIL, 5), (NITROGLYCERIN, 5), (ASPIRIN, 5))
    response = write(other_doctor, probe)  # after an eligibility inquiry: a visit
    assert response.status_code == 409
    named = [(f["a"], f["b"], f["current"]) for f in response.get_json()["interactions"]]
    assert (ASPIRIN, WARFARIN, True) in named
    assert counts()["prescriptions"] == 1  # refused: nothing written
    assert readers_seen(ali_on_warfarin, runner) == ([OTHER_DOCTOR], 1)  # kept all the same


def test_a_written_prescription_that_names_a_current_medicine_is_a_logged_read(
    ali_on_warfarin, other_doctor, write, runner
):
    reason = [{"id": f"{WARFARIN}:{ASPIRIN}:aspirin+warfarin", "reason": "پس از جراحی قلب"}]
    response = write(other_doctor, drugs((ASPIRIN, 5), acknowledged_interactions=reason))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["acknowledged_interactions"][0]["current"] is True
    assert readers_seen(ali_on_warfarin, runner) == ([OTHER_DOCTOR], 1)


def test_findings_among_the_new_items_alone_are_no_read(
    ali_on_warfarin, other_doctor, write, runner
):
    response = write(other_doctor, drugs((SILDENAFIL, 5), (NITROGLYCERIN, 5)))
    assert response.status_code == 409
    assert [f["current"] for f in response.get_json()["interactions"]] == [False]
    assert readers_seen(ali_on_warfarin, runner) == ([], 0)
