"""Request and answer schemas of the JSON API; the same classes validate and document."""

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..domain.national_code import InvalidNationalCode, normalise


def _national_code(value: str) -> str:
    """Normalise a typed national code or FIDA number, or fail with `invalid_national_code`."""
    try:
        return normalise(value)
    except InvalidNationalCode:
        raise PydanticCustomError("invalid_national_code", "invalid national code") from None


NationalCode = Annotated[
    str,
    Field(
        description="10-digit national code or 12-digit FIDA number; Persian digits accepted",
        examples=["0012345679"],
        max_length=40,
    ),
    AfterValidator(_national_code),
]


class EligibilityRequest(BaseModel):
    """A general inquiry: a national code, or a newborn's mother's code and birth date."""

    model_config = ConfigDict(title="EligibilityRequest")

    national_code: NationalCode | None = None
    mother_national_code: NationalCode | None = None
    birth_date: date | None = Field(default=None, description="a newborn's birth date (ISO)")

    @model_validator(mode="after")
    def _one_person(self) -> "EligibilityRequest":
        """Exactly one way of naming the person."""
        newborn = self.mother_national_code is not None or self.birth_date is not None
        if (self.national_code is None) == (not newborn):
            raise PydanticCustomError("ambiguous_inquiry", "national code or mother and birth")
        if newborn and (self.mother_national_code is None or self.birth_date is None):
            raise PydanticCustomError("ambiguous_inquiry", "mother and birth date together")
        return self


class EligibilityAnswer(BaseModel):
    """A general inquiry's answer: has / has not, and the tracking code (no expiry, no name)."""

    covered: bool
    label: Literal["حمایت درمانی دارد", "حمایت درمانی ندارد"]
    tracking_code: str = Field(pattern=r"^\d{12}$")


class InquiryRecord(BaseModel):
    """A logged inquiry, for a provider verifying a tracking code."""

    tracking_code: str
    national_code: str
    newborn_birth_date: date | None
    covered: bool
    label: str
    channel: str
    asked_at: str = Field(description="ISO 8601 time")
    asked_at_jalali: str


class ErrorAnswer(BaseModel):
    """Every error: a stable code and a localized message."""

    error: str
    message: str


class Health(BaseModel):
    """The health check's answer."""

    status: Literal["ok"]
