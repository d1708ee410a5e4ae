"""The provider API: tokens, the general inquiry, the newborn inquiry, verifying tracking codes."""

import hashlib

import pytest
from families import INSURED, SON, UNKNOWN, WIFE
from sqlalchemy import func, select

from server.domain.tracking import is_valid_tracking_code
from server.extensions import db
from server.models import Inquiry, Provider, ProviderToken

COVERED = "حمایت درمانی دارد"
NOT_COVERED = "حمایت درمانی ندارد"


@pytest.fixture
def token(runner):
    """A doctor's token, made with the real command."""
    result = runner.invoke(args=["darman", "provider", "create", "دکتر احمدی", "--kind", "doctor"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def ask(client, token, body, **headers):
    """POST a general inquiry."""
    headers.setdefault("Authorization", f"Bearer {token}")
    return client.post("/api/provider/eligibility", json=body, headers=headers)


def inquiry_count(app) -> int:
    """How many inquiries are logged."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Inquiry))


def test_provider_create_prints_the_token_alone_and_keeps_only_its_hash(app, token):
    assert len(token.split()) == 1 and len(token) >= 40
    with app.app_context():
        provider = db.session.execute(select(Provider)).scalar_one()
        stored = db.session.execute(select(ProviderToken)).scalar_one()
    assert (provider.name, provider.kind, provider.status) == ("دکتر احمدی", "doctor", "active")
    assert stored.provider_id == provider.id
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.scopes == "eligibility,prescribe,records"


def test_provider_create_refuses_an_unknown_kind(runner, app):
    result = runner.invoke(args=["darman", "provider", "create", "x", "--kind", "barber"])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.execute(select(Provider)).first() is None


@pytest.mark.parametrize(
    ("national_code", "covered", "label"),
    [
        pytest.param(INSURED, True, COVERED, id="insured-worker"),
        pytest.param(WIFE, True, COVERED, id="wife"),
        pytest.param(SON, False, NOT_COVERED, id="son-21-no-certificate"),
        pytest.param(UNKNOWN, False, NOT_COVERED, id="not-in-registry"),
        pytest.param("۰۰۱۲۳۴۵۶۷۹", True, COVERED, id="persian-digits"),
        pytest.param("12345679", True, COVERED, id="leading-zeros-dropped"),
    ],
)
def test_general_inquiry(app, client, family, token, national_code, covered, label):
    response = ask(client, token, {"national_code": national_code})
    assert response.status_code == 200
    answer = response.get_json()
    assert (answer["covered"], answer["label"]) == (covered, label)
    assert is_valid_tracking_code(answer["tracking_code"])
    assert set(answer) == {"covered", "label", "tracking_code"}  # no expiry, no name
    assert response.headers["Cache-Control"] == "no-store"


def test_every_inquiry_is_logged_with_a_fresh_tracking_code(app, client, family, token):
    codes = {ask(client, token, {"national_code": INSURED}).get_json()["tracking_code"]}
    codes.add(ask(client, token, {"national_code": INSURED}).get_json()["tracking_code"])
    assert len(codes) == 2
    with app.app_context():
        logged = db.session.execute(select(Inquiry)).scalars().all()
        provider_id = db.session.scalar(select(Provider.id))
    assert {row.tracking_code for row in logged} == codes
    assert {(row.channel, row.provider_id, row.national_code, row.covered) for row in logged} == {
        ("provider", provider_id, INSURED, True)
    }


def verify(client, token, tracking_code, national_code=None):
    """GET a logged inquiry by its tracking code (and the national code it was about)."""
    query = "" if national_code is None else f"?national_code={national_code}"
    return client.get(
        f"/api/provider/inquiries/{tracking_code}{query}",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_tracking_code_can_be_verified(client, family, token):
    tracking_code = ask(client, token, {"national_code": SON}).get_json()["tracking_code"]
    response = verify(client, token, tracking_code, SON)
    assert response.status_code == 200
    found = response.get_json()
    assert found["tracking_code"] == tracking_code
    assert (found["national_code"], found["covered"], found["label"]) == (SON, False, NOT_COVERED)
    assert found["channel"] == "provider"
    assert found["asked_at"].endswith("+03:30")  # Tehran time
    assert any(month in found["asked_at_jalali"] for month in ("آذر", "آبان", "دی"))


def test_the_national_code_may_be_typed_in_persian_digits(client, family, token):
    tracking_code = ask(client, token, {"national_code": SON}).get_json()["tracking_code"]
    assert verify(client, token, tracking_code, "۰۰۳۴۵۶۷۸۹۵").status_code == 200


def test_a_tracking_code_no_longer_reveals_whose_it_is(client, family, token):
    tracking_code = ask(client, token, {"national_code": SON}).get_json()["tracking_code"]
    wrong = verify(client, token, tracking_code, INSURED)
    unknown = verify(client, token, "123456789015", SON)
    assert wrong.status_code == unknown.status_code == 404
    assert (
        wrong.get_json()
        == unknown.get_json()
        == {
            "error": "unknown_tracking_code",
            "message": "استعلامی با این کد رهگیری و این کد ملی ثبت نشده است.",
        }
    )
    missing = verify(client, token, tracking_code)
    assert missing.status_code == 400
    assert missing.get_json()["error"] == "missing_national_code"
    assert SON not in missing.get_data(as_text=True)


@pytest.mark.parametrize(
    ("tracking_code", "national_code", "status", "error"),
    [
        pytest.param("123456789012", SON, 400, "invalid_tracking_code", id="bad-check-digit"),
        pytest.param("12345", SON, 400, "invalid_tracking_code", id="too-short"),
        pytest.param("123456789015", SON, 404, "unknown_tracking_code", id="valid-but-unknown"),
        pytest.param("123456789015", "0034567890", 400, "invalid_national_code", id="bad-code"),
        pytest.param("123456789015", "x" * 50, 400, "invalid_national_code", id="long-code"),
    ],
)
def test_verifying_a_wrong_tracking_code(
    client, token, tracking_code, national_code, status, error
):
    response = verify(client, token, tracking_code, national_code)
    assert response.status_code == status
    assert response.get_json()["error"] == error
    assert response.get_json()["message"]


def test_lookups_that_find_nothing_are_limited_per_provider(
    app, client, family, token, runner, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR", 3)
    tracking_code = ask(client, token, {"national_code": SON}).get_json()["tracking_code"]
    for _ in range(3):
        assert verify(client, token, "123456789015", SON).status_code == 404
    clock.move(minutes=20)
    refused = verify(client, token, tracking_code, SON)  # even a right one, while it waits
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) == 40 * 60
    assert "۴۰ دقیقه" in refused.get_json()["message"]
    other = runner.invoke(args=["darman", "provider", "create", "داروخانه", "--kind", "pharmacy"])
    assert verify(client, other.output.strip(), tracking_code, SON).status_code == 200
    clock.move(minutes=41)
    assert verify(client, token, tracking_code, SON).status_code == 200


def test_found_lookups_are_not_counted(app, client, family, token):
    tracking_code = ask(client, token, {"national_code": SON}).get_json()["tracking_code"]
    limit = app.config["DARMAN_INQUIRY_LOOKUP_MISSES_PER_HOUR"]
    for _ in range(limit + 1):
        assert verify(client, token, tracking_code, SON).status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("Bearer not-a-token", id="wrong-token"),
        pytest.param("Basic dXNlcjpwYXNz", id="wrong-scheme"),
        pytest.param("Bearer ", id="empty"),
    ],
)
def test_without_a_valid_token_the_answer_is_401(app, client, family, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(
        "/api/provider/eligibility", json={"national_code": INSURED}, headers=headers
    )
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert inquiry_count(app) == 0


def test_the_token_is_checked_before_the_body(client):
    response = client.post("/api/provider/eligibility", json={"national_code": "12"})
    assert response.status_code == 401


def newborn(birth_date: str) -> dict:
    """A newborn inquiry: Zahra's code and a birth date."""
    return {"mother_national_code": WIFE, "birth_date": birth_date}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        pytest.param({"national_code": "0012345678"}, "invalid_national_code", id="checksum"),
        pytest.param({"national_code": "1111111111"}, "invalid_national_code", id="equal-digits"),
        pytest.param({"national_code": "12ab567890"}, "invalid_national_code", id="letters"),
        pytest.param({"national_code": 12345679}, "invalid_request", id="a-number"),
        pytest.param({}, "ambiguous_inquiry", id="nothing"),
        pytest.param(
            {"national_code": INSURED, "mother_national_code": WIFE, "birth_date": "2026-11-20"},
            "ambiguous_inquiry",
            id="both",
        ),
        pytest.param({"mother_national_code": WIFE}, "ambiguous_inquiry", id="no-birth-date"),
        pytest.param(
            {"mother_national_code": WIFE, "birth_date": "2026-02-30"},
            "invalid_date",
            id="date-that-does-not-exist",
        ),
        pytest.param(
            {"mother_national_code": WIFE, "birth_date": "2026-12-01"},
            "future_date",
            id="born-tomorrow",
        ),
        pytest.param(newborn("1985-03-03"), "not_a_newborn", id="born-with-the-mother"),
        pytest.param(newborn("0001-01-01"), "not_a_newborn", id="born-in-year-one"),
        pytest.param(newborn("2025-11-20"), "not_a_newborn", id="born-367-days-ago"),
    ],
)
def test_bad_input_is_a_400_in_persian_and_logs_nothing(app, client, family, token, body, error):
    response = ask(client, token, body)
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["error"] == error
    assert any("\u0600" <= ch <= "\u06ff" for ch in answer["message"])  # Persian text
    assert inquiry_count(app) == 0


