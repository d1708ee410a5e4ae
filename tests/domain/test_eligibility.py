"""The eligibility rules of DESIGN §3, one table per rule.

Expected dates are literal Gregorian dates converted by hand from the Jalali dates in the comments.
Unless a case says otherwise the inquiry is on ON = 15 Mehr 1404 and the insured is covered until
INSURED = 29 Esfand 1404.
"""

from datetime import date

import pytest

from server.domain.eligibility import (
    CURRENT_PROCEDURE_REASONS,
    LABEL_COVERED,
    LABEL_NOT_COVERED,
    REASON_CODES,
    ContributionSummary,
    DependantLink,
    Document,
    Eligibility,
    InsuranceRecord,
    PersonFacts,
    Settings,
    continuation_months,
    d1_wife,
    d2_husband,
    d3_son,
    d4_daughter,
    d5_parent,
    dependant,
    i1_notes,
    label,
    main_insured,
    n1_newborn,
    newborn_until,
    person_eligibility,
    r1_worker,
    r2_self_employed,
    r3_pensioner,
    r4_unemployment,
    summarise_contributions,
    x1_deceased,
    x2_not_found,
)

ON = date(2025, 10, 7)  # 15 Mehr 1404
DAY_BEFORE_ON = date(2025, 10, 6)  # 14 Mehr 1404
INSURED = date(2026, 3, 20)  # 29 Esfand 1404

BORN_15_MEHR_1385 = date(2006, 10, 7)  # 19 on ON
BORN_15_MEHR_1386 = date(2007, 10, 7)  # 18 on ON
BORN_16_MEHR_1386 = date(2007, 10, 8)  # 17 on ON, 18 the day after
BORN_15_MEHR_1349 = date(1970, 10, 7)  # 55 on ON
BORN_16_MEHR_1349 = date(1970, 10, 8)  # 54 on ON
BORN_15_MEHR_1344 = date(1965, 10, 7)  # 60 on ON
BORN_16_MEHR_1344 = date(1965, 10, 8)  # 59 on ON
BORN_15_MEHR_1339 = date(1960, 10, 7)  # 65 on ON
BORN_16_MEHR_1339 = date(1960, 10, 8)  # 64 on ON


def check(result: Eligibility, on: date) -> None:
    """Every answer keeps the invariant: covered iff on <= valid_until, reasons only when not."""
    assert result.covered == (result.valid_until is not None and on <= result.valid_until)
    assert bool(result.reasons) != result.covered
    assert set(result.reasons) <= REASON_CODES


def link(relation="spouse", start=date(2015, 1, 1), end=None, insured=INSURED):
    """A dependant link with the defaults of this module."""
    return DependantLink(relation, start, end, insured)


def doc(kind, valid_until=None, valid_from=None):
    """A document, open-ended unless told."""
    return Document(kind, valid_from, valid_until)


# --- contributions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([], ContributionSummary(0, None), id="none"),
        pytest.param(
            [(1404, 5, 10), (1404, 5, 21), (1404, 4, 31)],
            ContributionSummary(62, (1404, 5)),
            id="one-month-in-two-rows",
        ),
        pytest.param(
            [(1404, 6, 0), (1404, 5, 30)],
            ContributionSummary(30, (1404, 5)),
            id="zero-month-skipped",
        ),
        pytest.param(
            [(1404, 1, 30), (1403, 12, 29), (1403, 11, 30)],
            ContributionSummary(89, (1404, 1)),
            id="unsorted-over-new-year",
        ),
        pytest.param([(1404, 3, 0)], ContributionSummary(0, None), id="only-zero-days"),
    ],
)
def test_summarise_contributions(rows, expected):
    assert summarise_contributions(rows) == expected


