"""What a centre sees of the month's review through `GET /api/provider/statements`: each month
the review closed, its deductions with their reasons and the final payment — the fields added
beside the days' (none renamed), and only for the centre's own claims."""

from datetime import date

from sqlalchemy import select
from test_review import START, add_line, contract, review, settle

from server.extensions import db
from server.models import Provider

RAZI, SINA = "داروخانه رازی", "داروخانه سینا"


def statement(client, token: str) -> dict:
    """The statement of Aban and the first day of Azar."""
    answer = client.get(
        "/api/provider/statements?from=2026-11-01&to=2026-11-22",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_a_closed_month_shows_its_deductions_and_final_payment(
    app, client, runner, family, make_provider, signed_in
):
    tokens = {name: make_provider(name, "pharmacy") for name in (RAZI, SINA)}
    with app.app_context():
        ids = dict(db.session.execute(select(Provider.name, Provider.id)).all())
    for name in (RAZI, SINA):
        contract(app, ids[name], START)
    kept = add_line(app, ids[RAZI], START, 300, 700)
    cut = add_line(app, ids[RAZI], START, 3_000, 7_000)
    add_line(app, ids[SINA], START, 30, 70)
    settle(runner, START)  # Razi: 7 700 of SSO's share, 6 160 advanced
    assert statement(client, tokens[RAZI])["months"] == []  # nothing before the close
    claims = signed_in("claims")
    assert review(claims, ids[RAZI], cut, "بدون نسخهٔ پزشک", amount="2500").status_code == 303
    assert claims.post(f"/staff/claims/centres/{ids[RAZI]}/1405/8/close").status_code == 303
    body = statement(client, tokens[RAZI])
    date.fromisoformat(body["months"][0].pop("closed_on"))  # the day it was closed, in Tehran
    assert [day["advance"] for day in body["days"]] == [6_160]  # the days as before
    assert body["months"] == [
        {
            "month": "1405-08", "first_day": "2026-10-23", "last_day": "2026-11-21",
            "deducted": 2_500, "accepted": 5_200,
            "advances": 6_160, "payable": -960,
            "deductions": [
                {"line": cut, "date": "2026-11-15", "code": "D1001", "sso_share": 7_000,
                 "deducted": 2_500, "rejected": False, "reason": "بدون نسخهٔ پزشک"},
            ],
        }
    ]  # fmt: skip
    assert kept not in [line["line"] for line in body["months"][0]["deductions"]]
    assert statement(client, tokens[SINA])["months"] == []  # not closed: not shown
