"""A clinic (درمانگاه): its doctors prescribe and read a visiting patient's record; it delivers
nothing (a hospital or the field's own centre does)."""

from families import INSURED
from prescribing import bearer, prescription_body

from server.models import KIND_SCOPES


def test_a_clinics_token_may_prescribe_and_read_records_but_not_deliver():
    assert KIND_SCOPES["clinic"] == {"eligibility", "prescribe", "records"}


def test_a_clinic_writes_a_prescription_and_a_pharmacy_serves_it(
    client, family, make_provider, write
):
    clinic = make_provider("درمانگاه شبانه‌روزی امید", "clinic")
    written = write(clinic, prescription_body())
    assert written.status_code == 201, written.get_json()
    code = written.get_json()["code"]
    refused = client.post(
        f"/api/provider/prescriptions/{code}/dispense",
        json={"items": [{"code": "D1001", "quantity": 1}]},
        headers=bearer(clinic),
    )
    assert refused.status_code == 403
    pharmacy = make_provider("داروخانه دکتر رازی", "pharmacy")
    served = client.post(
        f"/api/provider/prescriptions/{code}/dispense",
        json={"items": [{"code": "D1001", "quantity": 1}]},
        headers=bearer(pharmacy),
    )
    assert served.status_code == 200, served.get_json()


def test_a_clinics_doctor_reads_a_visiting_patients_record(client, family, make_provider):
    clinic = make_provider("درمانگاه شبانه‌روزی امید", "clinic")
    path = f"/api/provider/patients/{INSURED}/records"
    assert client.get(path, headers=bearer(clinic)).status_code == 403  # no visit yet
    asked = client.post(
        "/api/provider/eligibility", json={"national_code": INSURED}, headers=bearer(clinic)
    )
    assert asked.status_code == 200
    assert client.get(path, headers=bearer(clinic)).status_code == 200
