"""The admissions API's request and answers (they validate and make the OpenAPI document)."""

from datetime import date
from typing import Self

from pydantic import BaseModel, Field, model_validator

from ..records.schemas import bounded_text, one_patient
from ..web.fields import NationalCode

Ward = bounded_text(100)


class AdmissionRequest(BaseModel):
    """A patient admitted by national code, or a newborn by the mother's code and birth date."""

    national_code: NationalCode | None = None
    mother_national_code: NationalCode | None = None
    birth_date: date | None = Field(default=None, description="a newborn's birth date (ISO)")
    admitted_on: date = Field(description="the day of admission (ISO); up to 7 days back")
    ward: Ward = Field(examples=["داخلی ۲"])

    @model_validator(mode="after")
    def _one_patient(self) -> Self:
        """Exactly one way of naming the patient."""
        one_patient(self)
        return self


class OtherInsurer(BaseModel):
    """Another base insurer that covers the patient on the day of admission."""

    insurer: str


class AdmissionAnswer(BaseModel):
    """The inpatient eligibility answer, its tracking code, and any overlap with another base
    insurer (seed 000 item 3) with the next step."""

    id: int
    covered: bool
    label: str
    tracking_code: str = Field(pattern=r"^[0-9]{12}$")
    admitted_on: date
    ward: str
    discharged_on: date | None
    overlap: list[OtherInsurer]
    next_step: str | None = Field(description="what to do about an overlap; null without one")
