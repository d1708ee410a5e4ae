"""The citizen's eligibility: mine, and my family's (dependants and newborns), with reasons."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask import Blueprint
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock, inquiries, messages
from ..auth.views import is_main_insured
from ..domain import eligibility as rules
from ..domain.jalali import age_on, anniversary, jalali_text
from ..domain.refusal import Forbidden, NotFound
from ..extensions import db
from ..models import Birth, Coverage, DependantLink, Person
from ..web.toolkit import operation
from .schemas import Family, FamilyMember, MyEligibility

bp = Blueprint("citizen", __name__, url_prefix="/api")

CHANNEL = "citizen"
NEWBORN_SEARCH = timedelta(days=32)  # longer than any newborn period (N1)


@dataclass(frozen=True)
class Member:
    """One person on my family screen, with their answer."""

    member_id: str  # "p<person>" for a person, "b<birth>" for a newborn
    national_code: str | None
    name: str
    relation: str
    sex: str
    age: int | None
    birth_date: date | None
    answer: inquiries.Answer
    mother_code: str | None = None


def _describe(answer: inquiries.Answer, tracking_code: str | None, today: date) -> dict:
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
    "My family's eligibility, a short list: no inquiry is logged, no tracking code is drawn",
    response=Family,
    errors=(401, 403),
)
@login_required
def family():
    """Dependants and newborns (the main insured); else myself and my newborns (a mother)."""
    me, today = current_user.person_id, clock.today()
    main_insured = is_main_insured(me)
    members = [_summary(m, today) for m in family_of(me, today, main_insured)]
    if not main_insured and len(members) == 1:  # no newborn: nothing more than the home screen
        raise Forbidden("not_main_insured")
    return {"members": members}


@bp.get("/family/<member_id>")
@operation(
    "One member's full eligibility, with a new tracking code (one logged inquiry)",
    response=FamilyMember,
    errors=(401, 404),
)
@login_required
def family_member(member_id: str):
    """The member's answer as an inquiry: logged, with its tracking code."""
    me, today = current_user.person_id, clock.today()
    members = family_of(me, today, is_main_insured(me))
    member = next((m for m in members if m.member_id == member_id), None)
    if member is None:
        raise NotFound("member_not_found")
    tracking_code = inquiries.log(
        member.answer,
        channel=CHANNEL,
        national_code=member.national_code or member.mother_code,
        newborn_birth_date=member.birth_date if member.relation == "newborn" else None,
    )
    return {**_summary(member, today), "tracking_code": tracking_code}


def family_of(me: int, today: date, main_insured: bool) -> list[Member]:
    """My dependants and newborns; for someone with no family of their own, me and my newborns."""
    if main_insured:
        people = [_dependant(row, today) for row in _dependants(me)]
    else:
        people = [_myself(me, today)]
    people += [_newborn(row, today) for row in _newborns(me, today)]
    # People with a problem first (not covered, then ending soonest), each group in its order.
    return sorted(people, key=lambda m: _urgency(m, today))


def _urgency(member: Member, today: date) -> tuple:
    """Not covered first, then covered by days left (soonest first)."""
    if not member.answer.covered:
        return (0, 0)
    return (1, (member.answer.eligibility.valid_until - today).days)


def _summary(member: Member, today: date) -> dict:
    """The list's fields for one member (no tracking code: nothing is logged)."""
    described = _describe(member.answer, None, today)
    del described["tracking_code"]
    return {
        "member_id": member.member_id,
        "national_code": member.national_code,
        "name": member.name,
        "relation": member.relation,
        "sex": member.sex,
        "age": member.age,
        "birth_date": member.birth_date.isoformat() if member.birth_date else None,
        **rule_dates(member, today),
        **described,
    }


def rule_dates(member: Member, today: date) -> dict:
    """When an age rule ends (a son's 19, a daughter's 18) or will be met (a parent's, a
    husband's age), so that the screen can say it; None where it does not apply."""
    age_limit_until = conditions_met_on = None
    born, reasons = member.birth_date, member.answer.eligibility.reasons
    if born and member.relation == "child":
        settings = rules.DEFAULT_SETTINGS
        years = settings.son_age_limit if member.sex == "M" else settings.daughter_age_limit
        edge = anniversary(born, years) - timedelta(days=1)
        age_limit_until = edge.isoformat() if edge >= today else None
    elif born and {"parent_conditions", "husband_conditions"} & set(reasons):
        settings = rules.DEFAULT_SETTINGS
        years = settings.father_age if member.sex == "M" else settings.mother_age
        if "husband_conditions" in reasons:
            years = settings.husband_age
        conditions_met_on = anniversary(born, years).isoformat()
    return {"age_limit_until": age_limit_until, "conditions_met_on": conditions_met_on}


def _dependants(insured_id: int) -> list:
    """My dependant links with each person and their snapshot."""
    return db.session.execute(
        select(DependantLink.relation, Person, Coverage)
        .join(Person, Person.id == DependantLink.dependant_id)
        .outerjoin(Coverage, Coverage.person_id == Person.id)
        .where(DependantLink.insured_id == insured_id)
        .order_by(DependantLink.relation.desc(), Person.birth_date)
    ).all()


def _snapshot_answer(person: Person, coverage: Coverage | None, today: date) -> inquiries.Answer:
    """A person's answer from their snapshot (none yet: not insured)."""
    if coverage is None:
        eligibility = rules.Eligibility(False, None, None, ("not_insured",))
    else:
        eligibility = inquiries.from_snapshot(coverage, today)
    return inquiries.Answer(person.id, eligibility)


def _person_member(relation: str, person: Person, coverage, today: date) -> Member:
    """A dependant (or myself) as a family member."""
    return Member(
        member_id=f"p{person.id}",
        national_code=person.national_code,
        name=f"{person.first_name} {person.last_name}",
        relation=relation,
        sex=person.sex,
        age=age_on(person.birth_date, today) if person.birth_date else None,
        birth_date=person.birth_date,
        answer=_snapshot_answer(person, coverage, today),
    )


def _dependant(row, today: date) -> Member:
    """One dependant as the family screen shows them."""
    relation, person, coverage = row
    return _person_member(relation, person, coverage, today)


def _myself(me: int, today: date) -> Member:
    """The signed-in person themself, for a family screen of someone who is not a main insured."""
    person = db.session.get(Person, me)
    coverage = db.session.get(Coverage, me)
    return _person_member("self", person, coverage, today)


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


def _newborn(row, today: date) -> Member:
    """A newborn under the mother's code (N1)."""
    birth, mother_code = row
    answer = inquiries.find_newborn(mother_code, birth.birth_date, today, from_registry=True)
    eligibility = answer.eligibility
    notes = (*eligibility.notes, "newborn")
    answer = inquiries.Answer(answer.person_id, replace(eligibility, notes=notes))
    name = gettext("Newborn son") if birth.sex == "M" else gettext("Newborn daughter")
    return Member(
        member_id=f"b{birth.id}",
        national_code=None,
        name=name,
        relation="newborn",
        sex=birth.sex,
        age=0,
        birth_date=birth.birth_date,
        answer=answer,
        mother_code=mother_code,
    )
