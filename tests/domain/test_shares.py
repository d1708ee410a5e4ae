"""The share rules (server/domain/shares.py) at their edges: the 65th birthday, a city on and off
the list, an uncovered item or person, a non-contracted visit, and sums exact to the rial."""

import random
from datetime import date

import pytest

from server.domain.jalali import anniversary
from server.domain.shares import (
    Centre,
    Person,
    Service,
    Settings,
    Shares,
    advance,
    shares,
    split,
    totals,
    visit_code,
)

ON = date(2026, 11, 22)  # 1 Azar 1405
ADULT = Person(birth_date=date(1980, 3, 21), covered=True)
DRUG = Service(kind="drug", unit_price=12_345, quantity=3)
PHARMACY = Centre(kind="pharmacy", contracted=True, city="تهران")
PUBLIC_HOSPITAL = Centre(kind="hospital", contracted=True, public=True, city="تهران")
WITH_SSO_HOSPITAL = Settings(cities_with_sso_hospital=frozenset({"تهران"}))


def test_s1_outpatient_at_a_contracted_centre_pays_30_percent_rounded_down():
    answer = shares(DRUG, PHARMACY, ADULT, ON, Settings())
    assert answer == Shares(price=37_035, patient_share=11_110, sso_share=25_925, rule="outpatient")


@pytest.mark.parametrize("kind", ["drug", "lab", "imaging", "physio", "visit"])
def test_s1_holds_for_every_outpatient_kind(kind):
    service = Service(kind=kind, unit_price=1_000_000, quantity=1)
    answer = shares(service, PHARMACY, ADULT, ON, Settings())
    assert (answer.patient_share, answer.sso_share) == (300_000, 700_000)


def test_s2_at_an_sso_owned_centre_the_insured_pays_nothing():
    owned = Centre(kind="pharmacy", contracted=False, sso_owned=True)
    answer = shares(DRUG, owned, ADULT, ON, Settings())
    assert (answer.patient_share, answer.sso_share, answer.rule) == (0, 37_035, "sso_owned")


def test_s3_inpatient_in_a_public_hospital_pays_10_percent():
    stay = Service(kind="physio", unit_price=5_000_001, quantity=1, inpatient=True)
    answer = shares(stay, PUBLIC_HOSPITAL, ADULT, ON, WITH_SSO_HOSPITAL)
    assert (answer.patient_share, answer.sso_share) == (500_000, 4_500_001)
    assert answer.rule == "public_inpatient"


def test_s3_outpatient_in_a_public_hospital_is_s1():
    answer = shares(DRUG, PUBLIC_HOSPITAL, ADULT, ON, WITH_SSO_HOSPITAL)
    assert answer.rule == "outpatient"


def test_s4_the_65th_birthday_is_the_first_free_day():
    birth = date(1961, 11, 23)
    sixty_fifth = anniversary(birth, 65)
    person = Person(birth_date=birth, covered=True)
    day_before = shares(
        DRUG,
        PUBLIC_HOSPITAL,
        person,
        date.fromordinal(sixty_fifth.toordinal() - 1),
        WITH_SSO_HOSPITAL,
    )
    on_the_day = shares(DRUG, PUBLIC_HOSPITAL, person, sixty_fifth, WITH_SSO_HOSPITAL)
    assert day_before.rule == "outpatient" and day_before.patient_share > 0
    assert (on_the_day.rule, on_the_day.patient_share) == ("public_65", 0)
    assert on_the_day.sso_share == DRUG.price


def test_s4_only_in_a_public_hospital():
    old = Person(birth_date=date(1950, 1, 1), covered=True)
    private = Centre(kind="hospital", contracted=True, public=False, city="تهران")
    assert shares(DRUG, private, old, ON, WITH_SSO_HOSPITAL).rule == "outpatient"


def test_s5_a_city_with_no_sso_hospital_is_free_and_one_with_it_is_not():
    in_yazd = Centre(kind="hospital", contracted=True, public=True, city="یزد")
    assert shares(DRUG, in_yazd, ADULT, ON, WITH_SSO_HOSPITAL).rule == "public_no_sso_hospital"
    assert shares(DRUG, in_yazd, ADULT, ON, WITH_SSO_HOSPITAL).patient_share == 0
    assert shares(DRUG, PUBLIC_HOSPITAL, ADULT, ON, WITH_SSO_HOSPITAL).rule == "outpatient"


def test_s5_a_city_added_by_setting_is_free_although_sso_has_a_hospital_there():
    added = Settings(
        cities_with_sso_hospital=frozenset({"تهران"}), more_free_cities=frozenset({"تهران"})
    )
    assert shares(DRUG, PUBLIC_HOSPITAL, ADULT, ON, added).rule == "public_no_sso_hospital"


def test_s6_an_uncovered_item_or_person_sso_pays_nothing():
    uncovered_item = Service(kind="drug", unit_price=9_999, quantity=2, covered=False)
    answer = shares(uncovered_item, PHARMACY, ADULT, ON, Settings())
    assert (answer.patient_share, answer.sso_share, answer.rule) == (19_998, 0, "not_covered")
    lapsed = Person(birth_date=date(1950, 1, 1), covered=False)  # S6 before S4
    answer = shares(DRUG, PUBLIC_HOSPITAL, lapsed, ON, Settings())
    assert (answer.sso_share, answer.rule) == (0, "not_covered")


def test_s7_a_non_contracted_visit_sso_pays_nothing_but_the_drug_elsewhere_is_s1():
    office = Centre(kind="doctor", contracted=False)
    visit = Service(kind="visit", unit_price=1_500_000, quantity=1)
    answer = shares(visit, office, ADULT, ON, Settings())
    assert (answer.sso_share, answer.rule) == (0, "not_contracted_visit")
    assert shares(DRUG, PHARMACY, ADULT, ON, Settings()).rule == "outpatient"


def test_a_non_contracted_pharmacy_gets_no_share():
    answer = shares(DRUG, Centre(kind="pharmacy", contracted=False), ADULT, ON, Settings())
    assert (answer.sso_share, answer.rule) == (0, "not_contracted")


def test_a_split_always_adds_up_to_the_price():
    draw = random.Random(25)
    prices = [0, 1, 2, 99, 100, 101, 10**13] + [draw.randrange(10**13) for _ in range(2000)]
    for price in prices:
        for percent in (0, 1, 10, 30, 33, 99, 100, draw.randrange(101)):
            answer = split(price, percent, "any")
            assert answer.patient_share + answer.sso_share == price
            # rounded down: at most the exact share, and less than a rial below it
            assert answer.patient_share * 100 <= price * percent < (answer.patient_share + 1) * 100


def test_totals_are_exact_sums_and_the_advance_rounds_down():
    lines = [split(37_035, 30, "a"), split(1, 30, "b"), split(99_999_999_999, 10, "c")]
    total = totals(lines)
    assert total.price == 37_035 + 1 + 99_999_999_999
    assert total.patient_share + total.sso_share == total.price
    assert advance(25_926, 80) == 20_740  # 20 740.8 → 20 740
    with pytest.raises(ValueError):
        split(-1, 30, "x")
    with pytest.raises(ValueError):
        advance(10, 101)


@pytest.mark.parametrize(
    ("specialty", "code"),
    [
        (None, "V5002"),
        ("", "V5002"),
        ("پزشک عمومی", "V5002"),
        ("General practice", "V5002"),
        ("قلب و عروق", "V5000"),
        ("Cardiology", "V5000"),
    ],
)
def test_the_visit_tariff_follows_the_kind_of_doctor(specialty, code):
    assert visit_code(specialty) == code
