"""SQLAlchemy models, one module per aggregate; import them from here."""

from .account import Account, DeviceSession, Passkey, RateLimitHit, SmsChallenge, UsedToken
from .base import Base
from .coverage import Coverage, OutboxEvent
from .provider import PROVIDER_KINDS, Inquiry, Provider
from .registry import Birth, Contribution, DependantLink, Document, InsuranceRecord, Person

__all__ = [
    "Account",
    "DeviceSession",
    "Passkey",
    "RateLimitHit",
    "SmsChallenge",
    "UsedToken",
    "Base",
    "Birth",
    "Contribution",
    "Coverage",
    "DependantLink",
    "Document",
    "Inquiry",
    "InsuranceRecord",
    "OutboxEvent",
    "PROVIDER_KINDS",
    "Person",
    "Provider",
]
