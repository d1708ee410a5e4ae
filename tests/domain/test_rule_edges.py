"""The edges of each rule: the first and last day a rule holds, the smallest amount that counts.

These are the cases mutation testing (mutmut, see the README) found unchecked: each test fails
when a `<=` becomes `<`, a `> 0` becomes `> 1`, or a default changes.
"""

from datetime import date, timedelta

import jdatetime
import pytest

from server.domain.digits import only_digits
from server.domain.eligibility import (
    ContributionSummary,
    DependantLink,
    Document,
    Eligibility,
    InsuranceRecord,
    PersonFacts,
    Settings,
    dependant,
    document_counts,
    impossible_birth,
    main_insured,
    main_insured_rule,
    n1_newborn,
    newborn_until,
    person_eligibility,
    r2_self_employed,
    r3_pensioner,
    r4_unemployment,
    summarise_contributions,
)
from server.domain.jalali import is_valid_month, jalali_text, month_length
from server.domain.national_code import check_digit
from server.domain.tracking import luhn_digit

ON = date(2025, 10, 7)  # 15 Mehr 1404
INSURED_UNTIL = date(2026, 3, 20)  # 29 Esfand 1404


def test_a_month_with_a_single_day_is_a_paid_month():
    summary = summarise_contributions([(1404, 5, 30), (1404, 6, 1)])
    assert summary == ContributionSummary(31, (1404, 6))


def test_a_month_with_no_day_is_not_a_paid_month():
    assert summarise_contributions([(1404, 5, 30), (1404, 6, 0)]).last_paid_month == (1404, 5)


def test_self_employed_is_the_default_basis_of_r2():
    answer = r2_self_employed(ContributionSummary(30, (1404, 7)), ON)
    assert (answer.covered, answer.basis) == (True, "self_employed")
    assert r2_self_employed(ContributionSummary(0, None), ON).basis == "self_employed"


def test_a_pension_that_starts_today_covers_today():
    answer = r3_pensioner(InsuranceRecord("pensioner", start_date=ON), ON)
    assert (answer.covered, answer.valid_until) == (True, date(2025, 11, 21))  # 30 Aban 1404


def test_a_pension_that_ends_today_covers_today():
    answer = r3_pensioner(InsuranceRecord("pensioner", date(2020, 1, 1), end_date=ON), ON)
    assert (answer.covered, answer.valid_until) == (True, ON)


def test_an_unemployment_benefit_that_starts_today_covers_today():
    record = InsuranceRecord("unemployment", start_date=ON, end_date=date(2026, 1, 1))
    answer = r4_unemployment(record, ON)
    assert (answer.covered, answer.valid_until) == (True, date(2026, 1, 1))


def test_a_document_counts_on_its_first_and_last_day():
    document = Document("disability", valid_from=ON, valid_until=ON)
    assert document_counts(document, ON)
    assert not document_counts(document, date(2025, 10, 6))
    assert not document_counts(document, date(2025, 10, 8))


def test_a_date_is_persian_text_by_default():
    assert jalali_text(date(2027, 9, 22)) == "۳۱ شهریور ۱۴۰۶"


def test_a_newborn_born_long_ago_is_not_covered_and_has_no_date():
    answer = n1_newborn(date(1, 1, 1), INSURED_UNTIL, ON)
    assert answer == Eligibility(False, None, "newborn", ("newborn_period_ended",))


@pytest.mark.parametrize(
    ("born", "mother_born", "problem"),
    [
        (date(2026, 11, 23), date(1985, 3, 3), "future_date"),
        (date(2026, 11, 22), date(1985, 3, 3), None),  # born today
        (date(2025, 11, 21), date(1985, 3, 3), None),  # 366 days: past N1, its answer kept
        (date(2025, 11, 20), date(1985, 3, 3), "not_a_newborn"),
        (date(1985, 3, 3), date(1985, 3, 3), "not_a_newborn"),  # the same for every mother
        (date(1, 1, 1), None, "not_a_newborn"),
        (date(2026, 5, 1), date(2026, 5, 1), "born_before_mother"),  # a mother born this year
        (date(2026, 5, 2), date(2026, 5, 1), None),
    ],
)
def test_an_impossible_birth_is_after_today_before_the_year_or_the_mother(
    born, mother_born, problem
):
    assert impossible_birth(born, date(2026, 11, 22), mother_born) == problem


def test_a_birth_366_days_ago_still_gets_its_newborn_date():
    born = ON - timedelta(days=366)
    answer = n1_newborn(born, INSURED_UNTIL, ON)
    assert (answer.covered, answer.valid_until) == (False, newborn_until(born))
    assert answer.reasons == ("newborn_period_ended",)


def test_a_newborn_is_covered_on_the_last_day_of_the_mothers_cover():
    answer = n1_newborn(ON - timedelta(days=5), ON, ON)
    assert (answer.covered, answer.valid_until) == (True, ON)


