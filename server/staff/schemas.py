"""Schemas of the citizen's objections and documents APIs; the same classes validate and
document."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..web.fields import Day, NationalCode, RowId


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


class DocumentRequest(BaseModel):
    """A document sent from the app (a multipart form with its `file`): whom it is about (a
    `member_id` of GET /api/family; none for oneself), its kind, and the sender's words."""

    model_config = ConfigDict(extra="forbid")

    member_id: str | None = Field(default=None, pattern=r"^p[0-9]{1,10}$")
    kind: Literal["student_certificate", "disability"]
    valid_until: Day | None = None
    university: str | None = Field(default=None, max_length=120)
    note: str | None = Field(default=None, max_length=1000)


class DocumentSent(BaseModel):
    """The document's id, its tracking number and status (pending until staff decide)."""

    id: int
    tracking_number: str
    status: Literal["pending", "accepted", "refused"]


class DocumentItem(DocumentSent):
    """One document I sent: whom about, what, and — once refused — why."""

    member_id: str
    name: str
    kind: Literal["student_certificate", "disability"]
    university: str | None
    valid_until: str | None
    reason: str | None = Field(description="why staff refused it; null unless refused")
    at: str


class DocumentList(BaseModel):
    """The documents I sent, the newest first."""

    documents: list[DocumentItem]
