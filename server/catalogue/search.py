"""Finding catalogue items as a doctor types: Persian or English, any spelling of either."""

from sqlalchemy import case, select

from ..domain.search_text import search_text
from ..extensions import db
from ..models import CatalogueItem


def search(query: str, kind: str | None, limit: int) -> list[CatalogueItem]:
    """Items whose names, code or ingredients contain the query (reduced by `search_text`);
    those whose Persian name starts with it first, then by name. No query lists by name."""
    needle = search_text(query)
    statement = select(CatalogueItem)
    if kind is not None:
        statement = statement.where(CatalogueItem.kind == kind)
    order = [CatalogueItem.name, CatalogueItem.code]
    if needle:
        statement = statement.where(CatalogueItem.search.contains(needle, autoescape=True))
        starts = CatalogueItem.search.startswith(needle, autoescape=True)
        order.insert(0, case((starts, 0), else_=1))
    return list(db.session.scalars(statement.order_by(*order).limit(limit)))


def entry(item: CatalogueItem) -> dict:
    """An item as the API gives it."""
    return {
        "code": item.code,
        "kind": item.kind,
        "name": item.name,
        "generic_name": item.generic_name,
        "ingredients": item.ingredients.split("+") if item.ingredients else [],
        "form": item.form,
        "strength": item.strength,
        "unit": item.unit,
        "max_quantity": item.max_quantity,
        "covered": item.covered,
    }
