"""The catalogue's provider API: search items, instruction presets, favourite prescriptions."""

from functools import partial

from flask import Blueprint, g, request
from flask_babel import gettext

from ..domain.digits import whole_number
from ..i18n import number
from ..models import PRESCRIBER_KINDS
from ..records.provider_api import provider_operation
from ..web.refusals import InvalidInput
from . import favourites, presets, search
from .requests import catalogue_operation, kind_argument, search_text_argument
from .schemas import (
    CatalogueAnswer,
    Favourite,
    FavouriteChange,
    FavouriteIn,
    Favourites,
    InstructionPresets,
)

bp = Blueprint("catalogue", __name__, url_prefix="/api/provider")

MAX_RESULTS = 50
DEFAULT_RESULTS = 20
# The catalogue's views: any provider's, and the favourites, a prescribing doctor's only.
_provider_operation = partial(provider_operation, declare=catalogue_operation)
_prescriber_operation = partial(
    _provider_operation,
    kinds=PRESCRIBER_KINDS,
    action="keep_favourites",
)


def _limit_argument() -> int:
    """`?limit=` from 1 to 50 (default 20)."""
    limit = whole_number(request.args.get("limit") or str(DEFAULT_RESULTS), 1, MAX_RESULTS)
    if limit is None:
        message = gettext(
            "The page size must be a whole number from 1 to %(max)s.", max=number(MAX_RESULTS)
        )
        raise InvalidInput("invalid_limit", message, field="limit")
    return limit


@bp.get("/catalogue")
@_provider_operation(
    "Search the catalogue of drugs and services (`q`: Persian or English; `kind`; `limit`)",
    response=CatalogueAnswer,
    errors=(400, 401),
)
def catalogue():
    """Items matching `q`, whatever the keyboard; every provider may search."""
    found = search.search(search_text_argument(), kind_argument(), _limit_argument())
    return {"items": [search.entry(item) for item in found]}


@bp.get("/instruction-presets")
@_provider_operation(
    "Common instructions for prescription items (`kind` to keep those of one type)",
    response=InstructionPresets,
    errors=(400, 401),
)
def instruction_presets():
    """The presets in the request's language."""
    return {"presets": presets.presets(kind_argument())}


@bp.get("/favourites")
@_prescriber_operation(
    "This provider's favourite prescriptions", response=Favourites, errors=(401, 403)
)
def list_favourites():
    """Every favourite, by name."""
    return favourites.list_favourites(g.provider.id)


@bp.post("/favourites")
@_prescriber_operation(
    "Save a favourite prescription (name, type, items with quantities and instructions)",
    request_schema=FavouriteIn,
    response=Favourite,
    errors=(400, 401, 403, 409),
)
def create_favourite(body: FavouriteIn):
    """201 with the new favourite."""
    created = favourites.create(g.provider.id, body)
    return created, 201


@bp.put("/favourites/<int:favourite_id>")
@_prescriber_operation(
    "Rename a favourite, or change its type or items (send only what changes)",
    request_schema=FavouriteChange,
    response=Favourite,
    errors=(400, 401, 403, 404, 409),
)
def change_favourite(favourite_id: int, body: FavouriteChange):
    """The favourite after the change."""
    changed = favourites.change(g.provider.id, favourite_id, body)
    return changed


@bp.delete("/favourites/<int:favourite_id>")
@_prescriber_operation("Delete a favourite", errors=(401, 403, 404))
def delete_favourite(favourite_id: int):
    """204."""
    favourites.delete(g.provider.id, favourite_id)
    return "", 204
