"""The claims staff's lists: a day's settlement totals (the not payable apart), and the review
queue — each centre with payable settled days in a month not closed, the oldest month first,
50 a page; a closed month leaves it."""

from datetime import date

from sqlalchemy import select
from test_review import START, add_line, contract, settle

from server.extensions import db
from server.models import Provider

OCTOBER = date(2026, 10, 20)  # 28 Mehr 1405: the month before Aban


def centre_ids(app) -> dict[str, int]:
    """The centres' ids by name."""
    with app.app_context():
        return dict(db.session.execute(select(Provider.name, Provider.id)).all())


def test_a_days_totals_keep_the_not_payable_apart(app, runner, family, make_provider, signed_in):
    make_provider("داروخانه رازی", "pharmacy")
    make_provider("مطب دکتر احمدی", "doctor")
    ids = centre_ids(app)
    contract(app, ids["داروخانه رازی"], START)
    add_line(app, ids["داروخانه رازی"], START, 300, 701)
    add_line(app, ids["مطب دکتر احمدی"], START, 500, 1_500)  # no contract
    settle(runner, START)
    page = signed_in("claims").get("/staff/claims/days?day=2026-11-15").get_data(as_text=True)
    assert "تسویهٔ ۲۴ آبان ۱۴۰۵" in page
    assert "۲٬۲۰۱ ریال" in page  # SSO's share of both
    assert "۵۶۰ ریال" in page and "۱٬۶۴۱ ریال" in page  # the advance; held: 141 + the office's
    assert "۱٬۵۰۰ ریال — ۱ مرکز" in page  # the office: not payable
    unsettled = signed_in("claims").get("/staff/claims/days?day=2026-11-16")
    assert "این روز تسویه نشده است" in unsettled.get_data(as_text=True)


def test_the_queue_lists_open_months_oldest_first_50_a_page(
    app, runner, family, make_provider, signed_in
):
    for number in range(51):
        make_provider(f"داروخانه {number:02d}", "pharmacy")
    make_provider("مطب دکتر احمدی", "doctor")
    ids = centre_ids(app)
    for number in range(51):
        contract(app, ids[f"داروخانه {number:02d}"], OCTOBER)
        add_line(app, ids[f"داروخانه {number:02d}"], START, 300, 700)
    add_line(app, ids["داروخانه 50"], OCTOBER, 300, 700)  # also in Mehr
    add_line(app, ids["مطب دکتر احمدی"], START, 300, 700)  # no contract: nothing to review
    settle(runner, OCTOBER, START)
    claims = signed_in("claims")
    first = claims.get("/staff/claims").get_data(as_text=True)
    assert first.count("/staff/claims/centres/") == 50
    assert first.index("مهر ۱۴۰۵") < first.index("آبان ۱۴۰۵")  # the oldest month first
    assert f'/staff/claims/centres/{ids["داروخانه 50"]}/1405/7"' in first
    assert "مطب دکتر احمدی" not in first and "?page=2" in first
    second = claims.get("/staff/claims?page=2").get_data(as_text=True)
    assert second.count("/staff/claims/centres/") == 2  # 52 centre-months in all
    assert f'/staff/claims/centres/{ids["داروخانه 50"]}/1405/8"' in second
    assert (
        claims.post(f"/staff/claims/centres/{ids['داروخانه 50']}/1405/7/close").status_code == 303
    )
    after = claims.get("/staff/claims").get_data(as_text=True)
    assert f'/staff/claims/centres/{ids["داروخانه 50"]}/1405/7"' not in after
