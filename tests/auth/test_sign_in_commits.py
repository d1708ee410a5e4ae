"""One unit of work per sign-in request: a read commits nothing, a write commits once, what must
stick although the answer is an error is committed at once (`commit_now`: a counted try, a spent
passkey challenge, a stale session ended), and a request failing half-way leaves nothing else."""

import pytest
from authenticator import SoftAuthenticator
from families import INSURED, INSURED_MOBILE
from sqlalchemy import func, select

from server.auth import sessions, webauthn
from server.extensions import db
from server.models import Account, DeviceSession, Passkey, SmsChallenge, UsedToken


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def challenge(app) -> SmsChallenge:
    with app.app_context():
        found = db.session.execute(select(SmsChallenge)).scalar_one()
        db.session.expunge(found)
        return found


def device(app) -> DeviceSession:
    with app.app_context():
        found = db.session.execute(select(DeviceSession)).scalar_one()
        db.session.expunge(found)
        return found


def broken(*args, **kwargs):
    raise RuntimeError("the disk is full")


@pytest.fixture
def signed_in(family, citizen):
    """Ali, just signed in with an SMS code."""
    assert citizen.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    return citizen


def test_the_citizens_reads_commit_nothing(signed_in, count_commits):
    for url in ("/api/me", "/api/me/sessions", "/api/auth/passkeys", "/api/auth/csrf"):
        count_commits.reset()
        answer = signed_in.get(url)
        assert answer.status_code == 200, (url, answer.get_json())
        assert count_commits.count == 0, (url, count_commits.statements)


def test_the_citizens_writes_commit_once(app, signed_in, make_citizen, clock, count_commits):
    count_commits.reset()
    chosen = signed_in.client.put(
        "/api/me/locale", json={"locale": "en"}, headers={"X-CSRFToken": signed_in.csrf_token}
    )
    assert chosen.status_code == 200
    assert count_commits.count == 1, count_commits.statements

    clock.move(seconds=61)
    laptop = make_citizen()
    assert laptop.sign_in(INSURED, INSURED_MOBILE).status_code == 200
    mine = signed_in.get("/api/me/sessions").get_json()["sessions"]
    other = next(row["id"] for row in mine if not row["current"])
    count_commits.reset()
    assert signed_in.delete(f"/api/me/sessions/{other}").status_code == 200
    assert count_commits.count == 1, count_commits.statements

    count_commits.reset()
    assert signed_in.post("/api/auth/logout").status_code == 200
    assert count_commits.count == 1, count_commits.statements


def test_an_sms_sign_in_stores_the_code_before_the_sms_then_commits_the_sign_in(
    app, family, citizen, count_commits
):
    count_commits.reset()
    started = citizen.start(INSURED, INSURED_MOBILE)
    assert started.status_code == 200
    assert count_commits.count == 1  # commit_now: the challenge is stored before its SMS goes

    count_commits.reset()
    verified = citizen.verify(started.get_json()["request_id"], citizen.last_sms()["code"])
    assert verified.status_code == 200
    # commit_now counts the try before the code is compared; the request commits the sign-in
    assert count_commits.count == 2, count_commits.statements
    assert rows(app, Account) == 1 and rows(app, DeviceSession) == 1


def test_a_wrong_code_is_counted_at_once(app, family, citizen, count_commits):
    started = citizen.start(INSURED, INSURED_MOBILE).get_json()
    right = citizen.last_sms()["code"]
    count_commits.reset()
    wrong = citizen.verify(started["request_id"], "000000" if right != "000000" else "111111")
    assert (wrong.status_code, wrong.get_json()["error"]) == (400, "code_wrong")
    assert wrong.get_json()["attempts_left"] == 2
    assert count_commits.count == 1  # the try, by commit_now, although the answer is an error
    assert challenge(app).failed_attempts == 1
    assert rows(app, Account) == 0


