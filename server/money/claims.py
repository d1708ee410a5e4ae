"""Claim lines: what a centre claims for each item it delivers (and each visit), priced on the
service date by the tariff in force, split by the share rules of `server/domain/shares.py`.

A line is written in the same unit of work as the delivery it prices, so a delivery and its
claim are one: both or neither. An item with no tariff on the service date is still delivered
(a patient is never turned away for a missing price) and claimed at 0 under the rule
`no_tariff`, which the settlement lists as not payable.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import exists, func, select

from .. import clock
from ..domain import shares
from ..domain.jalali import jalali_date, to_jalali
from ..extensions import db
from ..hospitals import admissions
from ..models import CatalogueItem, CentreMember, ClaimLine, Contract, Person, Provider
from .contracts import covering
from .tariffs import prices_on


@dataclass(frozen=True)
class Served:
    """One thing served: its catalogue code and quantity, and the dispensing row it was (if
    any)."""

    code: str
    quantity: int
    dispensing_id: int | None = None
    kind: str = "drug"  # used only when the catalogue does not hold the code


def share_settings(centre: shares.Centre) -> shares.Settings:
    """The share rules' settings (DARMAN_SHARE_*) and the cities where SSO has a hospital of its
    own (an active SSO-owned hospital on record). Only a public centre's shares depend on those
    cities (rule S5): for any other `centre` they are not read — a query less per delivery."""
    config = current_app.config
    cities = ()
    if centre.public:
        cities = db.session.scalars(
            select(Provider.city).where(
                Provider.kind == "hospital", Provider.sso_owned, Provider.status == "active"
            )
        )
    listed = config["DARMAN_SHARE_FREE_CITIES"].split(",")
    return shares.Settings(
        outpatient_patient_percent=config["DARMAN_SHARE_OUTPATIENT_PERCENT"],
        public_inpatient_patient_percent=config["DARMAN_SHARE_PUBLIC_INPATIENT_PERCENT"],
        free_from_age=config["DARMAN_SHARE_FREE_FROM_AGE"],
        cities_with_sso_hospital=frozenset(city.strip() for city in cities if city.strip()),
        more_free_cities=frozenset(city.strip() for city in listed if city.strip()),
    )


def centre_on(provider_id: int, day: date) -> shares.Centre:
    """The centre as the share rules see it on the day (its row and whether a contract covers
    the day, in one query)."""
    contracted = exists().where(Contract.provider_id == Provider.id, covering(day))
    kind, sso_owned, public, city, covered = db.session.execute(
        select(Provider.kind, Provider.sso_owned, Provider.public, Provider.city, contracted)
        .where(Provider.id == provider_id)
    ).one()  # fmt: skip
    return shares.Centre(
        kind=kind, contracted=bool(covered), sso_owned=sso_owned, public=public, city=city
    )


def claim(
    provider_id: int,
    person_id: int,
    covered: bool,
    served: list[Served],
    tracking_code: str,
    prescription_id: int | None = None,
) -> list[ClaimLine]:
    """Price and split each thing served today, and add its claim line (flushed), with the
    tracking code of the eligibility inquiry made for it."""
    day = clock.today()
    prices = prices_on([thing.code for thing in served], day)
    catalogue = {
        item.code: item
        for item in db.session.scalars(
            select(CatalogueItem).where(CatalogueItem.code.in_({thing.code for thing in served}))
        )
    }
    person = shares.Person(birth_date=db.session.get(Person, person_id).birth_date, covered=covered)
    centre = centre_on(provider_id, day)
    settings = share_settings(centre)
    # S3: what a hospital serves a patient it has admitted is inpatient care.
    inpatient = centre.kind == "hospital" and admissions.inpatient_on(provider_id, person_id, day)
    lines = []
    for thing in served:
        item = catalogue.get(thing.code)
        service = shares.Service(
            kind=item.kind if item else thing.kind,
            unit_price=prices.get(thing.code, 0),
            quantity=thing.quantity,
            covered=item.covered if item else True,
            inpatient=inpatient,
        )
        split = shares.shares(service, centre, person, day, settings)
        rule = split.rule if thing.code in prices else "no_tariff"
        line = ClaimLine(
            provider_id=provider_id,
            service_date=day,
            kind=service.kind,
            code=thing.code,
            quantity=thing.quantity,
            unit_price=service.unit_price,
            price=split.price,
            patient_share=split.patient_share,
            sso_share=split.sso_share,
            rule=rule,
            person_id=person_id,
            tracking_code=tracking_code,
            prescription_id=prescription_id,
            dispensing_id=thing.dispensing_id,
            created_at=clock.now(),
            status="open",
            deducted=0,
        )
        db.session.add(line)
        lines.append(line)
    db.session.flush()
    return lines


def claim_visit(
    provider_id: int,
    member_id: int | None,
    person_id: int,
    covered: bool,
    tracking_code: str,
    prescription_id: int,
) -> ClaimLine | None:
    """The visit a doctor's prescription stands for (seed 002: a contracted doctor is paid for
    it), at the visit tariff of the doctor's kind — once per patient, doctor and day, however
    many prescriptions the visit gave. The caller holds the patient's lock, so two
    prescriptions written at once make one visit."""
    day = clock.today()
    claimed = select(ClaimLine.id).where(
        ClaimLine.provider_id == provider_id,
        ClaimLine.person_id == person_id,
        ClaimLine.service_date == day,
        ClaimLine.kind == "visit",
        ClaimLine.dispensing_id.is_(None),
    )
    if db.session.scalar(claimed.limit(1)) is not None:
        return None
    specialty = None
    if member_id is not None:
        specialty = db.session.scalar(
            select(CentreMember.specialty).where(CentreMember.id == member_id)
        )
    code = shares.visit_code(specialty)
    visit = Served(code, 1, kind="visit")
    return claim(provider_id, person_id, covered, [visit], tracking_code, prescription_id)[0]


def lines_of(dispensing_ids: list[int]) -> dict[int, ClaimLine]:
    """The claim line of each of these dispensing rows, by dispensing id."""
    rows = db.session.scalars(select(ClaimLine).where(ClaimLine.dispensing_id.in_(dispensing_ids)))
    return {line.dispensing_id: line for line in rows}


def priced(line: ClaimLine) -> dict:
    """A claim line's money as the API answers it (integers, rials)."""
    return {
        "unit_price": line.unit_price,
        "price": line.price,
        "patient_share": line.patient_share,
        "sso_share": line.sso_share,
    }


