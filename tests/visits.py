"""A doctor's visit, as the provider API knows it: an eligibility inquiry about the patient, which
a prescription may be written in (and the patient's record read) for a day after."""


def make_visit(client, token: str, body: dict) -> None:
    """The provider's eligibility inquiry about the patient a prescription `body` is for (a
    newborn's by the mother's code and birth date)."""
    patient = ("national_code", "mother_national_code", "birth_date")
    asked = {field: body[field] for field in patient if field in body}
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post("/api/provider/eligibility", json=asked, headers=headers)
    assert response.status_code == 200, response.get_json()
