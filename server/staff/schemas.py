"""Schemas of the citizen's objections API; the same classes validate and document."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..web.fields import NationalCode, RowId


class ObjectionRequest(BaseModel):
    """A new objection: what it is about, in the person's words."""

    model_config = ConfigDict(extra="forbid")

    subject: Literal["cover", "dependant_cover", "unknown_record", "misuse"]
    text: str = Field(min_length=1, max_length=2000)
    national_code: NationalCode | None = None
    record_access_id: RowId | None = None


class ObjectionFiled(BaseModel):
    """The objection's id, its tracking number and status."""

    id: int
    tracking_number: str
    status: Literal["received", "in_review", "answered"]


class ObjectionItem(ObjectionFiled):
    """One of my objections, with the answer once there is one."""

    subject: str
    answer: str | None
    at: str


class ObjectionList(BaseModel):
    """My objections, the newest first."""

    objections: list[ObjectionItem]