# --- R1 worker -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total_days", "months"),
    [
        pytest.param(0, 1, id="0"),
        pytest.param(359, 1, id="359"),
        pytest.param(360, 2, id="360"),
        pytest.param(719, 2, id="719"),
        pytest.param(720, 3, id="720"),
        pytest.param(1799, 3, id="1799"),
        pytest.param(1800, 6, id="1800"),
        pytest.param(3599, 6, id="3599"),
        pytest.param(3600, 12, id="3600"),
        pytest.param(20000, 12, id="20000"),
    ],
)
def test_continuation_months(total_days, months):
    assert continuation_months(total_days) == months


@pytest.mark.parametrize(
    ("last_paid", "total_days", "on", "expected"),
    [
        # Last paid Shahrivar 1404, inquiry in Mehr 1404: the bands by total history.
        pytest.param(
            (1404, 6), 359, ON, Eligibility(True, date(2025, 10, 22), "worker"), id="359-days-1m"
        ),
        pytest.param(
            (1404, 6), 360, ON, Eligibility(True, date(2025, 11, 21), "worker"), id="360-days-2m"
        ),
        pytest.param(
            (1404, 6), 720, ON, Eligibility(True, date(2025, 12, 21), "worker"), id="720-days-3m"
        ),
        pytest.param(
            (1404, 6), 1800, ON, Eligibility(True, date(2026, 3, 20), "worker"), id="1800-days-6m"
        ),
        pytest.param(
            (1404, 6), 3600, ON, Eligibility(True, date(2026, 9, 22), "worker"), id="3600-days-12m"
        ),
        pytest.param(
            (1404, 6),
            359,
            date(2025, 10, 22),  # 30 Mehr 1404, the last covered day
            Eligibility(True, date(2025, 10, 22), "worker"),
            id="last-day-of-cover",
        ),
        pytest.param(
            (1404, 6),
            359,
            date(2025, 10, 23),  # 1 Aban 1404
            Eligibility(False, date(2025, 10, 22), "worker", ("cover_ended",)),
            id="day-after-cover",
        ),
        # Mehr 1402 is exactly 24 months before Mehr 1404: the rule still computes (to Mehr 1403).
        pytest.param(
            (1402, 7),
            3600,
            ON,
            Eligibility(False, date(2024, 10, 21), "worker", ("cover_ended",)),
            id="24-months-since-paid",
        ),
        pytest.param(
            (1402, 6),
            3600,
            ON,
            Eligibility(False, None, "worker", ("no_recent_contributions",)),
            id="25-months-since-paid",
        ),
        pytest.param(
            None,
            0,
            ON,
            Eligibility(False, None, "worker", ("no_recent_contributions",)),
            id="never-paid",
        ),
    ],
)
def test_r1_worker(last_paid, total_days, on, expected):
    result = r1_worker(ContributionSummary(total_days, last_paid), on)
    assert result == expected
    check(result, on)


def test_r1_worker_settings_override():
    settings = Settings(continuation=((1, 4),), continuation_max_months=5, recent_months=3)
    # 400 days is past the only band: 5 months after Shahrivar 1404 → 30 Bahman 1404.
    assert r1_worker(ContributionSummary(400, (1404, 6)), ON, settings) == Eligibility(
        True, date(2026, 2, 19), "worker"
    )
    assert r1_worker(ContributionSummary(400, (1404, 3)), ON, settings).reasons == (
        "no_recent_contributions",
    )


# --- R2 self-employed / voluntary ----------------------------------------------------------


@pytest.mark.parametrize(
    ("last_paid", "kind", "expected"),
    [
        pytest.param(
            (1404, 7),
            "self_employed",
            Eligibility(True, date(2025, 10, 22), "self_employed"),
            id="paid-this-month",
        ),
        pytest.param(
            (1404, 7),
            "voluntary",
            Eligibility(True, date(2025, 10, 22), "voluntary"),
            id="voluntary",
        ),
        pytest.param(
            (1404, 6),
            "self_employed",
            Eligibility(False, date(2025, 9, 22), "self_employed", ("cover_ended",)),
            id="paid-last-month",
        ),
        pytest.param(
            None,
            "voluntary",
            Eligibility(False, None, "voluntary", ("no_recent_contributions",)),
            id="never-paid",
        ),
    ],
)
def test_r2_self_employed(last_paid, kind, expected):
    result = r2_self_employed(ContributionSummary(300, last_paid), ON, kind)
    assert result == expected
    check(result, ON)


