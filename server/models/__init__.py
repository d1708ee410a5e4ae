"""SQLAlchemy models, one module per aggregate; import them from here."""

from .account import (
    Account,
    DeviceSession,
    Passkey,
    RateBucket,
    RateLimitHit,
    SmsChallenge,
    UsedToken,
)
from .base import Base, in_force
from .card import CardSigningKey
from .catalogue import (
    CATALOGUE_KINDS,
    INTERACTION_SEVERITIES,
    CatalogueItem,
    Favourite,
    Interaction,
    InteractionAcknowledgement,
)
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
from .clinical import (
    ALLERGY_SEVERITIES,
    ALLERGY_STATUSES,
    Allergy,
    AllergyAcknowledgement,
    PrescriptionDiagnosis,
)
from .coverage import Coverage, OutboxEvent
from .gateway import GatewayNonce
from .hospital import Admission, OtherInsurance
from .import_run import ImportRun
from .jobs import JobRun
from .money import CLAIM_STATUSES, ClaimLine, ClaimMonth, Contract, SettledDay, Settlement, Tariff
from .notify import (
    CoverageReminder,
    Notification,
    NotificationOptOut,
    PushDelivery,
    PushSubscription,
    SmsAllowance,
    SmsNotice,
)
from .objection import OBJECTION_STATUSES, OBJECTION_SUBJECTS, Objection, ProviderReview
from .passkey_columns import PasskeyColumns
from .provider import CENTRE_STATUSES, PRESCRIBER_KINDS, PROVIDER_KINDS, Centre, Inquiry, Provider
from .records import (
    PRESCRIPTION_TYPES,
    Dispensing,
    IdempotencyKey,
    Prescription,
    PrescriptionItem,
    RecordAccess,
)
from .registry import (
    Birth,
    Contribution,
    DependantLink,
    Document,
    InsuranceRecord,
    Person,
    SpecialPatient,
)
from .staff import STAFF_ROLES, Staff, StaffAudit, StaffPasskey, StaffSession
from .submission import SUBMISSION_KINDS, SUBMISSION_STATUSES, DocumentSubmission

__all__ = [
    "CLAIM_STATUSES",
    "ClaimLine",
    "ClaimMonth",
    "Contract",
    "SettledDay",
    "Settlement",
    "Tariff",
    "CATALOGUE_KINDS",
    "INTERACTION_SEVERITIES",
    "CatalogueItem",
    "Favourite",
    "Interaction",
    "InteractionAcknowledgement",
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
    "CardSigningKey",
    "CoverageReminder",
    "Notification",
    "NotificationOptOut",
    "PushDelivery",
    "PushSubscription",
    "SmsAllowance",
    "SmsNotice",
    "Account",
    "DeviceSession",
    "Passkey",
    "PasskeyColumns",
    "RateBucket",
    "RateLimitHit",
    "SmsChallenge",
    "UsedToken",
    "Base",
    "Birth",
    "Contribution",
    "Coverage",
    "DependantLink",
    "Document",
    "GatewayNonce",
    "Inquiry",
    "JobRun",
    "InsuranceRecord",
    "OutboxEvent",
    "PRESCRIBER_KINDS",
    "PROVIDER_KINDS",
    "Person",
    "Provider",
    "PRESCRIPTION_TYPES",
    "Dispensing",
    "IdempotencyKey",
    "Prescription",
    "PrescriptionItem",
    "RecordAccess",
    "Admission",
    "OtherInsurance",
    "SpecialPatient",
    "ImportRun",
    "OBJECTION_STATUSES",
    "OBJECTION_SUBJECTS",
    "Objection",
    "ProviderReview",
    "STAFF_ROLES",
    "Staff",
    "StaffAudit",
    "StaffPasskey",
    "StaffSession",
    "ALLERGY_SEVERITIES",
    "ALLERGY_STATUSES",
    "Allergy",
    "AllergyAcknowledgement",
    "PrescriptionDiagnosis",
    "SUBMISSION_KINDS",
    "SUBMISSION_STATUSES",
    "DocumentSubmission",
    "in_force",
]
