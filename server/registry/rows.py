"""Parsing one CSV row of the registry files (DESIGN §5) into column values, or a reason why not.

Each parser returns the row's values with national codes still as codes; the importer resolves
them to person ids. A `RowProblem` carries the Persian reason reported as `file:line: reason`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from flask_babel import gettext

from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.national_code import InvalidNationalCode, normalise

INSURANCE_KINDS = ("worker", "self_employed", "voluntary", "pensioner", "unemployment")
RELATIONS = ("spouse", "child", "parent")
DOCUMENT_KINDS = ("student_certificate", "unmarried_verified", "disability")
SEXES = ("M", "F")


class RowProblem(ValueError):
    """Why a row cannot be imported, in words for the operator."""


def national_code(row: dict, column: str) -> str:
    """A required national code, normalised."""
    text = row[column]
    try:
        return normalise(text)
    except InvalidNationalCode:
        raise RowProblem(
            gettext("%(column)s is not a valid national code: %(value)r", column=column, value=text)
        ) from None


def required_date(row: dict, column: str) -> date:
    """A required ISO date that exists in the calendar."""
    value = optional_date(row, column)
    if value is None:
        raise RowProblem(gettext("%(column)s is required", column=column))
    return value


def optional_date(row: dict, column: str) -> date | None:
    """An ISO date, or None when empty; 2023-02-30 is refused."""
    text = row[column].strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RowProblem(
            gettext(
                "%(column)s is not an existing date (YYYY-MM-DD): %(value)r",
                column=column,
                value=text,
            )
        ) from None


def choice(row: dict, column: str, allowed: tuple[str, ...]) -> str:
    """One of the allowed values."""
    value = row[column].strip()
    if value not in allowed:
        raise RowProblem(
            gettext(
                "%(column)s must be one of %(allowed)s, not %(value)r",
                column=column,
                allowed=", ".join(allowed),
                value=value,
            )
        )
    return value


def integer(row: dict, column: str, low: int, high: int) -> int:
    """A whole number between low and high."""
    text = row[column].strip()
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise RowProblem(
            gettext(
                "%(column)s must be a whole number from %(low)d to %(high)d, not %(value)r",
                column=column,
                low=low,
                high=high,
                value=text,
            )
        )
    return int(text)


def text(row: dict, column: str, max_length: int, *, required: bool = True) -> str:
    """A trimmed text of bounded length."""
    value = row[column].strip()
    if required and not value:
        raise RowProblem(gettext("%(column)s is required", column=column))
    if len(value) > max_length:
        raise RowProblem(gettext("%(column)s is too long", column=column))
    return value


def period(start: date | None, end: date | None, start_column: str, end_column: str) -> None:
    """The end of a period is not before its start."""
    if start is not None and end is not None and end < start:
        raise RowProblem(gettext("%(end)s is before %(start)s", end=end_column, start=start_column))


def holds_period(start_column: str, end_column: str) -> Callable:
    """A parser whose rows hold a period from `start_column` to `end_column` (see `period`)."""

    def decorate(parse: Callable[[dict], dict]) -> Callable[[dict], dict]:
        @wraps(parse)
        def parse_with_period(row: dict) -> dict:
            values = parse(row)
            period(values[start_column], values[end_column], start_column, end_column)
            return values

        return parse_with_period

    return decorate


@holds_period("birth_date", "death_date")
def person(row: dict) -> dict:
    """persons.csv"""
    mobile = row["mobile"].strip()
    if mobile:
        try:
            mobile = normalise_mobile(mobile)
        except InvalidMobile:
            raise RowProblem(
                gettext("mobile is not an Iranian mobile number: %(value)r", value=mobile)
            ) from None
    return {
        "national_code": national_code(row, "national_code"),
        "first_name": text(row, "first_name", 60),
        "last_name": text(row, "last_name", 60),
        "birth_date": optional_date(row, "birth_date"),
        "sex": choice(row, "sex", SEXES),
        "mobile": mobile or None,
        "death_date": optional_date(row, "death_date"),
    }


@holds_period("start_date", "end_date")
def insured(row: dict) -> dict:
    """insured.csv"""
    return {
        "national_code": national_code(row, "national_code"),
        "insurance_number": text(row, "insurance_number", 20),
        "kind": choice(row, "kind", INSURANCE_KINDS),
        "start_date": required_date(row, "start_date"),
        "end_date": optional_date(row, "end_date"),
    }


@holds_period("start_date", "end_date")
def dependant(row: dict) -> dict:
    """dependants.csv"""
    values = {
        "insured_national_code": national_code(row, "insured_national_code"),
        "national_code": national_code(row, "national_code"),
        "relation": choice(row, "relation", RELATIONS),
        "start_date": optional_date(row, "start_date"),
        "end_date": optional_date(row, "end_date"),
    }
    if values["insured_national_code"] == values["national_code"]:
        raise RowProblem(gettext("a person cannot be their own dependant"))
    return values


def contribution(row: dict) -> dict:
    """contributions.csv (days per Jalali month)"""
    return {
        "national_code": national_code(row, "national_code"),
        "jalali_year": integer(row, "jalali_year", 1300, 1500),
        "jalali_month": integer(row, "jalali_month", 1, 12),
        "days": integer(row, "days", 0, 31),
        "workshop_code": text(row, "workshop_code", 20),
    }


@holds_period("valid_from", "valid_until")
def document(row: dict) -> dict:
    """documents.csv"""
    return {
        "national_code": national_code(row, "national_code"),
        "kind": choice(row, "kind", DOCUMENT_KINDS),
        "valid_from": required_date(row, "valid_from"),
        "valid_until": optional_date(row, "valid_until"),
    }


@holds_period("valid_from", "valid_until")
def special_patient(row: dict) -> dict:
    """special_patients.csv"""
    return {
        "national_code": national_code(row, "national_code"),
        "condition": text(row, "condition", 100),
        "valid_from": required_date(row, "valid_from"),
        "valid_until": optional_date(row, "valid_until"),
    }


def birth(row: dict) -> dict:
    """births.csv"""
    return {
        "mother_national_code": national_code(row, "mother_national_code"),
        "birth_date": required_date(row, "birth_date"),
        "sex": choice(row, "sex", SEXES),
    }


@holds_period("start_date", "end_date")
def other_insurance(row: dict) -> dict:
    """other_insurance.csv: another base insurer covering the person over a span"""
    return {
        "national_code": national_code(row, "national_code"),
        "insurer": text(row, "insurer", 100),
        "start_date": required_date(row, "start_date"),
        "end_date": optional_date(row, "end_date"),
    }


@dataclass(frozen=True)
class FileFormat:
    """One registry file: its columns and the parser of its rows."""

    name: str
    columns: tuple[str, ...]
    parse: Callable[[dict], dict]


FORMATS = (
    FileFormat(
        "persons.csv",
        ("national_code", "first_name", "last_name", "birth_date", "sex", "mobile", "death_date"),
        person,
    ),
    FileFormat(
        "insured.csv",
        ("national_code", "insurance_number", "kind", "start_date", "end_date"),
        insured,
    ),
    FileFormat(
        "dependants.csv",
        ("insured_national_code", "national_code", "relation", "start_date", "end_date"),
        dependant,
    ),
    FileFormat(
        "contributions.csv",
        ("national_code", "jalali_year", "jalali_month", "days", "workshop_code"),
        contribution,
    ),
    FileFormat("documents.csv", ("national_code", "kind", "valid_from", "valid_until"), document),
    FileFormat("births.csv", ("mother_national_code", "birth_date", "sex"), birth),
    FileFormat(
        "special_patients.csv",
        ("national_code", "condition", "valid_from", "valid_until"),
        special_patient,
    ),
    FileFormat(
        "other_insurance.csv",
        ("national_code", "insurer", "start_date", "end_date"),
        other_insurance,
    ),
)