# --- R3 pensioner, R4 unemployment ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "on", "expected"),
    [
        pytest.param(
            date(2010, 1, 1),
            None,
            ON,
            Eligibility(True, date(2025, 11, 21), "pensioner"),  # 30 Aban 1404
            id="active-end-of-next-month",
        ),
        pytest.param(
            date(2010, 1, 1),
            None,
            date(2025, 3, 20),  # 30 Esfand 1403 (leap)
            Eligibility(True, date(2025, 4, 20), "pensioner"),  # 31 Farvardin 1404
            id="active-over-new-year",
        ),
        pytest.param(
            date(2010, 1, 1),
            date(2025, 11, 1),
            ON,
            Eligibility(True, date(2025, 11, 1), "pensioner"),
            id="active-capped-by-end",
        ),
        pytest.param(
            date(2010, 1, 1),
            ON,
            ON,
            Eligibility(True, ON, "pensioner"),
            id="ends-today",
        ),
        pytest.param(
            date(2010, 1, 1),
            date(2025, 9, 30),
            ON,
            Eligibility(False, date(2025, 9, 30), "pensioner", ("pension_ended",)),
            id="pension-ended",
        ),
        pytest.param(
            date(2025, 11, 1),
            None,
            ON,
            Eligibility(False, None, "pensioner", ("not_started",)),
            id="not-started",
        ),
    ],
)
def test_r3_pensioner(start, end, on, expected):
    result = r3_pensioner(InsuranceRecord("pensioner", start, end), on)
    assert result == expected
    check(result, on)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(
            date(2025, 1, 1),
            date(2026, 1, 15),
            Eligibility(True, date(2026, 1, 15), "unemployment"),
            id="until-benefit-end",
        ),
        pytest.param(
            date(2025, 1, 1),
            ON,
            Eligibility(True, ON, "unemployment"),
            id="ends-today",
        ),
        pytest.param(
            date(2025, 1, 1),
            DAY_BEFORE_ON,
            Eligibility(False, DAY_BEFORE_ON, "unemployment", ("cover_ended",)),
            id="ended-yesterday",
        ),
        pytest.param(
            date(2025, 1, 1),
            None,
            Eligibility(True, date(2025, 11, 21), "unemployment"),
            id="open-end-of-next-month",
        ),
        pytest.param(
            date(2025, 11, 1),
            None,
            Eligibility(False, None, "unemployment", ("not_started",)),
            id="not-started",
        ),
    ],
)
def test_r4_unemployment(start, end, expected):
    result = r4_unemployment(InsuranceRecord("unemployment", start, end), ON)
    assert result == expected
    check(result, ON)


# --- main insured: several bases -----------------------------------------------------------

WORKER = InsuranceRecord("worker", date(2010, 1, 1))
SELF_EMPLOYED = InsuranceRecord("self_employed", date(2010, 1, 1))
PENSIONER = InsuranceRecord("pensioner", date(2020, 1, 1))
UNEMPLOYMENT_OPEN = InsuranceRecord("unemployment", date(2020, 1, 1))
PAID_SHAHRIVAR_1404 = ContributionSummary(3600, (1404, 6))
PAID_FARVARDIN_1402 = ContributionSummary(100, (1402, 1))


