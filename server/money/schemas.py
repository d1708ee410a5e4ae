"""The money API's answers (the same schemas make the OpenAPI description)."""

from datetime import date

from pydantic import BaseModel, Field


class ContractSpan(BaseModel):
    """A contract with SSO over these days (no `valid_until`: open-ended)."""

    valid_from: date
    valid_until: date | None


class StatementTotals(BaseModel):
    """Sums over the statement's days, in rials."""

    lines: int
    price: int
    patient_share: int
    sso_share: int
    advance: int
    held: int


class StatementDay(StatementTotals):
    """One day's claims; once settled, whether payable, the advance paid and what is held."""

    date: date
    settled: bool
    payable: bool | None


class Statement(BaseModel):
    """A centre's statement over a span of days (at most a year)."""

    model_config = {"populate_by_name": True}

    from_: date = Field(alias="from")
    to: date
    contracted_today: bool
    contracts: list[ContractSpan]
    days: list[StatementDay]
    totals: StatementTotals
