"""`GET /api/provider/catalogue?q=&kind=`: Persian or English, whatever the keyboard."""

import pytest
from catalogue_loading import write_small_catalogue
from prescribing_drugs import bearer


@pytest.fixture
def search(client, catalogue, doctor):
    """Search with the doctor's token; the answer's JSON."""

    def get(query: str = "", **headers: str):
        return client.get(f"/api/provider/catalogue{query}", headers=bearer(doctor, **headers))

    return get


def codes(response) -> list[str]:
    """The codes found, best first."""
    assert response.status_code == 200, response.get_json()
    return [item["code"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(
    "typed",
    [
        "آموکسی‌سیلین",  # with the ZWNJ
        "آموکسی سیلین",  # a space instead
        "آموکسیسیلین",  # nothing between
        "آموكسي‌سيلين",  # Arabic kaf and yeh
        "اموکسی",  # no madda, the start only
        "amoxi",
        "AMOXICILLIN",
    ],
)
def test_any_spelling_finds_amoxicillin(search, typed):
    assert {"D1001", "D1101"} <= set(codes(search(f"?q={typed}")))  # tablets and syrup


def test_persian_digits_match_the_strength(search):
    assert codes(search("?q=آموکسی سیلین ۵۰۰")) == ["D1001"]
    assert codes(search("?q=amoxicillin 500")) == ["D1001"]


def test_an_item_reads_in_full(search):
    item = search("?q=warfarin").get_json()["items"][0]
    assert item == {
        "code": "D1084",
        "kind": "drug",
        "name": "وارفارین ۵ میلی‌گرم",
        "generic_name": "Warfarin 5 mg",
        "ingredients": ["warfarin"],
        "form": "قرص",
        "strength": "5 mg",
        "unit": "عدد",
        "max_quantity": 100,
        "covered": True,
    }


def test_kind_keeps_one_kind(search):
    found = search("?kind=lab").get_json()["items"]
    assert {item["kind"] for item in found} == {"lab"}
    assert {item["code"] for item in found} == {"L2001", "L2002", "L2003"}
    assert codes(search("?q=قند&kind=lab")) == ["L2001"]
    assert codes(search("?q=قند&kind=drug")) == []


def test_names_starting_with_the_query_come_first(search):
    found = codes(search("?q=آسپرین"))
    assert found[0] == "D1085"


def test_limit_caps_the_answer(search):
    assert len(codes(search("?limit=3"))) == 3
    assert len(codes(search("?limit=۵"))) == 5


def test_any_provider_may_search(client, catalogue, pharmacy):
    response = client.get("/api/provider/catalogue?q=warfarin", headers=bearer(pharmacy))
    assert codes(response) == ["D1084"]


def test_a_token_is_required(client, catalogue):
    response = client.get("/api/provider/catalogue?q=warfarin")
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?kind=massage", "invalid_kind"),
        ("?limit=0", "invalid_limit"),
        ("?limit=51", "invalid_limit"),
        ("?limit=x", "invalid_limit"),
        ("?q=" + "ا" * 101, "query_too_long"),
    ],
)
def test_bad_arguments_are_a_localized_400(search, query, error):
    response = search(query)
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert any("\u0600" <= ch <= "\u06ff" for ch in response.get_json()["message"])


def test_wildcards_in_the_query_match_nothing_special(search):
    assert codes(search("?q=%25")) == codes(search("?q="))  # only punctuation: no filter
    assert codes(search("?q=D_1001")) == ["D1001"]  # `_` is not LIKE's any-character here


@pytest.fixture
def acetaminophens(client, runner, tmp_path, doctor):
    """Only the catalogue's acetaminophens, plain and with codeine; a search of them by code."""
    path = write_small_catalogue(tmp_path / "acetaminophens.csv", PARACETAMOLS)
    result = runner.invoke(args=["darman", "catalogue", "import", str(path)])
    assert result.exit_code == 0, result.output
    return lambda typed: codes(
        client.get(f"/api/provider/catalogue?q={typed}", headers=bearer(doctor))
    )


PARACETAMOLS = ["D1006", "D1102", "D1110", "D1111", "D1112"]


@pytest.mark.parametrize("typed", ["استامینوفن", "acetaminophen", "استامینو"])
def test_the_plain_drug_comes_before_its_combinations(acetaminophens, typed):
    found = acetaminophens(typed)
    assert set(found) == set(PARACETAMOLS)
    combined = min(found.index("D1111"), found.index("D1112"))
    assert max(found.index("D1006"), found.index("D1110")) < combined  # tablets before codeine


def test_a_name_starting_with_the_query_comes_before_one_containing_it(acetaminophens):
    assert acetaminophens("استامینوفن")[:2] == ["D1110", "D1006"]  # not the syrup «شربت …»
