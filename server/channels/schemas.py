"""Request and answer schemas of the inbound SMS webhook (they also feed the OpenAPI document)."""

from pydantic import BaseModel, ConfigDict, Field

from ..web.fields import Mobile


class SmsInbound(BaseModel):
    """One message a person sent to our SMS line, as the provider forwards it."""

    model_config = ConfigDict(title="SmsInbound")

    sender: Mobile = Field(alias="from", description="the sender's mobile")
    text: str = Field(max_length=1000, description="the message; a national code is answered")


class SmsInboundAnswer(BaseModel):
    """The reply went out by SMS."""

    replied: bool
