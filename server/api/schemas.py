"""Request and answer schemas of the citizen and provider APIs; the same classes validate and
document.

The sign-in schemas are in `server.auth.schemas` and the shared field types in
`server.web.fields`; they are re-exported here for one release, so that code written against the
old place still imports (new code imports them from where they live).
"""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..auth.schemas import (  # noqa: F401  (re-exported for one release)
    CeremonyOptions,
    CsrfToken,
    DeviceSessionItem,
    DeviceSessions,
    LocaleRequest,
    Me,
    PasskeyItem,
    PasskeyList,
    PasskeyLoginRequest,
    PasskeyRegisterRequest,
    SmsStartAnswer,
    SmsStartRequest,
    SmsVerifyRequest,
)
from ..web.fields import Mobile, NationalCode, SmsCode  # noqa: F401  (re-exported)
from ..web.toolkit import ErrorAnswer  # noqa: F401  (re-exported)


class Reason(BaseModel):
    """Why someone is not covered, in words; D3/D4 reasons carry the seed's procedure note."""

    code: str
    message: str
    note: str | None = None


class Note(BaseModel):
    """An informational line (65 and over, newborn)."""

    code: str
    message: str


class EligibilityFacts(BaseModel):
    """A person's eligibility as its owner (or the family's main insured) sees it, unlogged."""

    national_code: str | None
    name: str
    covered: bool
    label: Literal["حمایت درمانی دارد", "حمایت درمانی ندارد"]
    valid_until: date | None
    valid_until_jalali: str | None
    days_left: int | None = Field(description="days of cover left, today included")
    basis: str | None
    reasons: list[Reason]
    notes: list[Note]
    checked_at: str


class Eligibility(EligibilityFacts):
    """An answer that was logged as an inquiry, with its tracking code."""

    tracking_code: str


class MyEligibility(Eligibility):
    """My own eligibility, with the seed's notes."""

    as_of_note: str
    objection: str


class FamilyListMember(EligibilityFacts):
    """A dependant or a newborn on my family (or myself, for someone with no family of their
    own), as the short list shows them: no inquiry is logged, so no tracking code."""

    member_id: str = Field(description="for GET /api/family/<member_id>")
    relation: Literal["spouse", "child", "parent", "newborn", "self"]
    sex: Literal["M", "F"]
    age: int | None
    birth_date: date | None
    age_limit_until: date | None = Field(
        description="a child's last day of cover by age (before the 19th/18th birthday)"
    )
    conditions_met_on: date | None = Field(
        description="a parent's or husband's birthday at which the age condition is met"
    )


class FamilyMember(FamilyListMember):
    """One member's full answer, logged as an inquiry."""

    tracking_code: str


class Family(BaseModel):
    """The dependants and newborns of the main insured (or myself and my newborns)."""

    members: list[FamilyListMember]


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
    tracking_code: str = Field(pattern=r"^[0-9]{12}$")


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


class Health(BaseModel):
    """The health check's answer."""

    status: Literal["ok"]