@pytest.mark.parametrize(
    ("records", "contrib", "expected"),
    [
        pytest.param(
            [PENSIONER, WORKER],
            PAID_SHAHRIVAR_1404,
            Eligibility(True, date(2026, 9, 22), "worker"),
            id="worker-later-than-pension",
        ),
        pytest.param(
            [WORKER, PENSIONER],
            ContributionSummary(100, (1404, 5)),  # to 31 Shahrivar 1404: ended
            Eligibility(True, date(2025, 11, 21), "pensioner"),
            id="pension-later-than-worker",
        ),
        pytest.param(
            [PENSIONER, UNEMPLOYMENT_OPEN],
            PAID_SHAHRIVAR_1404,
            Eligibility(True, date(2025, 11, 21), "pensioner"),
            id="tie-first-wins",
        ),
        pytest.param(
            [UNEMPLOYMENT_OPEN, PENSIONER],
            PAID_SHAHRIVAR_1404,
            Eligibility(True, date(2025, 11, 21), "unemployment"),
            id="tie-first-wins-reversed",
        ),
        pytest.param(
            [WORKER, SELF_EMPLOYED],
            PAID_FARVARDIN_1402,
            Eligibility(
                False,
                date(2023, 4, 20),  # 31 Farvardin 1402
                "self_employed",
                ("no_recent_contributions", "cover_ended"),
            ),
            id="none-covered-union-of-reasons",
        ),
    ],
)
def test_main_insured(records, contrib, expected):
    result = main_insured(records, contrib, ON)
    assert result == expected
    check(result, ON)


def test_main_insured_without_records_is_none():
    assert main_insured([], PAID_SHAHRIVAR_1404, ON) is None


def test_main_insured_rejects_an_unknown_kind():
    with pytest.raises(ValueError):
        main_insured([InsuranceRecord("farmer", date(2010, 1, 1))], PAID_SHAHRIVAR_1404, ON)


# --- D1 wife -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("the_link", "expected"),
    [
        pytest.param(link(), Eligibility(True, INSURED, "spouse"), id="capped-by-insured"),
        pytest.param(
            link(end=date(2025, 12, 1)),
            Eligibility(True, date(2025, 12, 1), "spouse"),
            id="capped-by-link-end",
        ),
        pytest.param(
            link(insured=None),
            Eligibility(False, None, "spouse", ("insured_not_covered",)),
            id="insured-without-cover",
        ),
        pytest.param(
            link(insured=DAY_BEFORE_ON),
            Eligibility(False, DAY_BEFORE_ON, "spouse", ("insured_not_covered",)),
            id="insured-cover-ended",
        ),
        pytest.param(
            link(end=date(2025, 9, 1)),
            Eligibility(False, date(2025, 9, 1), "spouse", ("link_ended",)),
            id="link-ended",
        ),
        pytest.param(
            link(start=date(2025, 11, 1)),
            Eligibility(False, None, "spouse", ("link_ended",)),
            id="link-not-started",
        ),
        pytest.param(
            link(end=date(2025, 9, 1), insured=DAY_BEFORE_ON),
            Eligibility(False, date(2025, 9, 1), "spouse", ("insured_not_covered", "link_ended")),
            id="both-ended",
        ),
    ],
)
def test_d1_wife(the_link, expected):
    result = d1_wife(the_link, ON)
    assert result == expected
    check(result, ON)


# --- D2 husband ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "docs", "expected"),
    [
        pytest.param(
            BORN_16_MEHR_1344,
            [],
            Eligibility(False, None, "spouse", ("husband_conditions",)),
            id="aged-59",
        ),
        pytest.param(BORN_15_MEHR_1344, [], Eligibility(True, INSURED, "spouse"), id="aged-60"),
        pytest.param(
            BORN_16_MEHR_1344,
            [doc("disability")],
            Eligibility(True, INSURED, "spouse"),
            id="aged-59-disabled-open",
        ),
        pytest.param(
            BORN_16_MEHR_1344,
            [doc("disability", date(2025, 12, 31))],
            Eligibility(True, date(2025, 12, 31), "spouse"),
            id="aged-59-disabled-until",
        ),
        pytest.param(
            BORN_16_MEHR_1344,
            [doc("disability", DAY_BEFORE_ON)],
            Eligibility(False, None, "spouse", ("husband_conditions",)),
            id="disability-expired",
        ),
        pytest.param(
            BORN_16_MEHR_1344,
            [doc("disability", valid_from=date(2025, 11, 1))],
            Eligibility(False, None, "spouse", ("husband_conditions",)),
            id="disability-not-yet-valid",
        ),
        pytest.param(
            BORN_16_MEHR_1344,
            [doc("student_certificate")],
            Eligibility(False, None, "spouse", ("husband_conditions",)),
            id="wrong-document",
        ),
        pytest.param(
            None,
            [],
            Eligibility(False, None, "spouse", ("husband_conditions",)),
            id="birth-date-unknown",
        ),
    ],
)
def test_d2_husband(birth, docs, expected):
    result = d2_husband(PersonFacts(birth, "M"), link(), docs, ON)
    assert result == expected
    check(result, ON)


