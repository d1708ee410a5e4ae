"""Every state-changing citizen request needs the CSRF token; proxies are trusted only as told."""

import re

import pytest

from server import create_app

# Not citizens' (no cookies): bearer tokens, or gateways that sign each body (tests/channels/).
NOT_CITIZENS = ("/api/provider/", "/fhir/", "/api/ussd", "/api/sms/inbound")


def citizen_writes(app) -> list[tuple[str, str]]:
    """(method, path) of every POST, PUT and DELETE outside the provider, FHIR and gateway APIs."""
    writes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(NOT_CITIZENS):
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule).replace("<session_id>", "x")
        writes += [(method, path) for method in rule.methods & {"POST", "PUT", "DELETE"}]
    return sorted(writes)


def test_there_are_citizen_writes_to_protect(app):
    assert ("POST", "/api/auth/sms/start") in citizen_writes(app)
    assert ("DELETE", "/api/auth/passkeys/1") in citizen_writes(app)


def test_every_citizen_write_refuses_a_request_without_the_csrf_token(app):
    client = app.test_client()
    client.get("/api/auth/csrf")  # a session exists, but the header is missing
    for method, path in citizen_writes(app):
        response = client.open(path, method=method, json={})
        assert (response.status_code, response.get_json()["error"]) == (400, "csrf_failed"), path


def test_a_token_from_another_session_is_refused(app):
    theirs = app.test_client().get("/api/auth/csrf").get_json()["csrf_token"]
    client = app.test_client()
    client.get("/api/auth/csrf")
    response = client.post("/api/auth/passkeys/login/options", headers={"X-CSRFToken": theirs})
    assert response.get_json()["error"] == "csrf_failed"


@pytest.mark.parametrize(("hops", "expected"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_forwarded_addresses_are_trusted_only_behind_a_known_proxy(app, hops, expected):
    configured = create_app({**app.config, "DARMAN_PROXY_HOPS": hops})

    @configured.get("/test-address")
    def address():
        from flask import request

        return {"address": request.remote_addr}

    response = configured.test_client().get(
        "/test-address", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert response.get_json()["address"] == expected
