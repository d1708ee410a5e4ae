"""Fixtures of the hospitals' tests: a public hospital (in a city where SSO has a hospital of its
own, so that S5 does not apply), its token, the registry's other insurers, and an admission."""

import pytest
from families import INSURED
from hospital_help import CITY, TODAY, bearer, set_centre
from records.test_counter_money import tariffs  # noqa: F401 (the counter's prices, a fixture)


@pytest.fixture
def hospital(app, make_provider) -> str:
    """A public hospital's token; SSO has a hospital of its own in the same city."""
    token = make_provider("بیمارستان دانشگاهی کامکار", "hospital")
    set_centre(app, "بیمارستان دانشگاهی کامکار", public=True, city=CITY)
    make_provider("بیمارستان تامین اجتماعی قم", "hospital")
    set_centre(app, "بیمارستان تامین اجتماعی قم", sso_owned=True, city=CITY)
    return token


@pytest.fixture
def other_hospital(make_provider) -> str:
    """Another hospital's token."""
    return make_provider("بیمارستان فاطمی", "hospital")


@pytest.fixture
def other_insurer(family, registry):
    """Ali is also insured by «بیمه سلامت» from this year's start, with no end."""
    registry.write(
        "other_insurance.csv",
        "national_code,insurer,start_date,end_date",
        f"{INSURED},بیمه سلامت,2026-03-21,",
        f"{INSURED},بیمه نیروهای مسلح,2020-01-01,2021-01-01",  # ended: no overlap
    )
    result = registry.load()
    assert result.exit_code == 0, result.output + result.stderr
    registry.clear()


@pytest.fixture
def admit(client):
    """POST an admission with a token; `fields` replace or add to Ali's, admitted today."""

    def post(token: str, **fields):
        body = {"national_code": INSURED, "admitted_on": TODAY, "ward": "داخلی ۲"} | fields
        body = {key: value for key, value in body.items() if value is not None}
        return client.post("/api/provider/admissions", json=body, headers=bearer(token))

    return post


@pytest.fixture
def write(client, catalogue):
    """POST a drug prescription for Ali (amoxicillin 3, metformin 60) with a token; `items`
    replace them, `fields` add to the body."""

    def post(token: str, items: list[dict] | None = None, **fields):
        body = {
            "national_code": INSURED,
            "written_on": TODAY,
            "type": "drug",
            "items": items or [{"code": "D1001", "quantity": 3}, {"code": "D1002", "quantity": 60}],
        } | fields
        return client.post("/api/provider/prescriptions", json=body, headers=bearer(token))

    return post


@pytest.fixture
def dispense(client):
    """POST a delivery of `{code: quantity}` on a prescription code."""

    def post(token: str, code: str, quantities: dict[str, int]):
        body = {"items": [{"code": c, "quantity": q} for c, q in quantities.items()]}
        url = f"/api/provider/prescriptions/{code}/dispense"
        return client.post(url, json=body, headers=bearer(token))

    return post
