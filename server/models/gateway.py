"""The nonces of the gateways' signed requests, kept a while so that a replay is refused."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class GatewayNonce(Base):
    """An `X-Nonce` a gateway has used; kept in the database so every worker and node sees it."""

    __tablename__ = "gateway_nonce"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
