"""Request and answer schemas of the JSON API; the same classes validate and document."""

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..domain.digits import only_digits
from ..domain.mobile import InvalidMobile, normalise_mobile
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


def _mobile(value: str) -> str:
    """Normalise a typed mobile number, or fail with `invalid_mobile`."""
    try:
        return normalise_mobile(value)
    except InvalidMobile:
        raise PydanticCustomError("invalid_mobile", "invalid mobile") from None


def _sms_code(value: str) -> str:
    """Six digits, Persian or Latin, or fail with `invalid_code`."""
    digits = only_digits(value)
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        raise PydanticCustomError("invalid_code", "invalid code")
    return digits


Mobile = Annotated[
    str,
    Field(description="Iranian mobile; +98, 0098 and Persian digits accepted", max_length=40),
    AfterValidator(_mobile),
]
SmsCode = Annotated[
    str, Field(description="the 6-digit code of the SMS", max_length=20), AfterValidator(_sms_code)
]


class SmsStartRequest(BaseModel):
    """Sign in (or register once) with the national code and the mobile on record."""

    national_code: NationalCode
    mobile: Mobile


class SmsStartAnswer(BaseModel):
    """A code was sent; verify it with this request id."""

    request_id: str
    expires_in: int = Field(description="seconds the code stays valid")
    resend_in: int = Field(description="seconds before another code may be asked for")


class SmsVerifyRequest(BaseModel):
    """The code of the SMS, for the request it was sent for."""

    request_id: str = Field(max_length=64)
    code: SmsCode


class Me(BaseModel):
    """The signed-in person."""

    national_code: str
    first_name: str
    last_name: str
    locale: str
    recent_sign_in: bool = Field(description="signed in within the last 10 minutes")
    main_insured: bool


class LocaleRequest(BaseModel):
    """The language this person reads: notices are written in it."""

    locale: Literal["fa", "en"]


class DeviceSessionItem(BaseModel):
    """A signed-in device."""

    id: str
    method: Literal["sms", "passkey"]
    browser: str
    signed_in_at: str
    last_seen_at: str
    current: bool


class DeviceSessions(BaseModel):
    """My signed-in devices."""

    sessions: list[DeviceSessionItem]


class CsrfToken(BaseModel):
    """The token to send back as the X-CSRFToken header."""

    csrf_token: str


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


class CeremonyOptions(BaseModel):
    """WebAuthn options for `navigator.credentials`, and the state to send back."""

    options: dict = Field(description="PublicKeyCredentialCreation/RequestOptions as JSON")
    state: str = Field(description="signed, expires in 5 minutes, usable once")


class PasskeyRegisterRequest(BaseModel):
    """The new credential, as `PublicKeyCredential.toJSON()` gives it."""

    state: str = Field(max_length=2000)
    credential: dict
    name: str | None = Field(default=None, max_length=100)


class PasskeyLoginRequest(BaseModel):
    """The assertion, as `PublicKeyCredential.toJSON()` gives it."""

    state: str = Field(max_length=2000)
    credential: dict


class PasskeyItem(BaseModel):
    """A passkey of mine."""

    id: int
    name: str
    created_at: str
    last_used_at: str | None
    backed_up: bool


class PasskeyList(BaseModel):
    """My passkeys."""

    passkeys: list[PasskeyItem]


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


class ErrorAnswer(BaseModel):
    """Every error: a stable code and a localized message."""

    error: str
    message: str


class Health(BaseModel):
    """The health check's answer."""

    status: Literal["ok"]
