"""Request and answer schemas of the health record's API; they validate and feed the OpenAPI doc."""

import re
from datetime import date
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from ..domain.digits import to_latin_digits
from ..web.fields import NationalCode

MAX_ITEMS = 50
MAX_QUANTITY = 1000
PrescriptionType = Literal["drug", "lab", "imaging", "physio", "visit"]
_SERVICE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")


def _service_code(value: str) -> str:
    """A service code (IRC, national service code, …): Latin letters, digits, `.`, `_`, `-`."""
    value = to_latin_digits(value.strip())
    if not _SERVICE_CODE.match(value):
        raise PydanticCustomError("invalid_service_code", "invalid service code")
    return value


def _printable(value: str) -> str:
    """Refuse control characters: they are never meant, and PostgreSQL refuses NUL."""
    if any(ch < " " and ch not in "\n\t" for ch in value) or "\x7f" in value:
        raise PydanticCustomError("control_character", "control character")
    return value


def _text(max_length: int) -> object:
    """Typed text: trimmed, not empty, at most `max_length` characters, no control characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_printable),
    ]


ServiceCode = Annotated[
    str,
    Field(description="the drug's or service's code", examples=["D1001"], max_length=40),
    AfterValidator(_service_code),
]
Quantity = Annotated[int, Field(strict=True, ge=1, le=MAX_QUANTITY)]
ItemName = _text(200)
Instructions = _text(300)
Diagnosis = _text(500)


class PrescriptionItemIn(BaseModel):
    """A drug or service to be delivered."""

    code: ServiceCode = Field(description="a catalogue code (GET /api/provider/catalogue)")
    name: ItemName | None = Field(
        default=None,
        description="ignored: the catalogue's name is written",
        examples=["آموکسی‌سیلین ۵۰۰ میلی‌گرم"],
    )
    instructions: Instructions | None = Field(default=None, examples=["هر ۸ ساعت یک عدد"])
    quantity: Quantity


def _distinct_codes(items: list) -> None:
    """Each item once: the same code twice would split its delivery in two."""
    seen = set()
    for item in items:
        if item.code in seen:
            raise PydanticCustomError("duplicate_item", "duplicate item", {"code": item.code})
        seen.add(item.code)


class DistinctItems(BaseModel):
    """A body whose items, when it has any, name each code once."""

    @model_validator(mode="after")
    def _distinct_items(self) -> Self:
        """No item twice."""
        if self.items is not None:
            _distinct_codes(self.items)
        return self


AcknowledgementReason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=300),
    AfterValidator(_printable),
]


class Acknowledgement(BaseModel):
    """The doctor's reason for writing through a major interaction or a duplicate."""

    id: str = Field(max_length=300, description="the `id` of the interaction in the 409 answer")
    reason: AcknowledgementReason = Field(examples=["بیمار تحت پایش INR است"])


