"""Finding catalogue items as a doctor types: Persian or English, any spelling of either."""

from sqlalchemy import case, func, or_, select

from ..domain.search_text import search_text
from ..extensions import db
from ..models import CatalogueItem

# How many ingredients an item has, less one: the plain drug comes before its combinations.
_COMBINED = func.length(CatalogueItem.ingredients) - func.length(
    func.replace(CatalogueItem.ingredients, "+", "")
)


def search(query: str, kind: str | None, limit: int) -> list[CatalogueItem]:
    """Items whose names, code or ingredients contain the query (reduced by `search_text`).

    Best first: those whose name (Persian or English), code or an ingredient starts with it;
    within them the plain drug before its combinations (acetaminophen before
    acetaminophen-codeine); then by name. No query lists by name."""
    needle = search_text(query)
    statement = select(CatalogueItem)
    if kind is not None:
        statement = statement.where(CatalogueItem.kind == kind)
    order = [CatalogueItem.name, CatalogueItem.code]
    if needle:
        # `search` is the reduced name, English name, code and ingredients, one space between.
        column = CatalogueItem.search
        starts = or_(
            column.startswith(needle, autoescape=True),
            column.contains(f" {needle}", autoescape=True),
        )
        statement = statement.where(column.contains(needle, autoescape=True))
        order[:0] = [case((starts, 0), else_=1), _COMBINED]
    return list(db.session.scalars(statement.order_by(*order).limit(limit)))


def named(text: str, kind: str) -> CatalogueItem | None:
    """The item of this kind whose Persian or English name is the text, in any spelling."""
    needle = search_text(text)
    if not needle:
        return None
    found = [
        item
        for item in search(text, kind, 50)
        if needle in (search_text(item.name), search_text(item.generic_name))
    ]
    return found[0] if len(found) == 1 else None


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
