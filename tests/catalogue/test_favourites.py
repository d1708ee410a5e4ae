"""Favourite prescriptions (`/api/provider/favourites`) and instruction presets."""

import pytest
from prescribing_drugs import drugs

COLD = {
    "name": "سرماخوردگی بزرگسال",
    "type": "drug",
    "items": [
        {"code": "D1006", "quantity": 20, "instructions": "هر ۶ ساعت در صورت درد یا تب"},
        {"code": "D1001", "quantity": 21, "instructions": "هر ۸ ساعت یک عدد"},
    ],
}


@pytest.fixture
def favourites(api, catalogue, doctor):
    """Call the favourites API as the doctor."""

    def call(method: str, url: str = "", json: dict | None = None, **headers: str):
        return api(doctor, method, f"/api/provider/favourites{url}", json=json, **headers)

    return call


@pytest.fixture
def cold(favourites) -> dict:
    """The doctor's saved "adult cold" favourite."""
    response = favourites("POST", json=COLD)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_favourite_is_saved_with_the_catalogue_names(cold):
    assert (cold["name"], cold["type"]) == ("سرماخوردگی بزرگسال", "drug")
    assert [(i["code"], i["name"], i["quantity"], i["max_quantity"]) for i in cold["items"]] == [
        ("D1006", "استامینوفن ۵۰۰ میلی‌گرم", 20, 30),
        ("D1001", "آموکسی‌سیلین ۵۰۰ میلی‌گرم", 21, 30),
    ]
    assert cold["items"][1]["instructions"] == "هر ۸ ساعت یک عدد"


def test_the_list_has_the_doctors_favourites_by_name(favourites, cold):
    second = favourites("POST", json=dict(COLD, name="الف: فشار خون", items=COLD["items"][:1]))
    listed = favourites("GET").get_json()["favourites"]
    assert [f["id"] for f in listed] == [second.get_json()["id"], cold["id"]]
    assert listed[1] == cold


def test_a_favourite_is_renamed(favourites, cold):
    response = favourites("PUT", f"/{cold['id']}", json={"name": "سرماخوردگی"})
    assert response.status_code == 200
    assert response.get_json()["name"] == "سرماخوردگی"
    assert response.get_json()["items"] == cold["items"]
    assert favourites("GET").get_json()["favourites"][0]["name"] == "سرماخوردگی"


def test_a_favourites_items_are_replaced(favourites, cold):
    items = [{"code": "D1008", "quantity": 28}]
    changed = favourites("PUT", f"/{cold['id']}", json={"items": items}).get_json()
    assert [(i["code"], i["quantity"], i["instructions"]) for i in changed["items"]] == [
        ("D1008", 28, None)
    ]


def test_a_favourite_is_deleted(favourites, cold, counts):
    assert favourites("DELETE", f"/{cold['id']}").status_code == 204
    assert favourites("GET").get_json()["favourites"] == []
    assert favourites("DELETE", f"/{cold['id']}").status_code == 404
    assert counts()["favourites"] == 0


def test_a_prescription_is_written_from_a_favourite_in_one_step(favourites, cold, doctor, write):
    response = write(doctor, drugs(items=cold["items"]))  # the items as they are
    assert response.status_code == 201, response.get_json()


def test_another_doctors_favourites_are_not_seen(api, make_provider, favourites, cold):
    other = make_provider("مطب دکتر کریمی", "doctor")
    assert api(other, "GET", "/api/provider/favourites").get_json()["favourites"] == []
    for method, body in (("PUT", {"name": "x"}), ("DELETE", None)):
        response = api(other, method, f"/api/provider/favourites/{cold['id']}", json=body)
        assert response.status_code == 404
        assert response.get_json()["error"] == "unknown_favourite"
    assert favourites("GET").get_json()["favourites"] == [cold]


def test_only_doctors_keep_favourites(api, catalogue, pharmacy):
    response = api(pharmacy, "POST", "/api/provider/favourites", json=COLD)
    assert response.status_code == 403
    assert response.get_json()["message"] == "فقط پزشکان نسخهٔ پرکاربرد ذخیره می‌کنند."


def test_a_name_in_use_is_refused(favourites, cold, counts):
    response = favourites("POST", json=COLD)
    assert response.status_code == 409
    assert response.get_json()["error"] == "favourite_name_taken"
    renamed = favourites("POST", json=dict(COLD, name="دیگر"))
    clash = favourites("PUT", f"/{renamed.get_json()['id']}", json={"name": COLD["name"]})
    assert clash.status_code == 409
    assert counts()["favourites"] == 2


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"name": ""}, "invalid_favourite_name"),
        ({"name": "x" * 101}, "invalid_favourite_name"),
        ({"type": "massage"}, "invalid_type"),
        ({"items": []}, "no_items"),
        ({"items": [{"code": "D9999", "quantity": 1}]}, "unknown_catalogue_code"),
        ({"items": [{"code": "D1001", "quantity": 31}]}, "quantity_above_max"),
        ({"items": [{"code": "L2001", "quantity": 1}]}, "wrong_item_kind"),
        ({"items": [{"code": "D1001", "quantity": 1}] * 2}, "duplicate_item"),
    ],
)
def test_a_bad_favourite_is_a_400_and_nothing_is_saved(favourites, counts, change, error):
    response = favourites("POST", json={**COLD, **change})
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert any("\u0600" <= ch <= "\u06ff" for ch in response.get_json()["message"])
    assert counts()["favourites"] == 0


@pytest.mark.parametrize(
    ("change", "error"),
    [({}, "empty_change"), ({"type": "lab"}, "items_for_type"), ({"name": " "}, None)],
)
def test_a_bad_change_is_a_400_and_changes_nothing(favourites, cold, change, error):
    response = favourites("PUT", f"/{cold['id']}", json=change)
    assert response.status_code == 400
    if error:
        assert response.get_json()["error"] == error
    assert favourites("GET").get_json()["favourites"] == [cold]


def test_a_type_changes_with_its_items(favourites, cold):
    change = {"type": "lab", "items": [{"code": "L2001", "quantity": 1}]}
    assert favourites("PUT", f"/{cold['id']}", json=change).get_json()["type"] == "lab"


def test_instruction_presets_in_persian_and_by_kind(api, doctor):
    presets = api(doctor, "GET", "/api/provider/instruction-presets").get_json()["presets"]
    texts = {preset["id"]: preset["text"] for preset in presets}
    assert texts["every_8_hours"] == "هر ۸ ساعت یک عدد"
    assert texts["before_bed"] == "روزی یک عدد قبل از خواب"
    physio = api(doctor, "GET", "/api/provider/instruction-presets?kind=physio").get_json()
    assert [p["id"] for p in physio["presets"]] == ["three_sessions_a_week"]
    english = api(doctor, "GET", "/api/provider/instruction-presets", **{"Accept-Language": "en"})
    assert english.get_json()["presets"][0]["text"] == "One every 8 hours"
    assert api(doctor, "GET", "/api/provider/instruction-presets?kind=x").status_code == 400
