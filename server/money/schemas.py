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


class Deduction(BaseModel):
    """A claim line the month's review reduced (`deducted` rials of its SSO share) or rejected
    (all of it), and why."""

    line: int
    date: date
    code: str
    sso_share: int
    deducted: int
    rejected: bool
    reason: str


class ReviewedMonth(BaseModel):
    """A Jalali month (`YYYY-MM`) closed by SSO's review: its deductions and the final payment,
    the accepted SSO share minus the advances already paid (negative: the centre owes it)."""

    month: str
    first_day: date
    last_day: date
    closed_on: date
    deducted: int
    accepted: int
    advances: int
    payable: int
    deductions: list[Deduction]


class Statement(BaseModel):
    """A centre's statement over a span of days (at most a year)."""

    model_config = {"populate_by_name": True}

    from_: date = Field(alias="from")
    to: date
    contracted_today: bool
    contracts: list[ContractSpan]
    days: list[StatementDay]
    months: list[ReviewedMonth]
    totals: StatementTotals
