"""Eligibility for treatment (استحقاق درمان): every rule of DESIGN §3 as one named, pure function.

An answer says whether a person is covered on a date, until when, on which basis, and why not.
`covered` is always `on <= valid_until`; no `valid_until` means no cover.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .jalali import (
    JalaliMonth,
    add_months,
    age_on,
    anniversary,
    end_of_month,
    jalali_date,
    month_length,
    months_between,
    to_jalali,
    to_jalali_month,
)
from .periods import in_force

LABEL_COVERED = "حمایت درمانی دارد"
LABEL_NOT_COVERED = "حمایت درمانی ندارد"

# The API adds seed 000 item 5's "served under the current procedure" note for these.
CURRENT_PROCEDURE_REASONS = frozenset(
    {"student_certificate_missing", "birth_certificate_not_presented"}
)

REASON_CODES = frozenset(
    {
        "no_recent_contributions",
        "cover_ended",
        "not_started",
        "pension_ended",
        "insured_not_covered",
        "link_ended",
        "husband_conditions",
        "student_certificate_missing",
        "birth_certificate_not_presented",
        "parent_conditions",
        "not_born",
        "newborn_period_ended",
        "deceased",
        "not_found",
        "not_insured",
    }
)
NOTE_CODES = frozenset({"over_65"})

# A dependant rule's own limit when it sets none (only ever compared, never answered).
_NO_LIMIT = date.max
# A birth this long before the inquiry is no newborn's (N1 lasts one Jalali month at most).
NEWBORN_LONG_AGO = timedelta(days=366)


@dataclass(frozen=True)
class Settings:
    """The numbers of DESIGN §3, all overridable."""

    continuation: tuple[tuple[float, int], ...] = ((1, 1), (2, 2), (5, 3), (10, 6))
    continuation_max_months: int = 12
    days_per_year: int = 360
    recent_months: int = 24
    son_age_limit: int = 19
    daughter_age_limit: int = 18
    husband_age: int = 60
    father_age: int = 60
    mother_age: int = 55
    free_public_hospital_age: int = 65


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need to know about a person; sex is "M" or "F"."""

    birth_date: date | None
    sex: str
    death_date: date | None = None


@dataclass(frozen=True)
class InsuranceRecord:
    """A main insured's record: worker, self_employed, voluntary, pensioner or unemployment."""

    kind: str
    start_date: date
    end_date: date | None = None


@dataclass(frozen=True)
class ContributionSummary:
    """A worker's whole contribution history: total days and the last month with days > 0."""

    total_days: int
    last_paid_month: JalaliMonth | None


@dataclass(frozen=True)
class Document:
    """student_certificate, unmarried_verified or disability; a None bound is open."""

    kind: str
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True)
class DependantLink:
    """A link from a main insured (whose own cover ends on insured_valid_until) to a dependant."""

    relation: str
    start_date: date | None
    end_date: date | None
    insured_valid_until: date | None


@dataclass(frozen=True)
class Eligibility:
    """The answer: reasons only matter when not covered; notes are informational codes."""

    covered: bool
    valid_until: date | None
    basis: str | None
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def label(covered: bool) -> str:
    """The exact Persian label of an answer."""
    return LABEL_COVERED if covered else LABEL_NOT_COVERED


def summarise_contributions(rows: Iterable[tuple[int, int, int]]) -> ContributionSummary:
    """Total days and last paid month from (jalali_year, jalali_month, days) rows."""
    days_by_month: dict[JalaliMonth, int] = {}
    for year, month, days in rows:
        days_by_month[(year, month)] = days_by_month.get((year, month), 0) + days
    paid = [month for month, days in days_by_month.items() if days > 0]
    return ContributionSummary(sum(days_by_month.values()), max(paid, default=None))


def _answer(valid_until: date | None, basis: str, on: date, reason: str) -> Eligibility:
    """Covered when on <= valid_until, else not covered for `reason`."""
    if valid_until is not None and on <= valid_until:
        return Eligibility(True, valid_until, basis)
    return Eligibility(False, valid_until, basis, (reason,))


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """The codes of all groups in first-seen order, without duplicates."""
    return tuple(dict.fromkeys(code for group in groups for code in group))


