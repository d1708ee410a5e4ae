"""`GET /api/provider/statements?from=&to=` (bearer): the token's centre's claims day by day —
price, patients' and SSO's shares, the advance paid and what is held once settled — and its
contracts; another centre's claims never show; bad dates are a 400 naming the field."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import ClaimLine, Contract, Person, Provider

RAZI, SINA = "داروخانه رازی", "داروخانه سینا"


@pytest.fixture
def tokens(app, family, make_provider) -> dict[str, str]:
    """Two pharmacies' tokens; Razi contracted from 1 November, with claims on two days."""
    made = {RAZI: make_provider(RAZI, "pharmacy"), SINA: make_provider(SINA, "pharmacy")}
    with app.app_context():
        ids = dict(db.session.execute(select(Provider.name, Provider.id)).all())
        person = db.session.scalar(select(Person.id).limit(1))
        db.session.add(
            Contract(provider_id=ids[RAZI], valid_from=date(2026, 11, 1), made_at=datetime.now(UTC))
        )
        for name, day, patient, sso in [
            (RAZI, date(2026, 11, 20), 300, 700),
            (RAZI, date(2026, 11, 20), 30, 71),
            (RAZI, date(2026, 11, 21), 3_000, 7_000),
            (SINA, date(2026, 11, 21), 5, 5),
        ]:
            db.session.add(
                ClaimLine(
                    provider_id=ids[name], service_date=day, kind="drug", code="D1001",
                    quantity=1, unit_price=patient + sso, price=patient + sso,
                    patient_share=patient, sso_share=sso, rule="outpatient", person_id=person,
                    tracking_code="123456789012", created_at=datetime.now(UTC), status="open",
                    deducted=0,
                )
            )  # fmt: skip
        db.session.commit()
    return made


def statement(client, token: str, query: str = ""):
    """The statement answer."""
    return client.get(
        f"/api/provider/statements{query}", headers={"Authorization": f"Bearer {token}"}
    )


def test_days_totals_and_the_advance_once_settled(client, runner, tokens):
    assert runner.invoke(args=["darman", "settle", "--date", "2026-11-20"]).exit_code == 0
    answer = statement(client, tokens[RAZI], "?from=2026-11-01&to=2026-11-22")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["contracted_today"] is True
    assert body["contracts"] == [{"valid_from": "2026-11-01", "valid_until": None}]
    assert [(d["date"], d["lines"], d["price"], d["sso_share"]) for d in body["days"]] == [
        ("2026-11-20", 2, 1_101, 771),
        ("2026-11-21", 1, 10_000, 7_000),
    ]
    settled, waiting = body["days"]
    assert (settled["settled"], settled["payable"], settled["advance"], settled["held"]) == (
        True, True, 616, 155  # 80 % of 771 is 616.8: 616 now, 155 held
    )  # fmt: skip
    assert (waiting["settled"], waiting["advance"], waiting["held"]) == (False, 0, 0)
    assert body["totals"] == {
        "lines": 3, "price": 11_101, "patient_share": 3_330, "sso_share": 7_771,
        "advance": 616, "held": 155,
    }  # fmt: skip


def test_another_centre_sees_only_its_own(client, tokens):
    body = statement(client, tokens[SINA], "?from=2026-11-01&to=2026-11-22").get_json()
    assert [(d["date"], d["price"]) for d in body["days"]] == [("2026-11-21", 10)]
    assert body["contracted_today"] is False and body["contracts"] == []


def test_the_default_is_the_last_31_days(client, tokens):
    body = statement(client, tokens[RAZI]).get_json()
    assert (body["from"], body["to"]) == ("2026-10-23", "2026-11-22")
    assert len(body["days"]) == 2


@pytest.mark.parametrize(
    ("query", "error", "field"),
    [
        ("?from=1405-13-01", "invalid_date", "from"),
        ("?to=yesterday", "invalid_date", "to"),
        ("?from=2026-11-22&to=2026-11-01", "statement_backwards", "from"),
        ("?from=2025-01-01&to=2026-11-22", "statement_too_long", "from"),
    ],
)
def test_bad_dates_are_a_400_naming_the_field(client, tokens, query, error, field):
    answer = statement(client, tokens[RAZI], query)
    assert answer.status_code == 400
    assert (answer.get_json()["error"], answer.get_json()["field"]) == (error, field)
    assert any("\u0600" <= ch <= "\u06ff" for ch in answer.get_json()["message"])


def test_no_token_no_statement(client, tokens):
    assert client.get("/api/provider/statements").status_code == 401
