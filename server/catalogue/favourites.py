"""Favourite prescriptions: a doctor's named sets of items to start a prescription from.

They belong to the provider; those a doctor member saves in the web for centres also carry the
member's id (`member_id`), and the web shows each doctor only their own. The API's (a token's)
have none and the API lists all of the provider's.
"""

from sqlalchemy import func, select

from .. import clock
from ..domain.refusal import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import CatalogueItem, Favourite
from . import checks
from .schemas import FavouriteChange, FavouriteIn

MAX_FAVOURITES = 200  # per provider: plenty for a practice, and a bound on a list answer


def _described(favourite: Favourite, names: dict[str, CatalogueItem]) -> dict:
    """A favourite as the API gives it, each item with its catalogue name and limit."""
    items = []
    for item in favourite.items:
        entry = names.get(item["code"])
        items.append(
            {
                "code": item["code"],
                "name": entry.name if entry else item["code"],
                "quantity": item["quantity"],
                "instructions": item.get("instructions"),
                "max_quantity": entry.max_quantity if entry else item["quantity"],
                "covered": entry.covered if entry else False,
            }
        )
    return {
        "id": favourite.id,
        "name": favourite.name,
        "type": favourite.type,
        "items": items,
        "created_at": clock.as_tehran(favourite.created_at).isoformat(),
        "updated_at": clock.as_tehran(favourite.updated_at).isoformat(),
    }


def _catalogue_of(favourites: list[Favourite]) -> dict[str, CatalogueItem]:
    """The catalogue items these favourites name, in one query."""
    codes = {item["code"] for favourite in favourites for item in favourite.items}
    if not codes:
        return {}
    rows = db.session.scalars(select(CatalogueItem).where(CatalogueItem.code.in_(codes)))
    return {row.code: row for row in rows}


def _owned(statement, provider_id: int, member_id: int | None):
    """Limit a query to the provider's favourites, and to the member's when one is given."""
    statement = statement.where(Favourite.provider_id == provider_id)
    if member_id is not None:
        statement = statement.where(Favourite.member_id == member_id)
    return statement


def list_favourites(provider_id: int, member_id: int | None = None) -> dict:
    """The provider's favourites (or one member's), by name."""
    favourites = list(
        db.session.scalars(
            _owned(select(Favourite), provider_id, member_id).order_by(Favourite.name, Favourite.id)
        )
    )
    names = _catalogue_of(favourites)
    return {"favourites": [_described(favourite, names) for favourite in favourites]}


def find(provider_id: int, favourite_id: int, member_id: int | None = None) -> Favourite:
    """The provider's (or member's) own favourite; 404 for another's or none."""
    favourite = db.session.get(Favourite, favourite_id)
    if (
        favourite is None
        or favourite.provider_id != provider_id
        or (member_id is not None and favourite.member_id != member_id)
    ):
        raise NotFound("unknown_favourite")
    return favourite


def _check_name(
    provider_id: int, name: str, keep_id: int | None = None, member_id: int | None = None
) -> None:
    """409 when another favourite of the provider (or member) has this name already."""
    statement = _owned(select(Favourite.id), provider_id, member_id).where(Favourite.name == name)
    if keep_id is not None:
        statement = statement.where(Favourite.id != keep_id)
    if db.session.scalar(statement) is not None:
        raise Conflict("favourite_name_taken", field="name", words={"name": name})


def _items(type_: str, items: list) -> list[dict]:
    """Items checked against the catalogue (as a prescription's are), as stored."""
    checks.resolve_items(type_, items)
    return [
        {"code": item.code, "quantity": item.quantity, "instructions": item.instructions}
        for item in items
    ]


def create(provider_id: int, body: FavouriteIn, member_id: int | None = None) -> dict:
    """Save a new favourite (a doctor member's when `member_id`); 409 for a name in use or too
    many favourites."""
    count = db.session.scalar(
        select(func.count()).select_from(Favourite).where(Favourite.provider_id == provider_id)
    )
    if count >= MAX_FAVOURITES:
        raise Conflict("too_many_favourites")
    _check_name(provider_id, body.name, member_id=member_id)
    now = clock.now()
    favourite = Favourite(
        provider_id=provider_id,
        member_id=member_id,
        name=body.name,
        type=body.type,
        items=_items(body.type, body.items),
        created_at=now,
        updated_at=now,
    )
    db.session.add(favourite)
    db.session.flush()
    return _described(favourite, _catalogue_of([favourite]))


def change(
    provider_id: int, favourite_id: int, body: FavouriteChange, member_id: int | None = None
) -> dict:
    """Rename a favourite or change its type or items; a changed type needs items of that type."""
    favourite = find(provider_id, favourite_id, member_id)
    if body.name is not None:
        _check_name(provider_id, body.name, keep_id=favourite.id, member_id=member_id)
        favourite.name = body.name
    type_ = body.type or favourite.type
    if body.items is not None:
        favourite.items = _items(type_, body.items)
    elif body.type is not None and body.type != favourite.type:
        raise Invalid("items_for_type", field="items")
    favourite.type = type_
    favourite.updated_at = clock.now()
    db.session.flush()
    return _described(favourite, _catalogue_of([favourite]))


def delete(provider_id: int, favourite_id: int, member_id: int | None = None) -> None:
    """Delete one of the provider's (or member's) favourites."""
    db.session.delete(find(provider_id, favourite_id, member_id))
    db.session.flush()