def price_items(shown: list[dict], lines: list[ClaimLine]) -> None:
    """Add to each item of an answer what this delivery of it cost and who paid (an item not
    delivered now: its unit price today, 0 for the rest)."""
    money = {line.code: priced(line) for line in lines}
    others = [item["code"] for item in shown if item["code"] not in money]
    prices = prices_on(others, clock.today()) if others else {}
    for item in shown:
        nothing = {"unit_price": prices.get(item["code"], 0), "price": 0}
        item.update(money.get(item["code"], nothing | {"patient_share": 0, "sso_share": 0}))


def totals(lines: list[ClaimLine]) -> dict:
    """The lines' sums (exact: integers)."""
    return {
        "price": sum(line.price for line in lines),
        "patient_share": sum(line.patient_share for line in lines),
        "sso_share": sum(line.sso_share for line in lines),
    }


def paid_in_year(person_id: int, today: date) -> dict:
    """What the person paid and what SSO paid for their care in this Jalali year (whole rials):
    `{year, patient_share, sso_share}`."""
    year = to_jalali(today)[0]
    first, last = jalali_date(year, 1, 1), jalali_date(year + 1, 1, 1)
    patient, sso = db.session.execute(
        select(
            func.coalesce(func.sum(ClaimLine.patient_share), 0),
            func.coalesce(func.sum(ClaimLine.sso_share - ClaimLine.deducted), 0),
        ).where(
            ClaimLine.person_id == person_id,
            ClaimLine.service_date >= first,
            ClaimLine.service_date < last,
        )
    ).one()
    return {"year": year, "patient_share": int(patient), "sso_share": int(sso)}
