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
bounded_text = _text  # for other packages' schemas
ItemName = _text(200)
Instructions = _text(300)
Diagnosis = _text(500)


Parts = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=12,
        description="a repeat prescription's monthly parts, each of the items' quantities (2–6; "
        "up to 12 for a person on the special-patients list): part k from the day written + "
        "k−1 months",
    ),
]
CancelReason = _text(300)


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
    obtain_outside: bool = Field(
        default=False,
        description="a hospital's item it lacks: got with cover at any contracted centre of its "
        "kind, never at the hospital itself",
    )
    outside_reason: Instructions | None = Field(
        default=None, description="required with `obtain_outside`", examples=["موجود نیست"]
    )

    @model_validator(mode="after")
    def _outside_has_a_reason(self) -> Self:
        """An item got outside says why."""
        if self.obtain_outside and not self.outside_reason:
            raise PydanticCustomError("outside_reason_required", "outside needs a reason")
        return self


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


def one_patient(body) -> None:
    """Exactly one way of naming the patient: a national code, or a mother's code and a birth
    date (a newborn's)."""
    newborn = body.mother_national_code is not None or body.birth_date is not None
    if (body.national_code is None) == (not newborn) or (
        newborn and (body.mother_national_code is None or body.birth_date is None)
    ):
        raise PydanticCustomError("ambiguous_patient", "national code or mother and birth")


class AllergyAcknowledgement(BaseModel):
    """The doctor's reason for writing a drug the patient is recorded as allergic to."""

    id: int = Field(strict=True, ge=1, description="the allergy's `id` in the 409 answer")
    reason: AcknowledgementReason = Field(examples=["تست پوستی منفی؛ تحت نظر تجویز می‌شود"])


DiagnosisCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=10),
    Field(description="a WHO ICD-10 code (GET /api/provider/diagnoses)", examples=["J01.9"]),
]


class PrescriptionRequest(BaseModel):
    """A prescription for a patient by national code, or for a newborn by the mother's code."""

    national_code: NationalCode | None = None
    mother_national_code: NationalCode | None = None
    birth_date: date | None = Field(default=None, description="a newborn's birth date (ISO)")
    written_on: date = Field(description="the day of the visit (ISO); not after today")
    type: PrescriptionType
    diagnosis: Diagnosis | None = None
    diagnoses: list[DiagnosisCode] = Field(default=[], max_length=10)
    items: list[PrescriptionItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    acknowledged_interactions: list[Acknowledgement] = Field(default=[], max_length=MAX_ITEMS)
    parts: Parts = 1
    acknowledged_allergies: list[AllergyAcknowledgement] = Field(default=[], max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _one_patient_and_distinct_items(self) -> "PrescriptionRequest":
        """Exactly one way of naming the patient; no item twice."""
        one_patient(self)
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


class CodedDiagnosis(BaseModel):
    """A WHO ICD-10 code and its title in the classification."""

    code: str = Field(examples=["J01.9"])
    title: str = Field(examples=["Acute sinusitis, unspecified"])


class AllergyFound(BaseModel):
    """An item carrying an ingredient the patient is recorded as allergic to."""

    id: int = Field(description="the allergy's id: name it in `acknowledged_allergies`")
    code: str = Field(description="the item's code on this prescription")
    ingredient: str = Field(description="the allergy as recorded: an ingredient or a class")
    reaction: str
    severity: Literal["mild", "moderate", "severe"]
    name: str = Field(description="the item's name")
    matched: list[str] = Field(description="the item's ingredients the allergy covers")


class AcknowledgedAllergy(BaseModel):
    """An allergy a prescription was written through, with the doctor's reason."""

    id: int
    code: str
    name: str
    ingredient: str
    reaction: str
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
    parts: int = Field(default=1, description="monthly parts (1: not a repeat)")
    part_dates: list[date] = Field(default=[], description="the first day of each part")
    diagnoses: list[CodedDiagnosis] = Field(default=[])
    acknowledged_allergies: list[AcknowledgedAllergy] = Field(default=[])


class CancelRequest(BaseModel):
    """Cancel a prescription (nothing of it delivered yet), or, with `items`, what remains of
    those items."""

    reason: CancelReason = Field(examples=["دوز اشتباه نوشته شد"])
    items: list[ServiceCode] | None = Field(default=None, min_length=1, max_length=MAX_ITEMS)


class Cancellation(BaseModel):
    """Who cancelled a prescription or an item, when and why."""

    at: str = Field(description="ISO 8601 time, Tehran")
    at_jalali: str
    by: str = Field(description="the doctor or centre who wrote (and cancelled) it")
    reason: str


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
    status: Literal["complete", "partial", "open", "expired", "cancelled"]
    status_text: str = Field(description="a sentence: how many, and until when the rest")
    cancelled: Cancellation | None = None
    dispensing: list[Delivery] | None = Field(default=None, description="in a record's detail only")
    obtain_outside: bool = Field(default=False, description="a hospital's item got outside")
    outside_reason: str | None = None
    obtain_at: str | None = Field(default=None, description="where it can be got, in a sentence")


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
    diagnoses: list[CodedDiagnosis] = Field(default=[], description="WHO ICD-10, with titles")
    provider: ProviderSummary
    newborn_birth_date: date | None = Field(description="set when written for a newborn")
    newborn_birth_date_jalali: str | None
    status: Literal["complete", "partial", "open", "expired", "cancelled"]
    status_label: str
    cancelled: Cancellation | None = Field(default=None, description="set when cancelled whole")
    parts: int = Field(default=1, description="a repeat prescription's monthly parts")
    parts_due: int = Field(default=1, description="how many parts may be received by today")
    next_part_on: date | None = Field(
        default=None, description="the day the next part may be received (none left: null)"
    )
    next_part_on_jalali: str | None = None
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
    acknowledged_allergies: list[AcknowledgedAllergy] = Field(
        default=[], description="items written although the patient is allergic, and why"
    )


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


class CancelAnswer(BaseModel):
    """The prescription after the cancellation: its status and each item's."""

    code: str
    status: Literal["complete", "partial", "open", "expired", "cancelled"]
    cancelled: Cancellation | None
    items: list[RecordItem]
