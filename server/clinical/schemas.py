"""Request and answer schemas of the clinical API: diagnoses found, an allergy recorded, a
person's allergies; they validate and feed the OpenAPI document."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from ..records.schemas import CodedDiagnosis, _printable

Severity = Literal["mild", "moderate", "severe"]
DisputeText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=5, max_length=1000),
    AfterValidator(_printable),
]


class DiagnosisList(BaseModel):
    """ICD-10 entries whose code starts with, or whose title holds, what was typed."""

    diagnoses: list[CodedDiagnosis]


class AllergyRequest(BaseModel):
    """A drug allergy seen during a visit."""

    ingredient: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)
    ] = Field(
        description="an ingredient as the catalogue names it, or a class (penicillins, "
        "cephalosporins, sulfonamides, macrolides, fluoroquinolones, tetracyclines, nsaids)",
        examples=["penicillins"],
    )
    reaction: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=2, max_length=300),
        AfterValidator(_printable),
    ] = Field(examples=["کهیر و تنگی نفس"])
    severity: Severity


class AllergyRecorded(BaseModel):
    """An allergy on the person's record."""

    id: int
    ingredient: str
    covers: list[str] = Field(description="the catalogue's ingredients it covers")
    reaction: str
    severity: Severity
    status: Literal["active", "disputed", "removed"]
    recorded_at: str = Field(description="ISO 8601 time, Tehran")


class MyAllergy(AllergyRecorded):
    """An allergy as its person reads it: who recorded it, and when in words."""

    recorded_by: str
    recorded_at_jalali: str


class MyAllergies(BaseModel):
    """The person's recorded drug allergies (a removed one is gone)."""

    allergies: list[MyAllergy]


class DisputeRequest(BaseModel):
    """Why the person thinks a recorded allergy is wrong."""

    text: DisputeText


class DisputeFiled(BaseModel):
    """The objection the dispute was filed as (staff answer it, and remove the allergy or not)."""

    id: int
    tracking_number: str
    status: str
