"""Request and answer schemas of the catalogue's API: items, presets, favourites, interactions."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from ..records.schemas import (
    MAX_ITEMS,
    DistinctItems,
    Instructions,
    PrescriptionType,
    Quantity,
    ServiceCode,
    _printable,
)

FavouriteName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_printable),
]


class CatalogueEntry(BaseModel):
    """A drug or service that may be prescribed."""

    code: str
    kind: PrescriptionType
    name: str = Field(description="Persian name, with strength for drugs")
    generic_name: str = Field(description="English generic name")
    ingredients: list[str] = Field(description="active ingredients (English, lower case)")
    form: str
    strength: str
    unit: str = Field(description="what the quantity counts")
    max_quantity: int = Field(description="the largest quantity on one prescription")
    covered: bool = Field(description="whether SSO covers it")


class CatalogueAnswer(BaseModel):
    """Items matching `q` (Persian or English, any spelling), best first."""

    items: list[CatalogueEntry]


class InstructionPreset(BaseModel):
    """A common instruction a doctor may pick instead of typing."""

    id: str
    text: str
    kinds: list[PrescriptionType] = Field(description="the prescription types it suits")


class InstructionPresets(BaseModel):
    """The common instructions, in the request's language."""

    presets: list[InstructionPreset]


class FavouriteItemIn(BaseModel):
    """An item of a favourite: a catalogue code, how many, how to take it."""

    code: ServiceCode
    quantity: Quantity
    instructions: Instructions | None = Field(default=None, examples=["هر ۸ ساعت یک عدد"])


class FavouriteIn(DistinctItems):
    """A new favourite prescription."""

    name: FavouriteName = Field(examples=["سرماخوردگی بزرگسال"])
    type: PrescriptionType
    items: list[FavouriteItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class FavouriteChange(DistinctItems):
    """A change to a favourite: any of its name, type and items (a rename is `{name}`)."""

    name: FavouriteName | None = None
    type: PrescriptionType | None = None
    items: list[FavouriteItemIn] | None = Field(default=None, min_length=1, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _something(self) -> "FavouriteChange":
        """At least one field (no item twice: `DistinctItems`)."""
        if self.name is None and self.type is None and self.items is None:
            raise PydanticCustomError("empty_change", "nothing to change")
        return self


class FavouriteItem(BaseModel):
    """An item of a favourite, with its catalogue name and limit."""

    code: str
    name: str
    quantity: int
    instructions: str | None
    max_quantity: int
    covered: bool


class Favourite(BaseModel):
    """A favourite prescription; its items can be sent as a prescription's items as they are."""

    id: int
    name: str
    type: PrescriptionType
    items: list[FavouriteItem]
    created_at: datetime
    updated_at: datetime


class Favourites(BaseModel):
    """The provider's favourites, by name."""

    favourites: list[Favourite]