def _best(answers: Sequence[Eligibility]) -> Eligibility:
    """The latest valid_until wins (the first on ties); if none is covered it has every reason."""
    best = answers[0]
    for answer in answers[1:]:
        if answer.valid_until is not None and (
            best.valid_until is None or answer.valid_until > best.valid_until
        ):
            best = answer
    if best.covered:
        return best
    return replace(best, reasons=_union(a.reasons for a in answers))


def continuation_months(total_days: int, settings: Settings = DEFAULT_SETTINGS) -> int:
    """R1: months of cover after pay stops, by total contribution history in 360-day years."""
    for years_below, months in settings.continuation:
        if total_days < years_below * settings.days_per_year:
            return months
    return settings.continuation_max_months


def r1_worker(
    contrib: ContributionSummary, on: date, settings: Settings = DEFAULT_SETTINGS
) -> Eligibility:
    """R1: to the end of Jalali month L + c; nothing paid in the last 24 months → no cover."""
    last = contrib.last_paid_month
    if last is None or months_between(last, to_jalali_month(on)) > settings.recent_months:
        return Eligibility(False, None, "worker", ("no_recent_contributions",))
    months = continuation_months(contrib.total_days, settings)
    return _answer(end_of_month(add_months(last, months)), "worker", on, "cover_ended")


def r2_self_employed(
    contrib: ContributionSummary, on: date, kind: str = "self_employed"
) -> Eligibility:
    """R2: self-employed or voluntary cover lasts to the end of the last paid Jalali month."""
    if contrib.last_paid_month is None:
        return Eligibility(False, None, kind, ("no_recent_contributions",))
    return _answer(end_of_month(contrib.last_paid_month), kind, on, "cover_ended")


def _end_of_next_month(on: date) -> date:
    """The last day of the Jalali month after the one `on` falls in (R3's rolling cover)."""
    return end_of_month(add_months(to_jalali_month(on), 1))


def r3_pensioner(record: InsuranceRecord, on: date) -> Eligibility:
    """R3: an active pension covers to the end of the next Jalali month; an ended one, its end."""
    if record.start_date > on:
        return Eligibility(False, None, "pensioner", ("not_started",))
    if record.end_date is not None and record.end_date < on:
        return Eligibility(False, record.end_date, "pensioner", ("pension_ended",))
    rolling = _end_of_next_month(on)
    valid_until = rolling if record.end_date is None else min(rolling, record.end_date)
    return Eligibility(True, valid_until, "pensioner")


def r4_unemployment(record: InsuranceRecord, on: date) -> Eligibility:
    """R4: unemployment benefit covers to its end date (open-ended: like an active pension)."""
    if record.start_date > on:
        return Eligibility(False, None, "unemployment", ("not_started",))
    valid_until = record.end_date or _end_of_next_month(on)
    return _answer(valid_until, "unemployment", on, "cover_ended")