def test_bad_input_in_english_when_asked(client, family, token):
    response = ask(client, token, {"national_code": "0012345678"}, **{"Accept-Language": "en"})
    assert response.get_json()["message"] == "The national code is not valid. Please check it."


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"[1, 2]", b'"0012345679"', b"{", b"null", '{"national_code": "\u0000"}'],
)
def test_malformed_bodies_never_cause_a_500(app, client, token, raw):
    response = client.post(
        "/api/provider/eligibility",
        data=raw,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"] in {"invalid_json", "invalid_national_code"}
    assert inquiry_count(app) == 0


@pytest.mark.parametrize(
    ("birth_date", "covered"),
    [
        pytest.param("2026-11-22", True, id="born-today"),
        pytest.param("2026-10-24", True, id="born-2-aban-covered-to-1-azar-today"),
        pytest.param("2026-10-23", False, id="born-1-aban-covered-to-30-aban-yesterday"),
    ],
)
def test_newborn_inquiry_under_the_mothers_code(app, client, family, token, birth_date, covered):
    body = {"mother_national_code": WIFE, "birth_date": birth_date}
    answer = ask(client, token, body).get_json()
    assert (answer["covered"], answer["label"]) == (covered, COVERED if covered else NOT_COVERED)
    with app.app_context():
        logged = db.session.execute(select(Inquiry)).scalar_one()
    assert (logged.national_code, logged.newborn_birth_date.isoformat()) == (WIFE, birth_date)


def test_newborn_of_a_mother_without_cover_is_not_covered(client, family, token, registry):
    registry.clear()
    registry.write(
        "dependants.csv",
        "insured_national_code,national_code,relation,start_date,end_date",
        f"{INSURED},{WIFE},spouse,2010-01-01,2026-11-01",
    )
    assert registry.load().exit_code == 0
    body = {"mother_national_code": WIFE, "birth_date": "2026-11-20"}
    assert ask(client, token, body).get_json()["covered"] is False
