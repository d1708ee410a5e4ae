"""What the catalogue's refusals say (`server/web/refusals.py` maps them to answers)."""

from flask_babel import gettext

from ..i18n import number
from ..records import texts
from .favourites import MAX_FAVOURITES


def _item(position: int, message: str) -> str:
    """A refusal about one item, numbered as the doctor counts (from 1)."""
    return gettext("Item %(n)s: %(message)s", n=number(position), message=message)


TEXTS = {
    "unknown_favourite": lambda **_: gettext("No favourite prescription has this id."),
    "favourite_name_taken": lambda name, **_: gettext(
        "You already have a favourite named %(name)s.", name=name
    ),
    "too_many_favourites": lambda **_: gettext(
        "You can keep at most %(n)s favourites.", n=number(MAX_FAVOURITES)
    ),
    "items_for_type": lambda **_: gettext("Send the items for the new type with it."),
    "unknown_catalogue_code": lambda position, code, **_: _item(
        position, gettext("code %(code)s is not in the catalogue.", code=code)
    ),
    "wrong_item_kind": lambda position, name, type, **_: _item(
        position,
        gettext(
            "%(name)s cannot be written on a %(type)s.",
            name=name,
            type=texts.label(texts.TYPE_LABELS, type),
        ),
    ),
    "quantity_above_max": lambda position, max_quantity, unit, name, **_: _item(
        position,
        gettext(
            "at most %(max)s %(unit)s of %(name)s may be written at once.",
            max=number(max_quantity),
            unit=unit,
            name=name,
        ),
    ),
    "interaction": lambda **_: gettext(
        "This prescription has a serious interaction or a duplicate. It can be written only "
        "with a reason for each one."
    ),
}
