"""Provider tokens: revoke and rotate (refused at once on every worker), expiry, last use,
scopes, and per-token limits kept in the database."""

import pytest
from families import INSURED, INSURED_MOBILE, WIFE
from sqlalchemy import select

from server import create_app
from server.extensions import db
from server.models import ProviderToken


def ask(client, token: str):
    """A general inquiry with this token."""
    headers = {"Authorization": f"Bearer {token}"}
    return client.post("/api/provider/eligibility", json={"national_code": WIFE}, headers=headers)


@pytest.fixture
def doctor(flask_command) -> str:
    """A doctor's token."""
    return flask_command("provider", "create", "مطب دکتر احمدی", "--kind", "doctor")


@pytest.fixture
def second_worker(app):
    """Another app instance on the same database, as a second gunicorn worker would be."""
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "DARMAN_TODAY": app.config["DARMAN_TODAY"],
        }
    )
    yield other
    with other.app_context():
        db.engine.dispose()


def test_a_revoked_token_is_refused_at_once_on_another_worker(
    family, client, second_worker, doctor, flask_command, token_id
):
    other = second_worker.test_client()
    assert ask(other, doctor).status_code == 200  # the other worker has seen the token
    assert flask_command("provider", "revoke", str(token_id(doctor))).endswith("revoked")
    refused = ask(other, doctor)
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "invalid_token"
    assert ask(client, doctor).status_code == 401


def test_rotate_prints_the_new_token_alone_and_the_old_one_stops(
    family, client, doctor, flask_command, token_id
):
    new = flask_command("provider", "rotate", str(token_id(doctor)))
    assert len(new.split()) == 1 and len(new) >= 40 and new != doctor
    assert ask(client, doctor).status_code == 401
    assert ask(client, new).status_code == 200


def test_rotating_a_revoked_token_is_refused(runner, doctor, flask_command, token_id):
    flask_command("provider", "revoke", str(token_id(doctor)))
    result = runner.invoke(args=["darman", "provider", "rotate", str(token_id(doctor))])
    assert result.exit_code != 0


def test_a_token_expires_after_the_configured_days(family, app, client, clock, settings, runner):
    settings(DARMAN_PROVIDER_TOKEN_DAYS=2)
    token = runner.invoke(
        args=["darman", "provider", "create", "x", "--kind", "lab"]
    ).output.strip()
    clock.move(days=1, hours=23)
    assert ask(client, token).status_code == 200
    clock.move(hours=2)
    assert ask(client, token).status_code == 401


def test_last_used_at_is_kept(family, app, client, doctor, token_id):
    with app.app_context():
        assert db.session.get(ProviderToken, token_id(doctor)).last_used_at is None
    ask(client, doctor)
    with app.app_context():
        assert db.session.get(ProviderToken, token_id(doctor)).last_used_at is not None


def test_a_suspended_centre_s_token_is_refused(family, client, doctor, flask_command, app):
    with app.app_context():
        centre_id = db.session.scalar(select(ProviderToken.provider_id))
    flask_command("centre", "suspend", str(centre_id))
    assert ask(client, doctor).status_code == 401