# --- D3 son --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "docs", "the_link", "on", "expected"),
    [
        pytest.param(
            BORN_15_MEHR_1385,
            [],
            link("child"),
            DAY_BEFORE_ON,
            Eligibility(True, DAY_BEFORE_ON, "child"),
            id="day-before-19th-birthday",
        ),
        pytest.param(
            BORN_15_MEHR_1385,
            [],
            link("child"),
            ON,
            Eligibility(False, DAY_BEFORE_ON, "child", ("student_certificate_missing",)),
            id="19th-birthday-no-certificate",
        ),
        pytest.param(
            BORN_15_MEHR_1385,
            [doc("student_certificate", date(2026, 1, 31))],
            link("child"),
            ON,
            Eligibility(True, date(2026, 1, 31), "child"),
            id="certificate-ends-before-insured",
        ),
        pytest.param(
            BORN_15_MEHR_1385,
            [doc("student_certificate", date(2026, 6, 30))],
            link("child"),
            ON,
            Eligibility(True, INSURED, "child"),
            id="certificate-ends-after-insured",
        ),
        pytest.param(
            BORN_15_MEHR_1385,
            [doc("disability")],
            link("child"),
            ON,
            Eligibility(True, INSURED, "child"),
            id="disabled",
        ),
        pytest.param(
            BORN_15_MEHR_1385,
            [doc("student_certificate", DAY_BEFORE_ON)],
            link("child"),
            ON,
            Eligibility(False, DAY_BEFORE_ON, "child", ("student_certificate_missing",)),
            id="certificate-expired",
        ),
        pytest.param(
            BORN_15_MEHR_1385,
            [doc("unmarried_verified")],
            link("child"),
            ON,
            Eligibility(False, DAY_BEFORE_ON, "child", ("student_certificate_missing",)),
            id="wrong-document",
        ),
        pytest.param(
            date(2006, 12, 22),  # 1 Dey 1385: 19 on 1 Dey 1404
            [],
            link("child"),
            ON,
            Eligibility(True, date(2025, 12, 21), "child"),  # 30 Azar 1404
            id="under-19-capped-by-birthday",
        ),
        pytest.param(
            date(2015, 5, 5),
            [],
            link("child"),
            ON,
            Eligibility(True, INSURED, "child"),
            id="young-capped-by-insured",
        ),
        pytest.param(
            date(2015, 5, 5),
            [],
            link("child", end=date(2025, 12, 1)),
            ON,
            Eligibility(True, date(2025, 12, 1), "child"),
            id="young-capped-by-link-end",
        ),
        pytest.param(
            BORN_15_MEHR_1385,
            [],
            link("child", insured=None),
            ON,
            Eligibility(
                False, None, "child", ("insured_not_covered", "student_certificate_missing")
            ),
            id="over-19-insured-not-covered",
        ),
    ],
)
def test_d3_son(birth, docs, the_link, on, expected):
    result = d3_son(PersonFacts(birth, "M"), the_link, docs, on)
    assert result == expected
    check(result, on)


