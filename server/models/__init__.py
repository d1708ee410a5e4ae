"""SQLAlchemy models, one module per aggregate; import them from here."""

from .account import Account, DeviceSession, Passkey, RateLimitHit, SmsChallenge, UsedToken
from .base import Base
from .card import CardSigningKey
from .coverage import Coverage, OutboxEvent
from .notify import (
    CoverageReminder,
    Notification,
    NotificationOptOut,
    PushDelivery,
    PushSubscription,
)
from .provider import PROVIDER_KINDS, Inquiry, Provider
from .records import (
    PRESCRIPTION_TYPES,
    Dispensing,
    IdempotencyKey,
    Prescription,
    PrescriptionItem,
    RecordAccess,
)
from .registry import Birth, Contribution, DependantLink, Document, InsuranceRecord, Person

__all__ = [
    "CardSigningKey",
    "CoverageReminder",
    "Notification",
    "NotificationOptOut",
    "PushDelivery",
    "PushSubscription",
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
    "PRESCRIPTION_TYPES",
    "Dispensing",
    "IdempotencyKey",
    "Prescription",
    "PrescriptionItem",
    "RecordAccess",
]
