"""The citizen's eligibility: mine, and my family's (dependants and newborns), with reasons."""

from dataclasses import replace
from datetime import date, timedelta

from flask import Blueprint
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock, inquiries, messages
from ..auth.views import is_main_insured
from ..domain import eligibility as rules
from ..domain.jalali import age_on, jalali_text
from ..errors import ApiError
from ..extensions import db
from ..models import Birth, Coverage, DependantLink, Person
from . import operation
from .schemas import Family, MyEligibility

bp = Blueprint("citizen", __name__, url_prefix="/api")

CHANNEL = "citizen"
NEWBORN_SEARCH = timedelta(days=32)  # longer than any newborn period (N1)


def _describe(answer: inquiries.Answer, tracking_code: str, today: date) -> dict:
    """The eligibility fields every citizen answer has."""
    eligibility = answer.eligibility
    valid_until = eligibility.valid_until
    return {
        "covered": answer.covered,
        "label": answer.label,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "valid_until_jalali": jalali_text(valid_until) if valid_until else None,
        "days_left": (valid_until - today).days + 1 if answer.covered else None,
        "basis": eligibility.basis,
        "reasons": [messages.reason(code) for code in eligibility.reasons],
        "notes": [messages.note(code) for code in eligibility.notes],
        "tracking_code": tracking_code,
        "checked_at": clock.as_tehran(clock.now()).isoformat(),
    }


@bp.get("/eligibility")
@operation("My eligibility for treatment", response=MyEligibility, errors=(401,))
@login_required
def my_eligibility():
    """Status, expiry (ISO and Jalali), days left, reasons, notes and a fresh tracking code."""
    today = clock.today()
    person = db.session.get(Person, current_user.person_id)
    answer = inquiries.find(person.national_code, today)
    tracking_code = inquiries.log(answer, channel=CHANNEL, national_code=person.national_code)
    return {
        "national_code": person.national_code,
        "name": f"{person.first_name} {person.last_name}",
        **_describe(answer, tracking_code, today),
        "as_of_note": str(messages.AS_OF_TODAY),
        "objection": str(messages.OBJECTION),
    }


@bp.get("/family")
@operation(
    "My dependants and newborns, each with eligibility (main insured only)",
    response=Family,
    errors=(401, 403),
)
@login_required
def family():
    """Each dependant (name, relation, age) and each newborn under one month."""
    me = current_user.person_id
    if not is_main_insured(me):
        message = gettext("Only the main insured can see the family's eligibility.")
        raise ApiError(403, "not_main_insured", message)
    today = clock.today()
    members = [_dependant(row, today) for row in _dependants(me)]
    members += [_newborn(row, today) for row in _newborns(me, today)]
    return {"members": members}


def _dependants(insured_id: int) -> list:
    """My dependant links with each person and their snapshot."""
    return db.session.execute(
        select(DependantLink.relation, Person, Coverage)
        .join(Person, Person.id == DependantLink.dependant_id)
        .outerjoin(Coverage, Coverage.person_id == Person.id)
        .where(DependantLink.insured_id == insured_id)
        .order_by(DependantLink.relation.desc(), Person.birth_date)
    ).all()


def _dependant(row, today: date) -> dict:
    """One dependant as the family screen shows them, logged as an inquiry."""
    relation, person, coverage = row
    if coverage is None:
        eligibility = rules.Eligibility(False, None, None, ("not_insured",))
    else:
        eligibility = inquiries.from_snapshot(coverage, today)
    answer = inquiries.Answer(person.id, eligibility)
    tracking_code = inquiries.log(answer, channel=CHANNEL, national_code=person.national_code)
    return {
        "national_code": person.national_code,
        "name": f"{person.first_name} {person.last_name}",
        "relation": relation,
        "sex": person.sex,
        "age": age_on(person.birth_date, today) if person.birth_date else None,
        **_describe(answer, tracking_code, today),
    }


def _newborns(me: int, today: date) -> list:
    """Births of the last month to me or to my wife, with the mother's national code."""
    mothers = select(DependantLink.dependant_id).where(
        DependantLink.insured_id == me, DependantLink.relation == "spouse"
    )
    rows = db.session.execute(
        select(Birth, Person.national_code)
        .join(Person, Person.id == Birth.mother_id)
        .where(
            (Birth.mother_id == me) | Birth.mother_id.in_(mothers),
            Birth.birth_date > today - NEWBORN_SEARCH,
            Birth.birth_date <= today,
        )
        .order_by(Birth.birth_date.desc())
    ).all()
    return [row for row in rows if rules.newborn_until(row.Birth.birth_date) >= today]


def _newborn(row, today: date) -> dict:
    """A newborn under the mother's code (N1), logged as an inquiry."""
    birth, mother_code = row
    answer = inquiries.find_newborn(mother_code, birth.birth_date, today)
    eligibility = answer.eligibility
    notes = (*eligibility.notes, "newborn")
    answer = inquiries.Answer(answer.person_id, replace(eligibility, notes=notes))
    tracking_code = inquiries.log(
        answer, channel=CHANNEL, national_code=mother_code, newborn_birth_date=birth.birth_date
    )
    name = gettext("Newborn son") if birth.sex == "M" else gettext("Newborn daughter")
    return {
        "national_code": None,
        "name": name,
        "relation": "newborn",
        "sex": birth.sex,
        "age": 0,
        **_describe(answer, tracking_code, today),
    }