# --- D4 daughter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "docs", "expected"),
    [
        pytest.param(
            BORN_16_MEHR_1386, [], Eligibility(True, ON, "child"), id="aged-17-until-day-before-18"
        ),
        pytest.param(
            BORN_15_MEHR_1386,
            [],
            Eligibility(False, DAY_BEFORE_ON, "child", ("birth_certificate_not_presented",)),
            id="aged-18-not-verified",
        ),
        pytest.param(
            BORN_15_MEHR_1386,
            [doc("unmarried_verified")],
            Eligibility(True, INSURED, "child"),
            id="aged-18-verified",
        ),
        pytest.param(
            BORN_16_MEHR_1386,
            [doc("unmarried_verified")],
            Eligibility(True, INSURED, "child"),
            id="aged-17-verified",
        ),
        pytest.param(
            BORN_15_MEHR_1386,
            [doc("disability", date(2025, 12, 31))],
            Eligibility(True, date(2025, 12, 31), "child"),
            id="aged-18-disabled",
        ),
        pytest.param(
            BORN_15_MEHR_1386,
            [doc("student_certificate")],
            Eligibility(False, DAY_BEFORE_ON, "child", ("birth_certificate_not_presented",)),
            id="wrong-document",
        ),
    ],
)
def test_d4_daughter(birth, docs, expected):
    result = d4_daughter(PersonFacts(birth, "F"), link("child"), docs, ON)
    assert result == expected
    check(result, ON)


# --- D5 parent -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "sex", "docs", "expected"),
    [
        pytest.param(
            BORN_15_MEHR_1349, "F", [], Eligibility(True, INSURED, "parent"), id="mother-55"
        ),
        pytest.param(
            BORN_16_MEHR_1349,
            "F",
            [],
            Eligibility(False, None, "parent", ("parent_conditions",)),
            id="mother-54",
        ),
        pytest.param(
            BORN_15_MEHR_1349,
            "M",
            [],
            Eligibility(False, None, "parent", ("parent_conditions",)),
            id="father-55",
        ),
        pytest.param(
            BORN_16_MEHR_1344,
            "M",
            [],
            Eligibility(False, None, "parent", ("parent_conditions",)),
            id="father-59",
        ),
        pytest.param(
            BORN_15_MEHR_1344, "M", [], Eligibility(True, INSURED, "parent"), id="father-60"
        ),
        pytest.param(
            BORN_16_MEHR_1349,
            "F",
            [doc("disability", date(2025, 12, 31))],
            Eligibility(True, date(2025, 12, 31), "parent"),
            id="mother-54-disabled",
        ),
    ],
)
def test_d5_parent(birth, sex, docs, expected):
    result = d5_parent(PersonFacts(birth, sex), link("parent"), docs, ON)
    assert result == expected
    check(result, ON)


# --- dispatch ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relation", "sex", "expected"),
    [
        pytest.param("spouse", "F", Eligibility(True, INSURED, "spouse"), id="wife-D1"),
        pytest.param(
            "spouse",
            "M",
            Eligibility(False, None, "spouse", ("husband_conditions",)),
            id="husband-D2",
        ),
        pytest.param(
            "child",
            "M",
            Eligibility(False, date(2009, 3, 20), "child", ("student_certificate_missing",)),
            id="son-D3",
        ),
        pytest.param(
            "child",
            "F",
            Eligibility(False, date(2008, 3, 19), "child", ("birth_certificate_not_presented",)),
            id="daughter-D4",
        ),
        pytest.param(
            "parent",
            "M",
            Eligibility(False, None, "parent", ("parent_conditions",)),
            id="father-D5",
        ),
        pytest.param(
            "parent",
            "F",
            Eligibility(False, None, "parent", ("parent_conditions",)),
            id="mother-D5",
        ),
    ],
)
def test_dependant_dispatch(relation, sex, expected):
    # Born 1 Farvardin 1369: aged 35, over every child age and under every parent age.
    person = PersonFacts(date(1990, 3, 21), sex)
    assert dependant(person, link(relation), [], ON) == expected


def test_dependant_rejects_an_unknown_relation():
    with pytest.raises(ValueError):
        dependant(PersonFacts(date(1990, 3, 21), "F"), link("cousin"), [], ON)


