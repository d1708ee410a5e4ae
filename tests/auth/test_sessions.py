"""Signed-in devices: cookie flags, 30 days of use, listing and ending sessions, signing out."""

from families import INSURED, INSURED_MOBILE

from server import create_app


def cookie_header(response) -> str:
    """The Set-Cookie header of the session cookie."""
    return next(
        h for h in response.headers.getlist("Set-Cookie") if "session" in h or "darman" in h
    )


def test_the_session_cookie_is_httponly_and_lax(family, citizen):
    answer = citizen.sign_in(INSURED, INSURED_MOBILE)
    header = cookie_header(answer)
    assert header.startswith("darman=")
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_outside_local_development_the_cookie_is_host_prefixed_and_secure(app):
    production = create_app({**app.config, "DARMAN_ORIGIN": "https://darman.example"})
    assert production.config["SESSION_COOKIE_NAME"] == "__Host-darman"
    client = production.test_client()
    response = client.get("/api/auth/csrf", base_url="https://darman.example")
    header = response.headers["Set-Cookie"]
    assert header.startswith("__Host-darman=")
    assert "Secure" in header and "Path=/" in header and "Domain" not in header


def test_without_signing_in_the_citizen_api_answers_401(citizen):
    for url in ("/api/me", "/api/eligibility", "/api/family", "/api/me/sessions"):
        response = citizen.get(url)
        assert (response.status_code, response.get_json()["error"]) == (401, "sign_in_required")


def test_a_device_stays_signed_in_for_30_days_of_use(family, citizen, clock):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    for _ in range(3):  # used every 29 days: still signed in after 87 days
        clock.move(days=29)
        assert citizen.get("/api/me").status_code == 200
    clock.move(days=31)  # 31 days unused
    assert citizen.get("/api/me").status_code == 401


def test_my_devices_are_listed_and_one_can_end_another(family, make_citizen, clock):
    phone, laptop = make_citizen(), make_citizen()
    phone.client.environ_base["HTTP_USER_AGENT"] = (
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
    )
    phone.sign_in(INSURED, INSURED_MOBILE)
    clock.move(seconds=61)
    laptop.sign_in(INSURED, INSURED_MOBILE)
    listed = phone.get("/api/me/sessions").get_json()["sessions"]
    assert len(listed) == 2
    current = [s for s in listed if s["current"]]
    assert len(current) == 1 and current[0]["browser"] == "Chrome · Android"
    assert {s["method"] for s in listed} == {"sms"}
    other = next(s for s in listed if not s["current"])
    assert phone.delete(f"/api/me/sessions/{other['id']}").status_code == 200
    ended = laptop.get("/api/me")  # the laptop's open app is told why, not just «sign in»
    assert (ended.status_code, ended.get_json()["error"]) == (401, "session_ended")
    assert "از یکی دیگر از دستگاه‌هایتان" in ended.get_json()["message"]
    assert phone.get("/api/me").status_code == 200
    assert phone.delete(f"/api/me/sessions/{other['id']}").status_code == 404


def test_one_cannot_end_another_persons_session(family, make_citizen, clock):
    mine, theirs = make_citizen(), make_citizen()
    mine.sign_in(INSURED, INSURED_MOBILE)
    theirs.sign_in("0034567895", "09131111111")
    their_id = theirs.get("/api/me/sessions").get_json()["sessions"][0]["id"]
    assert mine.delete(f"/api/me/sessions/{their_id}").status_code == 404
    assert theirs.get("/api/me").status_code == 200


def test_signing_out_ends_the_session_even_for_a_copied_cookie(family, citizen, make_citizen):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    stolen = citizen.client.get_cookie("darman").value
    assert citizen.post("/api/auth/logout").status_code == 200
    assert citizen.get("/api/me").status_code == 401
    replay = make_citizen()
    replay.client.set_cookie("darman", stolen)
    assert replay.get("/api/me").status_code == 401


def test_recent_sign_in_lasts_ten_minutes(family, citizen, clock):
    citizen.sign_in(INSURED, INSURED_MOBILE)
    assert citizen.get("/api/me").get_json()["recent_sign_in"] is True
    clock.move(minutes=11)
    assert citizen.get("/api/me").get_json()["recent_sign_in"] is False
    citizen.sign_in(INSURED, INSURED_MOBILE)  # an SMS code again confirms it is me
    assert citizen.get("/api/me").get_json()["recent_sign_in"] is True
    assert len(citizen.get("/api/me/sessions").get_json()["sessions"]) == 1


def test_the_chosen_language_is_kept_for_notices(app, family, citizen):
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Account

    citizen.sign_in(INSURED, INSURED_MOBILE)
    answer = citizen.client.put(
        "/api/me/locale", json={"locale": "en"}, headers={"X-CSRFToken": citizen.csrf_token}
    )
    assert (answer.status_code, answer.get_json()["locale"]) == (200, "en")
    refused = citizen.client.put(
        "/api/me/locale", json={"locale": "de"}, headers={"X-CSRFToken": citizen.csrf_token}
    )
    assert refused.status_code == 400 and refused.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(Account.locale)) == "en"
