"""Tariffs: the price of one unit of each catalogue code, by the day it takes effect.

`darman tariffs import FILE.csv` (`code,valid_from,price_rial`) checks the file whole — any bad row
is reported as `file:line: reason` and nothing of that file is written — then adds new prices and
corrects changed ones by (code, valid_from); the same file again changes nothing. Prices are whole
rials. The price of a service is the one in force on the service date: the latest `valid_from`
on or before it.
"""

from datetime import date
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import select

from ..catalogue.importer import LoadReport, RowProblem, keyed_by, load_file
from ..extensions import db
from ..models import CatalogueItem, Tariff

SHIPPED_TARIFFS = Path(__file__).parent / "data" / "tariffs.csv"
TARIFF_COLUMNS = ("code", "valid_from", "price_rial")
MAX_PRICE_RIAL = 10**13  # ten thousand billion rials: far beyond any single unit


def tariff_values(row: dict, known_codes: frozenset[str]) -> dict:
    """One tariff row as the model's values, or RowProblem."""
    code = row["code"]
    if code not in known_codes:
        raise RowProblem(gettext("%(code)s is not in the catalogue", code=code or "''"))
    try:
        valid_from = date.fromisoformat(row["valid_from"])
    except ValueError:
        raise RowProblem(gettext("valid_from must be a date as YYYY-MM-DD")) from None
    price = row["price_rial"]
    if not (price.isascii() and price.isdigit() and int(price) <= MAX_PRICE_RIAL):
        raise RowProblem(gettext("price_rial must be a whole number of rials, not negative"))
    return {"code": code, "valid_from": valid_from, "price_rial": int(price)}


def load_tariffs(path: Path) -> LoadReport:
    """Check, then load, a tariff CSV file (flushed, not committed); nothing is written when a
    row is bad."""
    known = frozenset(db.session.scalars(select(CatalogueItem.code)))
    key = keyed_by("code", "valid_from")
    return load_file(path, Tariff, TARIFF_COLUMNS, lambda row: tariff_values(row, known), key)


def prices_on(codes: list[str], day: date) -> dict[str, int]:
    """The price in force on `day` of each code that has one (rials), by code."""
    rows = db.session.execute(
        select(Tariff.code, Tariff.price_rial)
        .where(Tariff.code.in_(set(codes)), Tariff.valid_from <= day)
        .order_by(Tariff.code, Tariff.valid_from)
    )
    return {code: price for code, price in rows}  # the latest valid_from of each code wins


def price_on(code: str, day: date) -> int | None:
    """The price of one unit of `code` in force on `day`, or None when it has no price yet."""
    return prices_on([code], day).get(code)