# --- N1 newborn ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "until"),
    [
        # 15 Shahrivar 1404 → 14 Mehr 1404
        pytest.param(date(2025, 9, 6), date(2025, 10, 6), id="15-shahrivar"),
        # 31 Shahrivar 1404 → 30 Mehr 1404 (Mehr has no 31st)
        pytest.param(date(2025, 9, 22), date(2025, 10, 22), id="31-shahrivar"),
        # 30 Mehr 1403, last day of a 30-day month → 29 Aban 1403
        pytest.param(date(2024, 10, 21), date(2024, 11, 19), id="30-mehr-last-day"),
        # 30 Bahman 1403 → 29 Esfand 1403 (leap Esfand has a 30th)
        pytest.param(date(2025, 2, 18), date(2025, 3, 19), id="30-bahman-leap"),
        # 30 Bahman 1404 → 29 Esfand 1404 (no 30 Esfand: the month's last day)
        pytest.param(date(2026, 2, 19), date(2026, 3, 20), id="30-bahman-common"),
        # 30 Esfand 1403, the leap day → 29 Farvardin 1404
        pytest.param(date(2025, 3, 20), date(2025, 4, 18), id="30-esfand-leap"),
        # 31 Farvardin 1404 → 30 Ordibehesht 1404 (Ordibehesht has a 31st)
        pytest.param(date(2025, 4, 20), date(2025, 5, 20), id="31-farvardin"),
    ],
)
def test_newborn_until(birth, until):
    assert newborn_until(birth) == until


BORN_31_SHAHRIVAR_1404 = date(2025, 9, 22)
NEWBORN_LIMIT = date(2025, 10, 22)  # 30 Mehr 1404


@pytest.mark.parametrize(
    ("mother", "on", "expected"),
    [
        pytest.param(
            INSURED,
            BORN_31_SHAHRIVAR_1404,
            Eligibility(True, NEWBORN_LIMIT, "newborn"),
            id="birth-day",
        ),
        pytest.param(
            INSURED, NEWBORN_LIMIT, Eligibility(True, NEWBORN_LIMIT, "newborn"), id="last-day"
        ),
        pytest.param(
            INSURED,
            date(2025, 10, 23),
            Eligibility(False, NEWBORN_LIMIT, "newborn", ("newborn_period_ended",)),
            id="day-after",
        ),
        pytest.param(
            INSURED,
            date(2025, 9, 21),
            Eligibility(False, None, "newborn", ("not_born",)),
            id="before-birth",
        ),
        pytest.param(
            None, ON, Eligibility(False, None, "newborn", ("insured_not_covered",)), id="no-mother"
        ),
        pytest.param(
            date(2025, 10, 1),
            date(2025, 9, 30),
            Eligibility(True, date(2025, 10, 1), "newborn"),
            id="capped-by-mother",
        ),
        pytest.param(
            date(2025, 10, 1),
            ON,
            Eligibility(False, date(2025, 10, 1), "newborn", ("insured_not_covered",)),
            id="mother-cover-ended",
        ),
        pytest.param(
            date(2025, 10, 1),
            date(2025, 10, 25),
            Eligibility(
                False,
                date(2025, 10, 1),
                "newborn",
                ("insured_not_covered", "newborn_period_ended"),
            ),
            id="both-ended",
        ),
    ],
)
def test_n1_newborn(mother, on, expected):
    result = n1_newborn(BORN_31_SHAHRIVAR_1404, mother, on)
    assert result == expected
    check(result, on)


# --- X1, X2, I1 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("death", "expected"),
    [
        pytest.param(ON, Eligibility(False, None, None, ("deceased",)), id="died-today"),
        pytest.param(
            date(2024, 1, 1), Eligibility(False, None, None, ("deceased",)), id="died-before"
        ),
        pytest.param(date(2025, 10, 8), None, id="dies-tomorrow"),
        pytest.param(None, None, id="alive"),
    ],
)
def test_x1_deceased(death, expected):
    assert x1_deceased(PersonFacts(date(1950, 1, 1), "M", death), ON) == expected


def test_x2_not_found():
    assert x2_not_found() == Eligibility(False, None, None, ("not_found",))