def main_insured_rule(
    record: InsuranceRecord,
    contrib: ContributionSummary,
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility:
    """R1–R4: the rule for one insurance record, chosen by its kind."""
    match record.kind:
        case "worker":
            return r1_worker(contrib, on, settings)
        case "self_employed" | "voluntary":
            return r2_self_employed(contrib, on, record.kind)
        case "pensioner":
            return r3_pensioner(record, on)
        case "unemployment":
            return r4_unemployment(record, on)
    raise ValueError(f"unknown insurance kind: {record.kind!r}")


def main_insured(
    records: Sequence[InsuranceRecord],
    contrib: ContributionSummary,
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility | None:
    """R1–R4 over all records: the latest valid_until wins; None when there is no record."""
    if not records:
        return None
    return _best([main_insured_rule(record, contrib, on, settings) for record in records])


def document_counts(document: Document, on: date) -> bool:
    """D2–D5: a document counts on `on` when it has started and not yet ended."""
    return in_force(document.valid_from, document.valid_until, on)


def document_limit(documents: Sequence[Document], kinds: frozenset[str], on: date) -> date | None:
    """D2–D5: the furthest end among counting documents of these kinds; None when none counts."""
    ends = [
        d.valid_until or _NO_LIMIT for d in documents if d.kind in kinds and document_counts(d, on)
    ]
    return max(ends, default=None)


def _dependant_answer(
    link: DependantLink, own_limit: date | None, reason: str | None, basis: str, on: date
) -> Eligibility:
    """D1–D5: the earliest of the insured's cover, the link's end and the rule's own limit."""
    if link.start_date is not None and link.start_date > on:
        return Eligibility(False, None, basis, ("link_ended",))
    insured = link.insured_valid_until
    reasons = []
    if insured is None or insured < on:
        reasons.append("insured_not_covered")
    if link.end_date is not None and link.end_date < on:
        reasons.append("link_ended")
    if (own_limit is None or own_limit < on) and reason is not None:
        reasons.append(reason)
    valid_until = None
    if insured is not None and own_limit is not None:
        valid_until = min(insured, own_limit, link.end_date or _NO_LIMIT)
    return Eligibility(not reasons, valid_until, basis, tuple(reasons))


def _is_aged(person: PersonFacts, years: int, on: date) -> bool:
    """True when the person is at least `years` full years old (unknown birth date: False)."""
    return person.birth_date is not None and age_on(person.birth_date, on) >= years


def _age_limit(person: PersonFacts, years: int) -> date | None:
    """The day before the person's `years`th birthday (unknown birth date: None)."""
    if person.birth_date is None:
        return None
    return anniversary(person.birth_date, years) - timedelta(days=1)


def _latest(*limits: date | None) -> date | None:
    """The latest of the known limits; None when none is known."""
    return max((limit for limit in limits if limit is not None), default=None)


def _aged_or_disabled(
    person: PersonFacts, years: int, docs: Sequence[Document], on: date
) -> date | None:
    """D2, D5: no limit of one's own from `years` of age on; before, a disability document's."""
    aged = _NO_LIMIT if _is_aged(person, years, on) else None
    return _latest(aged, document_limit(docs, frozenset({"disability"}), on))


def d1_wife(link: DependantLink, on: date) -> Eligibility:
    """D1: a wife is covered as long as the insured and the link are."""
    return _dependant_answer(link, _NO_LIMIT, None, "spouse", on)


def d2_husband(
    person: PersonFacts,
    link: DependantLink,
    docs: Sequence[Document],
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility:
    """D2: a husband aged 60+ or with a valid disability document; else husband_conditions."""
    own_limit = _aged_or_disabled(person, settings.husband_age, docs, on)
    return _dependant_answer(link, own_limit, "husband_conditions", "spouse", on)


def d3_son(
    person: PersonFacts,
    link: DependantLink,
    docs: Sequence[Document],
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility:
    """D3: a son until the day before his 19th birthday, then with a student or disability paper."""
    kinds = frozenset({"student_certificate", "disability"})
    own_limit = _latest(_age_limit(person, settings.son_age_limit), document_limit(docs, kinds, on))
    return _dependant_answer(link, own_limit, "student_certificate_missing", "child", on)


def d4_daughter(
    person: PersonFacts,
    link: DependantLink,
    docs: Sequence[Document],
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility:
    """D4: a daughter until the day before her 18th birthday, then if unmarried or disabled."""
    kinds = frozenset({"unmarried_verified", "disability"})
    own_limit = _latest(
        _age_limit(person, settings.daughter_age_limit), document_limit(docs, kinds, on)
    )
    return _dependant_answer(link, own_limit, "birth_certificate_not_presented", "child", on)


def d5_parent(
    person: PersonFacts,
    link: DependantLink,
    docs: Sequence[Document],
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility:
    """D5: a father aged 60+, a mother aged 55+, or either with a valid disability document."""
    age = settings.father_age if person.sex == "M" else settings.mother_age
    own_limit = _aged_or_disabled(person, age, docs, on)
    return _dependant_answer(link, own_limit, "parent_conditions", "parent", on)


def dependant(
    person: PersonFacts,
    link: DependantLink,
    docs: Sequence[Document],
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility:
    """D1–D5: the rule for a dependant, chosen by the link's relation and the person's sex."""
    match (link.relation, person.sex):
        case ("spouse", "F"):
            return d1_wife(link, on)
        case ("spouse", "M"):
            return d2_husband(person, link, docs, on, settings)
        case ("child", "M"):
            return d3_son(person, link, docs, on, settings)
        case ("child", "F"):
            return d4_daughter(person, link, docs, on, settings)
        case ("parent", "M" | "F"):
            return d5_parent(person, link, docs, on, settings)
    raise ValueError(f"unknown relation or sex: {link.relation!r}, {person.sex!r}")


def newborn_until(birth_date: date) -> date:
    """N1: the day before the same Jalali day of the next month, or that month's last day."""
    year, month, day = to_jalali(birth_date)
    next_year, next_month = add_months((year, month), 1)
    if day > month_length(next_year, next_month):
        return end_of_month((next_year, next_month))
    return jalali_date(next_year, next_month, day) - timedelta(days=1)


def impossible_birth(birth_date: date, today: date, mother_born: date | None) -> str | None:
    """Why a newborn's birth date, as someone typed it, cannot be one: `future_date`;
    `not_a_newborn`, more than NEWBORN_LONG_AGO back (the rules' newborn window); or
    `born_before_mother`, on or before her own birth date. None for a possible one: a baby past
    N1's month but within the window keeps its answer, `newborn_period_ended`.

    The window comes before the mother: its refusal is the same for every mother, so that no
    one learns a woman's birth date by trying dates; hers can only refuse a date within the
    last year, which tells of no adult."""
    if birth_date > today:
        return "future_date"
    if today - birth_date > NEWBORN_LONG_AGO:
        return "not_a_newborn"
    if mother_born is not None and birth_date <= mother_born:
        return "born_before_mother"
    return None


def n1_newborn(birth_date: date, mother_valid_until: date | None, on: date) -> Eligibility:
    """N1: a newborn is covered under the mother's code to newborn_until, capped by her cover."""
    if on < birth_date:
        return Eligibility(False, None, "newborn", ("not_born",))
    if mother_valid_until is None:
        return Eligibility(False, None, "newborn", ("insured_not_covered",))
    if on - birth_date > NEWBORN_LONG_AGO:  # no newborn any more, and maybe before the calendar
        return Eligibility(False, None, "newborn", ("newborn_period_ended",))
    limit = newborn_until(birth_date)
    reasons = []
    if mother_valid_until < on:
        reasons.append("insured_not_covered")
    if limit < on:
        reasons.append("newborn_period_ended")
    return Eligibility(not reasons, min(limit, mother_valid_until), "newborn", tuple(reasons))


def x1_deceased(person: PersonFacts, on: date) -> Eligibility | None:
    """X1: a person who died on or before `on` has no cover; None when X1 does not apply."""
    if person.death_date is not None and person.death_date <= on:
        return Eligibility(False, None, None, ("deceased",))
    return None


def x2_not_found() -> Eligibility:
    """X2: an unknown code gets the same answer shape and no other detail."""
    return Eligibility(False, None, None, ("not_found",))


def i1_notes(
    person: PersonFacts, on: date, settings: Settings = DEFAULT_SETTINGS
) -> tuple[str, ...]:
    """I1: ("over_65",) for a person aged 65+ (free treatment in public hospitals), else ()."""
    return ("over_65",) if _is_aged(person, settings.free_public_hospital_age, on) else ()


def person_eligibility(
    person: PersonFacts,
    own: Eligibility | None,
    links: Sequence[DependantLink],
    docs: Sequence[Document],
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> Eligibility:
    """X1, then the person's own cover and every dependant link: the latest valid_until wins."""
    deceased = x1_deceased(person, on)
    if deceased is not None:
        return deceased
    answers = [own] if own is not None else []
    answers += [dependant(person, link, docs, on, settings) for link in links]
    notes = i1_notes(person, on, settings)
    if not answers:
        return Eligibility(False, None, None, ("not_insured",), notes)
    best = _best(answers)
    return replace(best, notes=_union([best.notes, notes]))
