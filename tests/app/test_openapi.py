"""`GET /api/openapi.json` is made from the schemas that validate requests."""

from server.api.schemas import EligibilityAnswer, EligibilityRequest


def test_openapi_describes_the_provider_api(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    inquiry = document["paths"]["/api/provider/eligibility"]["post"]
    request_schema = inquiry["requestBody"]["content"]["application/json"]["schema"]
    assert request_schema == {"$ref": "#/components/schemas/EligibilityRequest"}
    assert inquiry["security"] == [{"bearer": []}]
    assert {"200", "400", "401"} <= set(inquiry["responses"])
    verify = document["paths"]["/api/provider/inquiries/{tracking_code}"]["get"]
    assert [(p["name"], p["in"]) for p in verify["parameters"]] == [
        ("tracking_code", "path"),
        ("national_code", "query"),
    ]
    assert "429" in verify["responses"]


def test_openapi_schemas_are_the_validating_schemas(client):
    components = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    template = "#/components/schemas/{model}"
    expected = EligibilityRequest.model_json_schema(ref_template=template)
    assert components["EligibilityRequest"] == expected
    assert set(components["EligibilityRequest"]["properties"]) == {
        "national_code",
        "mother_national_code",
        "birth_date",
    }
    assert components["EligibilityAnswer"]["properties"]["label"]["enum"] == [
        "حمایت درمانی دارد",
        "حمایت درمانی ندارد",
    ]
    assert EligibilityAnswer.__name__ in components