@pytest.mark.parametrize(
    ("birth", "notes"),
    [
        pytest.param(BORN_16_MEHR_1339, (), id="aged-64"),
        pytest.param(BORN_15_MEHR_1339, ("over_65",), id="aged-65"),
        pytest.param(None, (), id="birth-date-unknown"),
    ],
)
def test_i1_notes(birth, notes):
    assert i1_notes(PersonFacts(birth, "F"), ON) == notes


# --- a person, all bases together ----------------------------------------------------------

WIFE = PersonFacts(date(1985, 1, 1), "F")
SELF_EMPLOYED_TO_30_MEHR = Eligibility(True, date(2025, 10, 22), "self_employed")


@pytest.mark.parametrize(
    ("person", "own", "links", "docs", "expected"),
    [
        pytest.param(
            WIFE,
            SELF_EMPLOYED_TO_30_MEHR,
            [link()],
            [],
            Eligibility(True, INSURED, "spouse"),
            id="wife-and-self-employed-spouse-later",
        ),
        pytest.param(
            WIFE,
            SELF_EMPLOYED_TO_30_MEHR,
            [link(insured=date(2025, 10, 15))],
            [],
            SELF_EMPLOYED_TO_30_MEHR,
            id="wife-and-self-employed-own-later",
        ),
        pytest.param(
            WIFE,
            Eligibility(True, INSURED, "worker"),
            [link()],
            [],
            Eligibility(True, INSURED, "worker"),
            id="tie-own-first",
        ),
        pytest.param(
            PersonFacts(BORN_15_MEHR_1385, "M"),
            Eligibility(False, date(2025, 9, 22), "worker", ("cover_ended",)),
            [link("child")],
            [],
            Eligibility(
                False,
                DAY_BEFORE_ON,
                "child",
                ("cover_ended", "student_certificate_missing"),
            ),
            id="none-covered-union-of-reasons",
        ),
        pytest.param(
            WIFE, None, [], [], Eligibility(False, None, None, ("not_insured",)), id="no-basis"
        ),
        pytest.param(
            PersonFacts(BORN_15_MEHR_1339, "F"),
            None,
            [],
            [],
            Eligibility(False, None, None, ("not_insured",), ("over_65",)),
            id="over-65-not-insured",
        ),
        pytest.param(
            PersonFacts(BORN_15_MEHR_1339, "M"),
            Eligibility(True, date(2025, 11, 21), "pensioner"),
            [],
            [],
            Eligibility(True, date(2025, 11, 21), "pensioner", notes=("over_65",)),
            id="over-65-pensioner",
        ),
        pytest.param(
            PersonFacts(BORN_15_MEHR_1339, "F", death_date=DAY_BEFORE_ON),
            Eligibility(True, date(2025, 11, 21), "pensioner"),
            [link()],
            [],
            Eligibility(False, None, None, ("deceased",)),
            id="deceased-first-no-notes",
        ),
        pytest.param(
            PersonFacts(BORN_16_MEHR_1344, "M"),
            None,
            [link("spouse"), link("parent")],
            [doc("disability", date(2025, 12, 31))],
            Eligibility(True, date(2025, 12, 31), "spouse"),
            id="disabled-husband-and-father-tie-first",
        ),
    ],
)
def test_person_eligibility(person, own, links, docs, expected):
    result = person_eligibility(person, own, links, docs, ON)
    assert result == expected
    check(result, ON)


# --- labels and reason codes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("covered", "text"),
    [
        pytest.param(True, "حمایت درمانی دارد", id="covered"),
        pytest.param(False, "حمایت درمانی ندارد", id="not-covered"),
    ],
)
def test_label(covered, text):
    assert label(covered) == text


def test_label_constants():
    assert (LABEL_COVERED, LABEL_NOT_COVERED) == ("حمایت درمانی دارد", "حمایت درمانی ندارد")


def test_current_procedure_reasons_are_the_child_reasons():
    child_reasons = {"student_certificate_missing", "birth_certificate_not_presented"}
    assert child_reasons == CURRENT_PROCEDURE_REASONS
    assert CURRENT_PROCEDURE_REASONS <= REASON_CODES