def test_inquiries_are_limited_per_token_with_retry_after(family, client, settings, doctor, runner):
    settings(DARMAN_PROVIDER_INQUIRIES_PER_MINUTE=3)
    other = runner.invoke(args=["darman", "provider", "create", "y", "--kind", "doctor"])
    assert [ask(client, doctor).status_code for _ in range(3)] == [200, 200, 200]
    limited = ask(client, doctor)
    assert limited.status_code == 429
    assert limited.get_json()["error"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert ask(client, other.output.strip()).status_code == 200  # another token is not held up


def test_the_limit_holds_across_workers(family, client, second_worker, settings, doctor):
    settings(DARMAN_PROVIDER_INQUIRIES_PER_MINUTE=2)
    second_worker.config["DARMAN_PROVIDER_INQUIRIES_PER_MINUTE"] = 2
    assert ask(client, doctor).status_code == 200
    assert ask(second_worker.test_client(), doctor).status_code == 200
    assert ask(client, doctor).status_code == 429
    assert ask(second_worker.test_client(), doctor).status_code == 429


def test_record_reads_are_limited_per_hour(family, client, settings, doctor):
    settings(DARMAN_PROVIDER_RECORD_READS_PER_HOUR=1)
    headers = {"Authorization": f"Bearer {doctor}"}
    ask(client, doctor)  # a visit
    url = f"/api/provider/patients/{WIFE}/records"
    assert client.get(url, headers=headers).status_code == 200
    limited = client.get(url, headers=headers)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 60


def test_a_bucket_drains_at_its_rate(family, client, settings, doctor, clock):
    settings(DARMAN_PROVIDER_INQUIRIES_PER_MINUTE=2)  # drains one hit every 30 seconds
    assert [ask(client, doctor).status_code for _ in range(2)] == [200, 200]
    limited = ask(client, doctor)
    assert limited.status_code == 429
    assert 29 <= int(limited.headers["Retry-After"]) <= 30
    clock.move(seconds=15)
    assert ask(client, doctor).status_code == 429  # half a hit has drained: not enough
    clock.move(seconds=16)
    assert ask(client, doctor).status_code == 200  # one hit's room
    assert ask(client, doctor).status_code == 429
    clock.move(minutes=2)
    assert [ask(client, doctor).status_code for _ in range(3)] == [200, 200, 429]


def test_refused_requests_count_against_the_limit_too(family, client, settings, doctor):
    """A code that is not a visiting patient's is a 403, rolled back, but its count is kept:
    sweeping national codes runs into the limit."""
    settings(DARMAN_PROVIDER_RECORD_READS_PER_HOUR=2)
    headers = {"Authorization": f"Bearer {doctor}"}
    url = f"/api/provider/patients/{WIFE}/records"  # no inquiry about her: no visit
    answers = [client.get(url, headers=headers) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [403, 403, 429]
    assert answers[0].get_json()["error"] == "no_visit"


def test_a_token_without_the_scope_is_refused(family, app, client, flask_command):
    centre = flask_command(
        "centre",
        "create",
        "مطب دکتر رضایی",
        "--kind",
        "doctor",
        "--admin",
        f"{INSURED}:{INSURED_MOBILE}",
    )
    from server.centres import tokens

    with app.app_context():
        _, token = tokens.create_token(int(centre), "فقط استعلام", ["eligibility"])
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert ask(client, token).status_code == 200
    refused = client.get(f"/api/provider/patients/{WIFE}/records", headers=headers)
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "insufficient_scope"


def test_a_token_cannot_have_scopes_beyond_the_centre_s_kind(app, flask_command):
    from server.centres import tokens
    from server.domain.refusal import Invalid

    flask_command("provider", "create", "داروخانه", "--kind", "pharmacy")
    with app.app_context():
        centre_id = db.session.scalar(select(ProviderToken.provider_id))
        with pytest.raises(Invalid) as refused:
            tokens.create_token(centre_id, "x", ["prescribe"])
        assert (refused.value.code, refused.value.details) == (
            "invalid_scopes",
            {"field": "scopes"},
        )


def test_centre_create_prints_the_id_alone_and_refuses_a_wrong_mobile(runner, family):
    made = runner.invoke(
        args=[
            "darman",
            "centre",
            "create",
            "داروخانه شفا",
            "--kind",
            "pharmacy",
            "--admin",
            f"{INSURED}:{INSURED_MOBILE}",
        ]  # fmt: skip
    )
    assert made.exit_code == 0 and made.output.strip().isdigit()
    wrong = runner.invoke(
        args=[
            "darman",
            "centre",
            "create",
            "x",
            "--kind",
            "pharmacy",
            "--admin",
            f"{INSURED}:09120000000",
        ]  # fmt: skip
    )
    assert wrong.exit_code != 0
