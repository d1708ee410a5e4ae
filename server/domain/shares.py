"""Who pays for a service: the insured's share and SSO's share, in whole rials, by named rules.

Given the service (kind, price, quantity, whether the catalogue covers it, inpatient or not), the
centre (kind, contracted on the day, SSO-owned, public, city), the person (birth date, covered on
the day) and the day, `shares()` answers `patient_share` and `sso_share` with
`price == patient_share + sso_share` exactly, and the rule that decided. The rules, first match
wins (issue 25):

- S6 `not_covered`: the person is not covered on the day, or the catalogue does not cover the
  item — SSO pays nothing.
- S2 `sso_owned`: an SSO-owned centre (ملکی) — the insured pays nothing.
- S4 `public_65`: a public hospital, the person 65 or older on the day — the insured pays nothing.
- S5 `public_no_sso_hospital`: a public hospital in a city where SSO has no hospital of its own
  (no active SSO-owned hospital on record there, or a city named in the settings) — nothing.
- S3 `public_inpatient`: inpatient in a public hospital — the insured pays 10 %.
- S7 `not_contracted_visit`: a visit at a centre with no contract on the day — SSO pays nothing
  for the visit (the prescription that doctor wrote is served with SSO's share elsewhere: a
  drug's share follows the centre that serves it, not the one that wrote it).
- `not_contracted`: any other service at a centre with no contract on the day — SSO pays nothing.
- S1 `outpatient`: a contracted centre (outpatient, and any service the rules above leave) —
  the insured pays 30 %.

Rounding, stated once: the insured's share is `price × percent ÷ 100` rounded *down* to the rial
(the odd rial is SSO's), and SSO's share is the rest — so the two always add up to the price.
"""

from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date

from .jalali import age_on

SERVICE_KINDS = ("drug", "lab", "imaging", "physio", "visit")
# The catalogue's visit of each kind of doctor: a general practitioner's, a specialist's.
VISIT_CODES = {"general": "V5002", "specialist": "V5000"}
_GENERAL = ("عمومی", "general")


@dataclass(frozen=True)
class Service:
    """What is served: its kind, the unit price on the day (rials), how many, catalogue cover."""

    kind: str
    unit_price: int
    quantity: int
    covered: bool = True  # the catalogue's `covered`
    inpatient: bool = False

    @property
    def price(self) -> int:
        """The whole price in rials."""
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Centre:
    """The centre that serves, as the rules see it on the day."""

    kind: str
    contracted: bool  # a contract covers the day
    sso_owned: bool = False
    public: bool = False
    city: str = ""

    @property
    def public_hospital(self) -> bool:
        """A public or university hospital."""
        return self.kind == "hospital" and self.public


@dataclass(frozen=True)
class Person:
    """The insured person on the day."""

    birth_date: date
    covered: bool


@dataclass(frozen=True)
class Settings:
    """The percentages and lists the rules read (DARMAN_SHARE_* settings)."""

    outpatient_patient_percent: int = 30
    public_inpatient_patient_percent: int = 10
    free_from_age: int = 65
    # Cities where SSO has an active hospital of its own (derived from the centres on record).
    cities_with_sso_hospital: Set[str] = field(default_factory=frozenset)
    # Cities an operator adds to S5 although SSO has a hospital there (e.g. too small for need).
    more_free_cities: Set[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Shares:
    """The split of one service's price, and the rule that decided it."""

    price: int
    patient_share: int
    sso_share: int
    rule: str


def visit_code(specialty: str | None) -> str:
    """The visit a doctor's prescription claims: a general practitioner's when no specialty is
    on record or it says general practice («پزشک عمومی»), else a specialist's."""
    text = (specialty or "").strip().lower()
    general = not text or any(word in text for word in _GENERAL)
    return VISIT_CODES["general" if general else "specialist"]


def split(price: int, patient_percent: int, rule: str) -> Shares:
    """The price split with the insured paying `patient_percent` (rounded down to the rial)."""
    if price < 0 or not 0 <= patient_percent <= 100:
        raise ValueError("a price is never negative and a percent is from 0 to 100")
    patient = price * patient_percent // 100
    return Shares(price=price, patient_share=patient, sso_share=price - patient, rule=rule)


def not_covered(service: Service, person: Person) -> bool:
    """S6: the person is not covered on the day, or the catalogue does not cover the item."""
    return not person.covered or not service.covered


def no_sso_hospital_in_city(centre: Centre, settings: Settings) -> bool:
    """S5's city test: SSO has no hospital of its own there, or an operator added the city."""
    city = centre.city.strip()
    return bool(city) and (
        city in settings.more_free_cities or city not in settings.cities_with_sso_hospital
    )


def shares(
    service: Service, centre: Centre, person: Person, on: date, settings: Settings
) -> Shares:
    """The insured's and SSO's shares of one service on a day (the module's rules, in order)."""
    price = service.price
    if not_covered(service, person):
        return split(price, 100, "not_covered")
    if centre.sso_owned:
        return split(price, 0, "sso_owned")
    if centre.public_hospital:
        if age_on(person.birth_date, on) >= settings.free_from_age:
            return split(price, 0, "public_65")
        if no_sso_hospital_in_city(centre, settings):
            return split(price, 0, "public_no_sso_hospital")
        if service.inpatient:
            return split(price, settings.public_inpatient_patient_percent, "public_inpatient")
    if not centre.contracted:
        rule = "not_contracted_visit" if service.kind == "visit" else "not_contracted"
        return split(price, 100, rule)
    return split(price, settings.outpatient_patient_percent, "outpatient")


def totals(lines: list[Shares]) -> Shares:
    """The sum of several lines (exact: integers), with no single rule."""
    return Shares(
        price=sum(line.price for line in lines),
        patient_share=sum(line.patient_share for line in lines),
        sso_share=sum(line.sso_share for line in lines),
        rule="",
    )


def advance(sso_share: int, percent: int) -> int:
    """The nightly advance of SSO's share (seed 002: 80 %), rounded down to the rial."""
    if sso_share < 0 or not 0 <= percent <= 100:
        raise ValueError("a share is never negative and a percent is from 0 to 100")
    return sso_share * percent // 100