class PrescriptionRequest(BaseModel):
    """A prescription for a patient by national code, or for a newborn by the mother's code."""

    national_code: NationalCode | None = None
    mother_national_code: NationalCode | None = None
    birth_date: date | None = Field(default=None, description="a newborn's birth date (ISO)")
    written_on: date = Field(description="the day of the visit (ISO); not after today")
    type: PrescriptionType
    diagnosis: Diagnosis | None = None
    items: list[PrescriptionItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    acknowledged_interactions: list[Acknowledgement] = Field(default=[], max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _one_patient_and_distinct_items(self) -> "PrescriptionRequest":
        """Exactly one way of naming the patient; no item twice."""
        newborn = self.mother_national_code is not None or self.birth_date is not None
        if (self.national_code is None) == (not newborn) or (
            newborn and (self.mother_national_code is None or self.birth_date is None)
        ):
            raise PydanticCustomError("ambiguous_patient", "national code or mother and birth")
        _distinct_codes(self.items)
        return self


class InteractionFound(BaseModel):
    """Two items that interact, or share an ingredient (`severity: duplicate`)."""

    id: str = Field(description="stable for this pair of codes and this cause")
    a: str = Field(description="an item's code on this prescription")
    b: str = Field(description="the other item's code, here or among current medicines")
    severity: Literal["major", "moderate", "minor", "duplicate"]
    advice: str
    ingredients: list[str]
    current: bool = Field(description="`b` is one of the patient's current medicines")


class AcknowledgedInteraction(InteractionFound):
    """A major interaction or duplicate written through, with the doctor's reason."""

    reason: str


class PrescriptionWritten(BaseModel):
    """The new prescription: its id and own code, and the eligibility inquiry made with it."""

    id: int
    code: str = Field(pattern=r"^[0-9]{12}$", description="the prescription's own code")
    tracking_code: str = Field(pattern=r"^[0-9]{12}$", description="the eligibility inquiry's")
    covered: bool = Field(description="eligibility when written; written even when false")
    label: str
    written_on: date
    expires_on: date = Field(description="the last day anything of it may be delivered")
    expires_on_jalali: str
    warnings: list[InteractionFound] = Field(
        default=[], description="moderate and minor interactions: written, but worth a look"
    )
    acknowledged_interactions: list[AcknowledgedInteraction] = Field(default=[])


class DispenseItemIn(BaseModel):
    """How many of one item this centre delivered."""

    code: ServiceCode
    quantity: Quantity


class DispenseRequest(DistinctItems):
    """What this centre delivered now."""

    items: list[DispenseItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class Money(BaseModel):
    """What a delivery cost and who pays it, in whole rials (price = patient's + SSO's share)."""

    price: int
    patient_share: int
    sso_share: int


class DispensedItem(Money):
    """An item after this delivery: prescribed, delivered in all, still to deliver; what was
    delivered of it now, priced (an item not delivered now: its unit price, zeros)."""

    code: str
    name: str
    quantity: int
    dispensed: int
    remaining: int
    unit_price: int


class DispenseAnswer(BaseModel):
    """The prescription's items after this delivery, what it cost, and the eligibility inquiry
    the centre made before it (its tracking code)."""

    code: str
    expires_on: date
    complete: bool
    items: list[DispensedItem]
    totals: Money
    tracking_code: str


class ProviderSummary(BaseModel):
    """Who wrote a prescription, or delivered part of it."""

    name: str
    kind: str
    kind_label: str


class Delivery(BaseModel):
    """One delivery of an item: where, when, how many."""

    center: str
    center_kind: str
    center_kind_label: str
    at: str = Field(description="ISO 8601 time, Tehran")
    at_jalali: str
    quantity: int
    patient_share: int | None = Field(
        default=None, description="rials the insured paid (their own view only)"
    )
    sso_share: int | None = Field(default=None, description="rials SSO paid (their own view only)")


class RecordItem(BaseModel):
    """An item of a record: what was prescribed, what was delivered, what is left."""

    code: str
    name: str
    instructions: str | None
    quantity: int
    dispensed: int
    remaining: int
    status: Literal["complete", "partial", "open", "expired"]
    status_text: str = Field(description="a sentence: how many, and until when the rest")
    dispensing: list[Delivery] | None = Field(default=None, description="in a record's detail only")


class Record(BaseModel):
    """A prescription as its patient (or a doctor) reads it."""

    id: int
    code: str
    type: PrescriptionType
    type_label: str
    written_on: date
    written_on_jalali: str
    expires_on: date
    expires_on_jalali: str
    diagnosis: str | None
    provider: ProviderSummary
    newborn_birth_date: date | None = Field(description="set when written for a newborn")
    newborn_birth_date_jalali: str | None
    status: Literal["complete", "partial", "open", "expired"]
    status_label: str
    receive_until: date | None = Field(description="until when the rest can be received")
    receive_until_jalali: str | None
    items: list[RecordItem]


class RecordDetail(Record):
    """One record, with each item's deliveries and the inquiry made when it was written."""

    tracking_code: str
    covered: bool


class ProviderRecordDetail(RecordDetail):
    """One record for a centre, with the interactions its doctor wrote through and why."""

    acknowledged_interactions: list[AcknowledgedInteraction]


class PaidThisYear(BaseModel):
    """What the insured paid and what SSO paid for their care this Jalali year (rials)."""

    year: int
    patient_share: int
    sso_share: int


class RecordList(BaseModel):
    """A page of records, newest first; pass `next_cursor` as `?cursor=` for the next."""

    records: list[Record]
    next_cursor: str | None
    paid_this_year: PaidThisYear


class PatientRecords(BaseModel):
    """A patient's last 12 months, for a doctor."""

    national_code: str
    since: date
    records: list[RecordDetail]


class AccessEntry(BaseModel):
    """One read of the record."""

    id: int = Field(description="the entry, for an objection «this wasn't me» (record_access_id)")
    who: str
    kind: Literal["self", "parent", "provider", "staff"]
    kind_label: str
    provider_kind: str | None
    record_id: int | None = Field(description="the record opened; null for a list read")
    opened: Literal["objection", "attachment", "document"] | None = Field(
        description="what SSO staff opened in their console (kind `staff`); null otherwise"
    )
    at: str = Field(description="ISO 8601 time, Tehran")
    at_jalali: str


class AccessLog(BaseModel):
    """Who read the record, newest first; pass `next_cursor` as `?cursor=` for more."""

    entries: list[AccessEntry]
    next_cursor: str | None
