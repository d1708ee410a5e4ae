"""The catalogue of drugs and services, the interaction table, a prescription's acknowledged
interactions, and doctors' favourite prescriptions."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

CATALOGUE_KINDS = ("drug", "lab", "imaging", "physio", "visit")
INTERACTION_SEVERITIES = ("major", "moderate", "minor")


class CatalogueItem(Base):
    """A drug or service that may be prescribed, by its code.

    `ingredients` are the drug's active ingredients (English generic names, lower case, `+`
    between them); `search` is the names reduced by `domain.search_text` for matching.
    """

    __tablename__ = "catalogue_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(200))
    generic_name: Mapped[str] = mapped_column(String(200))
    ingredients: Mapped[str] = mapped_column(String(300))
    form: Mapped[str] = mapped_column(String(60))
    strength: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(40))
    max_quantity: Mapped[int] = mapped_column(Integer)
    covered: Mapped[bool] = mapped_column(Boolean)
    search: Mapped[str] = mapped_column(String(700))


class Interaction(Base):
    """Two ingredients that interact (`ingredient_a` < `ingredient_b`), how badly, the advice in
    Persian, and the public source of the rating."""

    __tablename__ = "interaction"
    __table_args__ = (UniqueConstraint("ingredient_a", "ingredient_b"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ingredient_a: Mapped[str] = mapped_column(String(100))
    ingredient_b: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    advice: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(500))


class InteractionAcknowledgement(Base):
    """A major interaction or duplicate the doctor wrote through, with the reason given; shown
    to the centres that deliver the prescription."""

    __tablename__ = "interaction_acknowledgement"
    __table_args__ = (UniqueConstraint("prescription_id", "finding_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescription.id"), index=True)
    finding_id: Mapped[str] = mapped_column(String(300))
    item_a: Mapped[str] = mapped_column(String(30))
    item_b: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))  # major | duplicate
    ingredients: Mapped[str] = mapped_column(String(200))  # the two, `+` between them
    current: Mapped[bool] = mapped_column(Boolean)  # item_b is a current medicine
    advice: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(String(300))


class Favourite(Base):
    """A named prescription a doctor starts new ones from.

    It belongs to the provider (the centre) today; `member_id` is for the doctor member of a
    centre, once centres have members. `items` is a list of `{code, quantity, instructions}`.
    """

    __tablename__ = "favourite"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(10))
    items: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
