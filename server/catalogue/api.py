"""The catalogue's provider API: search items, instruction presets, favourite prescriptions."""

from flask import Blueprint, g, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..auth.providers import provider_required
from ..domain.digits import to_latin_digits
from ..errors import ApiError
from ..i18n import number
from ..models import PRESCRIBER_KINDS
from ..records.provider_api import kinds_required
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
_DOCTORS_ONLY = _l("Only doctors keep favourite prescriptions.")


def _limit_argument() -> int:
    """`?limit=` from 1 to 50 (default 20)."""
    text = to_latin_digits((request.args.get("limit") or str(DEFAULT_RESULTS)).strip())
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_RESULTS):
        message = gettext(
            "The page size must be a whole number from 1 to %(max)s.", max=number(MAX_RESULTS)
        )
        raise ApiError(400, "invalid_limit", message, field="limit")
    return int(text)


@bp.get("/catalogue")
@provider_required
@catalogue_operation(
    "Search the catalogue of drugs and services (`q`: Persian or English; `kind`; `limit`)",
    response=CatalogueAnswer,
    errors=(400, 401),
    security="bearer",
)
def catalogue():
    """Items matching `q`, whatever the keyboard; every provider may search."""
    found = search.search(search_text_argument(), kind_argument(), _limit_argument())
    return {"items": [search.entry(item) for item in found]}


@bp.get("/instruction-presets")
@provider_required
@catalogue_operation(
    "Common instructions for prescription items (`kind` to keep those of one type)",
    response=InstructionPresets,
    errors=(400, 401),
    security="bearer",
)
def instruction_presets():
    """The presets in the request's language."""
    return {"presets": presets.presets(kind_argument())}


@bp.get("/favourites")
@provider_required
@kinds_required(*PRESCRIBER_KINDS, message=_DOCTORS_ONLY)
@catalogue_operation(
    "This provider's favourite prescriptions",
    response=Favourites,
    errors=(401, 403),
    security="bearer",
)
def list_favourites():
    """Every favourite, by name."""
    return favourites.list_favourites(g.provider.id)


@bp.post("/favourites")
@provider_required
@kinds_required(*PRESCRIBER_KINDS, message=_DOCTORS_ONLY)
@catalogue_operation(
    "Save a favourite prescription (name, type, items with quantities and instructions)",
    request_schema=FavouriteIn,
    response=Favourite,
    errors=(400, 401, 403, 409),
    security="bearer",
)
def create_favourite(body: FavouriteIn):
    """201 with the new favourite."""
    created = favourites.create(g.provider.id, body)
    return created, 201


@bp.put("/favourites/<int:favourite_id>")
@provider_required
@kinds_required(*PRESCRIBER_KINDS, message=_DOCTORS_ONLY)
@catalogue_operation(
    "Rename a favourite, or change its type or items (send only what changes)",
    request_schema=FavouriteChange,
    response=Favourite,
    errors=(400, 401, 403, 404, 409),
    security="bearer",
)
def change_favourite(favourite_id: int, body: FavouriteChange):
    """The favourite after the change."""
    changed = favourites.change(g.provider.id, favourite_id, body)
    return changed


@bp.delete("/favourites/<int:favourite_id>")
@provider_required
@kinds_required(*PRESCRIBER_KINDS, message=_DOCTORS_ONLY)
@catalogue_operation("Delete a favourite", errors=(401, 403, 404), security="bearer")
def delete_favourite(favourite_id: int):
    """204."""
    favourites.delete(g.provider.id, favourite_id)
    return "", 204
