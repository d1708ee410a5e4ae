"""The offline card's signing keys kept in the database, so that every node signs alike.

`private_pem` is PKCS#8 encrypted with the app's secret key: a copy of the database alone
does not give away a key that signs cards.
"""

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class CardSigningKey(Base):
    """One published key: next, current (signing) or retired (published, private key gone)."""

    __tablename__ = "card_signing_key"

    kid: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))  # next | current | retired
    x: Mapped[str] = mapped_column(String(64))  # the raw public key, base64url
    private_pem: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
