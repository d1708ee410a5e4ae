"""`darman tariffs import [FILE]`: prices in whole rials by code and date, idempotent, a bad file
reported as `file:line: reason` with nothing written; the price used is the one in force on the
service date."""

import csv
from datetime import date

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import Tariff
from server.money.tariffs import SHIPPED_TARIFFS, price_on, prices_on

HEADER = "code,valid_from,price_rial"


@pytest.fixture(autouse=True)
def catalogue(runner):
    """The shipped catalogue: tariffs price its codes."""
    assert runner.invoke(args=["darman", "catalogue", "import"]).exit_code == 0


def write_csv(path, *lines: str):
    """A CSV file of these lines."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tariffs(app) -> list[tuple]:
    """Every tariff row as (code, valid_from, price)."""
    with app.app_context():
        rows = db.session.execute(
            select(Tariff.code, Tariff.valid_from, Tariff.price_rial).order_by(Tariff.id)
        )
        return [tuple(row) for row in rows]


def test_the_shipped_prices_cover_the_catalogue_and_load_once(app, runner):
    first = runner.invoke(args=["darman", "tariffs", "import"])
    assert first.exit_code == 0, first.output
    with SHIPPED_TARIFFS.open(encoding="utf-8") as file:
        shipped = list(csv.DictReader(file))
    assert f"tariffs.csv: {len(shipped)} rows, {len(shipped)} added, 0 changed, ok" in first.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tariff)) == len(shipped)
        assert all(price > 0 for _, _, price in tariffs(app))
    again = runner.invoke(args=["darman", "tariffs", "import"])
    assert f"{len(shipped)} rows, 0 added, 0 changed, ok" in again.output
    assert len(tariffs(app)) == len(shipped)


def test_a_new_price_from_a_later_day_and_a_corrected_one(app, runner, tmp_path):
    path = write_csv(
        tmp_path / "t.csv", HEADER, "D1001,2026-03-21,447000", "D1001,2026-09-23,500000"
    )
    assert runner.invoke(args=["darman", "tariffs", "import", str(path)]).exit_code == 0
    with app.app_context():
        assert price_on("D1001", date(2026, 3, 20)) is None  # before any price
        assert price_on("D1001", date(2026, 3, 21)) == 447_000
        assert price_on("D1001", date(2026, 9, 22)) == 447_000
        assert price_on("D1001", date(2026, 9, 23)) == 500_000  # in force from its first day
        assert prices_on(["D1001", "D1002"], date(2027, 1, 1)) == {"D1001": 500_000}
    fixed = write_csv(tmp_path / "f.csv", HEADER, "D1001,2026-09-23,499000")
    result = runner.invoke(args=["darman", "tariffs", "import", str(fixed)])
    assert "1 rows, 0 added, 1 changed, ok" in result.output
    assert tariffs(app)[-1] == ("D1001", date(2026, 9, 23), 499_000)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("X9999,2026-03-21,1000", "کد X9999 در فهرست دارو و خدمات نیست"),
        ("D1001,1405-01-01x,1000", "ستون valid_from باید تاریخی به شکل YYYY-MM-DD باشد"),
        ("D1001,2026-03-21,-5", "ستون price_rial باید عددی صحیح و نامنفی به ریال باشد"),
        ("D1001,2026-03-21,12.5", "ستون price_rial باید عددی صحیح و نامنفی به ریال باشد"),
        ("D1001,2026-03-21,1e6", "ستون price_rial باید عددی صحیح و نامنفی به ریال باشد"),
        ("D1001,2026-03-21,۱۰۰۰", "ستون price_rial باید عددی صحیح و نامنفی به ریال باشد"),
        (
            "D1001,2026-03-21,100000000000000",
            "ستون price_rial باید عددی صحیح و نامنفی به ریال باشد",
        ),
        ("D1001,2026-03-21", "تعداد ستون‌های این سطر درست نیست"),
    ],
)
def test_a_bad_row_names_its_line_and_nothing_is_written(app, runner, tmp_path, line, reason):
    path = write_csv(tmp_path / "bad.csv", HEADER, "D1002,2026-03-21,260000", line)
    result = runner.invoke(args=["darman", "tariffs", "import", str(path)])
    assert result.exit_code == 1
    assert f"bad.csv:3: {reason}" in result.output
    assert tariffs(app) == []  # the good row before it is not written either


def test_a_repeated_row_and_a_missing_column(app, runner, tmp_path):
    repeated = write_csv(
        tmp_path / "r.csv", HEADER, "D1001,2026-03-21,1000", "D1001,2026-03-21,2000"
    )
    result = runner.invoke(args=["darman", "tariffs", "import", str(repeated)])
    assert "r.csv:3: این سطر تکرار سطری پیشین است (D1001–2026-03-21)" in result.output
    missing = write_csv(tmp_path / "m.csv", "code,valid_from", "D1001,2026-03-21")
    result = runner.invoke(args=["darman", "tariffs", "import", str(missing)])
    assert result.output.startswith("m.csv:1: ") and "price_rial" in result.output.splitlines()[0]
    assert tariffs(app) == []