WORKER = InsuranceRecord("worker", date(2024, 1, 1))
A_MONTH_PAID = ContributionSummary(30, (1404, 6))  # under a year: 1 month on (end of Mehr)
LONGER = Settings(continuation=((1, 2), (2, 2), (5, 3), (10, 6)))  # under a year: 2 months


def test_the_worker_rule_uses_the_given_settings():
    assert main_insured_rule(WORKER, A_MONTH_PAID, ON).valid_until == date(2025, 10, 22)
    assert main_insured_rule(WORKER, A_MONTH_PAID, ON, LONGER).valid_until == date(2025, 11, 21)
    assert main_insured([WORKER], A_MONTH_PAID, ON, LONGER).valid_until == date(2025, 11, 21)


def test_voluntary_and_self_employed_are_r2_with_their_own_basis():
    paid_mehr = ContributionSummary(30, (1404, 7))
    for kind in ("voluntary", "self_employed"):
        answer = main_insured_rule(InsuranceRecord(kind, date(2024, 1, 1)), paid_mehr, ON)
        assert (answer.covered, answer.valid_until, answer.basis) == (
            True,
            date(2025, 10, 22),
            kind,
        )


def test_an_unknown_insurance_kind_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown insurance kind: 'farmer'"):
        main_insured_rule(InsuranceRecord("farmer", date(2024, 1, 1)), A_MONTH_PAID, ON)


def a_link(relation: str) -> DependantLink:
    """A live link to an insured covered to 29 Esfand 1404."""
    return DependantLink(relation, date(2015, 1, 1), None, INSURED_UNTIL)


@pytest.mark.parametrize(
    ("person", "relation", "settings"),
    [
        (PersonFacts(date(1970, 1, 1), "M"), "spouse", Settings(husband_age=50)),  # 55
        (PersonFacts(date(2004, 1, 1), "M"), "child", Settings(son_age_limit=25)),  # 21
        (PersonFacts(date(2005, 1, 1), "F"), "child", Settings(daughter_age_limit=25)),  # 20
        (PersonFacts(date(1970, 1, 1), "M"), "parent", Settings(father_age=50)),  # 55
        (PersonFacts(date(1975, 1, 1), "F"), "parent", Settings(mother_age=50)),  # 50
    ],
)
def test_the_dependant_rules_use_the_given_settings(person, relation, settings):
    assert not dependant(person, a_link(relation), [], ON).covered
    assert dependant(person, a_link(relation), [], ON, settings).covered


def test_an_unknown_relation_is_named_in_the_error():
    with pytest.raises(ValueError, match="unknown relation or sex: 'cousin', 'F'"):
        dependant(PersonFacts(date(1990, 1, 1), "F"), a_link("cousin"), [], ON)


def test_a_person_answer_uses_the_given_settings_for_links_and_notes():
    husband = PersonFacts(date(1970, 1, 1), "M")  # 55
    default = person_eligibility(husband, None, [a_link("spouse")], [], ON)
    younger = person_eligibility(
        husband, None, [a_link("spouse")], [], ON, Settings(husband_age=50)
    )
    assert (default.covered, younger.covered) == (False, True)
    noted = person_eligibility(husband, None, [], [], ON, Settings(free_public_hospital_age=55))
    assert noted.notes == ("over_65",)


def test_the_check_digit_needs_exactly_nine_digits():
    assert check_digit("001234567") == 9
    with pytest.raises(ValueError):
        check_digit("00123456")


def test_luhn_folds_a_doubled_five():
    assert luhn_digit("5") == 9  # 5 doubled is 10, folded to 1
    assert luhn_digit("7992739871") == 3


def test_only_separators_are_dropped_from_typed_digits():
    assert only_digits("۰۰۱-۲۳ ۴.۵_۶\u200c7\u00a09") == "001234567" + "9"
    assert only_digits("12X3") == "12X3"  # a letter stays, so the value is refused


def test_a_month_outside_the_calendar_is_named_in_the_error():
    with pytest.raises(ValueError, match="not a Jalali month: 1404/13"):
        month_length(1404, 13)


def test_a_wife_is_covered_on_the_links_first_and_last_day_and_the_insureds_last():
    wife = PersonFacts(date(1990, 1, 1), "F")
    starts_today = DependantLink("spouse", ON, None, INSURED_UNTIL)
    ends_today = DependantLink("spouse", date(2015, 1, 1), ON, INSURED_UNTIL)
    insured_ends_today = DependantLink("spouse", date(2015, 1, 1), None, ON)
    for link in (starts_today, ends_today, insured_ends_today):
        assert dependant(wife, link, [], ON).covered, link
    assert not dependant(wife, ends_today, [], ON + timedelta(days=1)).covered


def test_the_calendars_first_and_last_years_are_valid():
    assert is_valid_month(jdatetime.MINYEAR, 1)
    assert is_valid_month(jdatetime.MAXYEAR, 12)
    assert not is_valid_month(jdatetime.MINYEAR - 1, 12)
    assert not is_valid_month(jdatetime.MAXYEAR + 1, 1)
