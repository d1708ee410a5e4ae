"""SQLAlchemy models, one module per aggregate; import them from here."""

from .base import Base
from .coverage import Coverage, OutboxEvent
from .provider import PROVIDER_KINDS, Inquiry, Provider
from .registry import Birth, Contribution, DependantLink, Document, InsuranceRecord, Person

__all__ = [
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
