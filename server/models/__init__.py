"""SQLAlchemy models, one module per aggregate; import them from here."""

from .account import Account, DeviceSession, Passkey, RateLimitHit, SmsChallenge, UsedToken
from .base import Base
from .centre import (
    DOCUMENT_KINDS,
    KIND_SCOPES,
    MEMBER_ROLES,
    TOKEN_SCOPES,
    CentreDocument,
    CentreMember,
    MemberPasskey,
    MemberSession,
    ProviderToken,
)
from .coverage import Coverage, OutboxEvent
from .notify import (
    CoverageReminder,
    Notification,
    NotificationOptOut,
    PushDelivery,
    PushSubscription,
)
from .provider import CENTRE_STATUSES, PROVIDER_KINDS, Centre, Inquiry, Provider
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
    "CENTRE_STATUSES",
    "Centre",
    "CentreDocument",
    "CentreMember",
    "DOCUMENT_KINDS",
    "KIND_SCOPES",
    "MEMBER_ROLES",
    "MemberPasskey",
    "MemberSession",
    "ProviderToken",
    "TOKEN_SCOPES",
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
