"""The edges of each rule: the first and last day a rule holds, the smallest amount that counts.

These are the cases mutation testing (mutmut, see the README) found unchecked: each test fails
when a `<=` becomes `<`, a `> 0` becomes `> 1`, or a default changes.
"""

from datetime import date

from server.domain.eligibility import (
    ContributionSummary,
    Document,
    InsuranceRecord,
    document_counts,
    r2_self_employed,
    r3_pensioner,
    r4_unemployment,
    summarise_contributions,
)

ON = date(2025, 10, 7)  # 15 Mehr 1404


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
