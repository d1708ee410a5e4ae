"""One JSON line per request, with the request id the answer carries back, and nothing private."""

import re

from families import INSURED, INSURED_MOBILE, SON


def test_one_line_per_request_with_the_id_it_answered(client, request_lines):
    response = client.get("/api/ping")
    second = client.get("/api/ping")
    lines = request_lines.parsed()
    assert len(lines) == 2
    line = lines[0]
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["request_id"] != second.headers["X-Request-Id"]
    assert (line["method"], line["route"], line["status"]) == ("GET", "/api/ping", 200)
    assert line["duration_ms"] >= 0 and line["node"]


def test_the_proxy_request_id_is_kept_and_a_strange_one_replaced(client, request_lines):
    given = "0f" * 16
    assert client.get("/api/ping", headers={"X-Request-Id": given}).headers["X-Request-Id"] == given
    odd = client.get("/api/ping", headers={"X-Request-Id": "<script>" + "x" * 100})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-Id"])
    assert [line["request_id"] for line in request_lines.parsed()] == [
        given,
        odd.headers["X-Request-Id"],
    ]


def test_errors_are_logged_with_their_status_and_no_path(client, request_lines):
    response = client.get(f"/api/nothing/{INSURED}")
    assert response.status_code == 404
    (line,) = request_lines.parsed()
    assert (line["route"], line["status"]) == ("unmatched", 404)
    assert response.headers["X-Request-Id"] == line["request_id"]


def test_no_national_code_mobile_or_token_reaches_the_log(
    client, citizen, family, token, request_lines
):
    bearer = {"Authorization": f"Bearer {token}"}
    client.post("/api/provider/eligibility", json={"national_code": INSURED}, headers=bearer)
    client.get(f"/api/provider/patients/{SON}/records", headers=bearer)
    client.get(f"/api/provider/inquiries/XYZ?national_code={INSURED}", headers=bearer)
    signed_in = citizen.sign_in(INSURED, INSURED_MOBILE)
    assert signed_in.status_code == 200
    citizen.get(f"/api/records?national_code={SON}")
    text = "\n".join(request_lines.lines)
    assert len(request_lines.lines) == 6  # every request above, each once
    code = citizen.last_sms()["code"]
    for secret in (INSURED, SON, INSURED_MOBILE, token, token[:12], code):
        assert secret not in text
    routes = {line["route"] for line in request_lines.parsed()}
    assert "/api/provider/patients/<national_code>/records" in routes
