"""Request and answer schemas of the sign-in API: SMS codes, passkeys, me and my devices."""

from typing import Literal

from pydantic import BaseModel, Field

from ..web.fields import Mobile, NationalCode, SmsCode


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