def test_a_sign_in_failing_half_way_registers_nobody_and_leaves_the_code_usable(
    app, family, citizen, monkeypatch
):
    started = citizen.start(INSURED, INSURED_MOBILE).get_json()
    code = citizen.last_sms()["code"]
    monkeypatch.setattr(sessions, "login_user", broken)
    failed = citizen.verify(started["request_id"], code)
    assert (failed.status_code, failed.get_json()["error"]) == (500, "internal_error")
    assert rows(app, Account) == 0  # the registration is undone
    assert rows(app, DeviceSession) == 0
    spent = challenge(app)
    assert spent.failed_attempts == 1  # the try was counted at once
    assert spent.used_at is None  # its spending went with the failed request

    monkeypatch.undo()
    citizen.csrf_token = citizen.get("/api/auth/csrf").get_json()["csrf_token"]
    again = citizen.verify(started["request_id"], code)
    assert again.status_code == 200, again.get_json()
    assert rows(app, Account) == 1


def test_a_locale_change_failing_half_way_is_not_kept(app, signed_in, monkeypatch):
    import server.auth.views as views

    monkeypatch.setattr(views, "me", broken)
    failed = signed_in.client.put(
        "/api/me/locale", json={"locale": "en"}, headers={"X-CSRFToken": signed_in.csrf_token}
    )
    assert failed.status_code == 500
    with app.app_context():
        assert db.session.scalar(select(Account.locale)) != "en"


def test_a_stale_session_is_ended_at_once_and_a_visit_moves_last_seen_with_the_request(
    app, signed_in, clock, count_commits
):
    seen = device(app).last_seen_at
    clock.move(minutes=6)
    count_commits.reset()
    assert signed_in.get("/api/me").status_code == 200
    assert count_commits.count == 1  # the request's own commit: the new `last_seen_at`
    assert device(app).last_seen_at > seen

    clock.move(minutes=6)
    seen = device(app).last_seen_at
    assert signed_in.delete("/api/me/sessions/nobody").status_code == 404
    assert device(app).last_seen_at == seen  # a failed request keeps nothing

    clock.move(days=31)
    count_commits.reset()
    answer = signed_in.get("/api/me")
    assert (answer.status_code, answer.get_json()["error"]) == (401, "session_ended")
    assert "۳۰ روز" in answer.get_json()["message"]  # the open app says why
    assert count_commits.count == 1  # commit_now: ended although the answer is a 401
    assert (device(app).ended_at is not None, device(app).end_reason) == (True, "expired")


def test_a_passkey_challenge_is_spent_even_when_its_request_fails(app, signed_in, monkeypatch):
    phone = SoftAuthenticator()
    ceremony = signed_in.post("/api/auth/passkeys/register/options").get_json()
    credential = phone.create(ceremony["options"])
    body = {"state": ceremony["state"], "credential": credential, "name": "گوشی من"}
    monkeypatch.setattr(webauthn, "verify_registration_response", broken)
    failed = signed_in.post("/api/auth/passkeys/register/verify", body)
    assert failed.status_code == 500
    assert rows(app, UsedToken) == 1  # spent by commit_now
    assert rows(app, Passkey) == 0

    monkeypatch.undo()
    again = signed_in.post("/api/auth/passkeys/register/verify", body)
    assert (again.status_code, again.get_json()["error"]) == (400, "passkey_expired")
    assert rows(app, Passkey) == 0


def test_adding_a_passkey_commits_the_spent_challenge_then_the_key(app, signed_in, count_commits):
    phone = SoftAuthenticator()
    ceremony = signed_in.post("/api/auth/passkeys/register/options").get_json()
    count_commits.reset()
    added = signed_in.post(
        "/api/auth/passkeys/register/verify",
        {"state": ceremony["state"], "credential": phone.create(ceremony["options"])},
    )
    assert added.status_code == 201, added.get_json()
    assert count_commits.count == 2  # commit_now spends the challenge; the request keeps the key
    assert rows(app, Passkey) == 1
