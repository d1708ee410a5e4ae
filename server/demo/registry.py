"""Synthetic registry CSV files: households of insured people, dependants, contributions and births.

The generator writes the six files `flask darman import DIR` reads (DESIGN §5), household by
household, straight to disk, so a registry of millions of people never sits in memory. The first
households are built by hand so that every case of the eligibility rules (DESIGN §3) exists and is
named in `RegistryStats.samples`; the rest are random but deterministic for a seed.
"""

import csv
import datetime
import math
import pathlib
import random
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import jdatetime

from ..domain.jalali import month_length
from ..domain.national_code import is_fida, with_check_digit

HEADERS = {
    "persons.csv": (
        "national_code",
        "first_name",
        "last_name",
        "birth_date",
        "sex",
        "mobile",
        "death_date",
    ),
    "insured.csv": ("national_code", "insurance_number", "kind", "start_date", "end_date"),
    "dependants.csv": (
        "insured_national_code",
        "national_code",
        "relation",
        "start_date",
        "end_date",
    ),
    "contributions.csv": ("national_code", "jalali_year", "jalali_month", "days", "workshop_code"),
    "documents.csv": ("national_code", "kind", "valid_from", "valid_until"),
    "births.csv": ("mother_national_code", "birth_date", "sex"),
    "other_insurance.csv": ("national_code", "insurer", "start_date", "end_date"),
}

MALE_FIRST_NAMES = (
    "محمد", "علی", "حسین", "رضا", "مهدی", "حسن", "امیر", "مصطفی", "سعید", "حمید",
    "مجید", "جواد", "احمد", "مرتضی", "عباس", "محسن", "ابوالفضل", "امیرحسین", "محمدرضا", "علیرضا",
    "یوسف", "کاظم", "اکبر", "بهروز", "فرهاد", "داوود", "هادی", "وحید", "امید", "بهزاد",
    "کامران", "سجاد", "میلاد", "پویا", "آرش", "کوروش", "نیما", "یاسر", "ماهان", "پارسا",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
    "فاطمه", "زهرا", "مریم", "زینب", "معصومه", "سمیه", "لیلا", "نرگس", "مهسا", "سارا",
    "الهام", "نازنین", "ریحانه", "کوثر", "هستی", "ستاره", "مینا", "شیما", "نسرین", "پروین",
    "شهلا", "اعظم", "طاهره", "منیژه", "سیمین", "فرزانه", "راضیه", "محدثه", "یگانه", "آیدا",
    "پریسا", "الناز", "نیلوفر", "سپیده", "بهاره", "مهناز", "آزاده", "رویا", "ترانه", "صدیقه",
)  # fmt: skip
LAST_NAMES = (
    "محمدی", "حسینی", "احمدی", "رضایی", "موسوی", "کریمی", "جعفری", "رحیمی", "هاشمی", "صادقی",
    "قاسمی", "کاظمی", "عباسی", "حیدری", "نوری", "ابراهیمی", "مرادی", "اکبری", "سلیمانی", "زارعی",
    "شریفی", "عزیزی", "میرزایی", "یوسفی", "نجفی", "طاهری", "قربانی", "بهرامی", "فتحی", "رستمی",
    "امیری", "کرمی", "ملکی", "نظری", "جلالی", "صفری", "شجاعی", "اسدی", "تهرانی", "شیرازی",
    "اصفهانی", "تبریزی", "کرمانی", "یزدانی", "فراهانی", "خراسانی", "گیلانی", "سبزواری", "نیشابوری",
    "دهقان", "کشاورز", "آهنگر", "نجار", "خسروی", "پورمحمد", "علیزاده", "حسن‌زاده", "قلی‌پور",
    "باقری", "مختاری",
)  # fmt: skip
MOBILE_PREFIXES = ("0912", "0935", "0919", "0901", "0917", "0915", "0936", "0911", "0938", "0990")

KINDS = ("worker", "self_employed", "voluntary", "pensioner", "unemployment")
KIND_WEIGHTS = (60, 10, 5, 20, 5)
AGE_RANGE = {
    "worker": (19, 62),
    "self_employed": (25, 65),
    "voluntary": (25, 60),
    "pensioner": (52, 90),
    "unemployment": (22, 55),
}
MALE_SHARE = {
    "worker": 0.78,
    "self_employed": 0.75,
    "voluntary": 0.6,
    "pensioner": 0.8,
    "unemployment": 0.75,
}
# A worker's contribution history: (weight, how many months before this one the last paid month
# is, how many months were paid); the last complete month is the latest a payroll reports. The
# bands are DESIGN §3 R1's (< 1, 1–2, 2–5, 5–10, ≥ 10 years of 360 days) plus workers with nothing
# in the last 24 months. Long careers are rarer here than in life: a month is a row, and ten years
# need at least 117 rows of at most 31 days.
WORKER_HISTORY = (
    (28, (1, 3), (2, 10)),
    (22, (1, 3), (13, 22)),
    (20, (1, 3), (26, 45)),
    (11, (1, 3), (62, 75)),
    (7, (1, 3), (121, 126)),
    (12, (25, 60), (3, 30)),
)
WORKER_HISTORY_WEIGHTS = tuple(weight for weight, _, _ in WORKER_HISTORY)
CHILDREN_WEIGHTS = (15, 25, 35, 18, 7)
JALALI_MONTHS_KEPT = 260
LARGEST_HOUSEHOLD = 9
FIDA_SHARE = 0.008
SCRIPTED_PEOPLE = 100

CsvWriter = Any  # what csv.writer returns has no public type
WORKSHOPS = 4000


@dataclass
class RegistryStats:
    """Rows written to each file, and national codes worth showing in a demo or a test."""

    persons: int = 0
    insured: int = 0
    dependants: int = 0
    contributions: int = 0
    documents: int = 0
    births: int = 0
    samples: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Member:
    """A person already written to persons.csv."""

    national_code: str
    mobile: str
    sex: str
    birth_date: datetime.date
    last_name: str
    death_date: datetime.date | None


def write_registry_csv(
    directory: pathlib.Path, people: int, *, today: datetime.date, seed: int = 1
) -> RegistryStats:
    """Write the registry CSV files with exactly `people` persons into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        writers = {
            name: _open_csv(stack, directory / name, header) for name, header in HEADERS.items()
        }
        registry = Registry(writers, today=today, rng=random.Random(seed))
        if people >= SCRIPTED_PEOPLE:
            _scripted_households(registry)
        while registry.stats.persons < people:
            if people - registry.stats.persons < LARGEST_HOUSEHOLD:
                _single_worker(registry)
            else:
                _random_household(registry)
    return registry.stats


def _open_csv(stack: ExitStack, path: pathlib.Path, header: tuple[str, ...]) -> CsvWriter:
    """A csv writer on a new UTF-8 file, its header already written."""
    stream = stack.enter_context(path.open("w", encoding="utf-8", newline="", buffering=1 << 20))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    return writer


class ShuffledCounter:
    """Distinct numbers in [0, modulus) in a random-looking order, without remembering any.

    The n-th number is (factor × n + offset) mod modulus, a bijection because the factor is
    coprime to the modulus.
    """

    def __init__(self, rng: random.Random, modulus: int) -> None:
        self.modulus = modulus
        self._factor = rng.randrange(modulus // 10, modulus)
        while math.gcd(self._factor, modulus) != 1:
            self._factor += 1
        self._offset = rng.randrange(modulus)
        self._count = 0

    def next(self) -> int:
        """The next number."""
        self._count += 1
        return (self._factor * self._count + self._offset) % self.modulus


class UniqueNumbers:
    """Streams of unique national codes, FIDA numbers, insurance numbers and mobiles."""

    def __init__(self, rng: random.Random) -> None:
        self._national_codes = ShuffledCounter(rng, 10**9)
        self._fida = ShuffledCounter(rng, 9 * 10**11)
        self._insurance_numbers = ShuffledCounter(rng, 9 * 10**9)
        self._mobiles = ShuffledCounter(rng, len(MOBILE_PREFIXES) * 10**7)

    def national_code(self) -> str:
        """A new valid ten-digit national code, never ten equal digits."""
        while True:
            first_nine = f"{self._national_codes.next():09d}"
            if first_nine != first_nine[0] * 9:
                return with_check_digit(first_nine)

    def fida(self) -> str:
        """A new twelve-digit FIDA number of a foreign national."""
        return str(10**11 + self._fida.next())

    def insurance_number(self) -> str:
        """A new ten-digit insurance number."""
        return str(10**9 + self._insurance_numbers.next())

    def mobile(self) -> str:
        """A new mobile number: one of the operators' prefixes and seven digits."""
        number = self._mobiles.next()
        return f"{MOBILE_PREFIXES[number // 10**7]}{number % 10**7:07d}"


class Registry:
    """The open CSV writers, the calendar of the generation day and the row counts."""

    def __init__(
        self, writers: dict[str, CsvWriter], *, today: datetime.date, rng: random.Random
    ) -> None:
        self.rng = rng
        self.today = today
        self.stats = RegistryStats()
        self.numbers = UniqueNumbers(rng)
        self._writers = writers
        self.jalali_months = _jalali_months(today, JALALI_MONTHS_KEPT)
        self.month_starts = [
            jdatetime.date(y, m, 1).togregorian() for y, m, _ in self.jalali_months
        ]
        self._birthdays = [_years_before(today, years).toordinal() for years in range(112)]
        self._workshops = [str(rng.randrange(10**9, 10**10)) for _ in range(WORKSHOPS)]
        self.academic_year_end = _next_jalali_date(today, month=6, day=31)

    def birth_at_age(self, years: int) -> datetime.date:
        """A random birth date of someone exactly `years` full years old today."""
        latest = self._birthdays[years]
        return datetime.date.fromordinal(
            latest - self.rng.randrange(latest - self._birthdays[years + 1])
        )

    def born(self, years: int, days: int = 0) -> datetime.date:
        """The birth date of someone `years` full years and `days` days old today."""
        return _years_before(self.today, years, days)

    def days_ago(self, days: int) -> datetime.date:
        """The date `days` days before today (after it when negative)."""
        return self.today - datetime.timedelta(days=days)

    def age(self, member: Member) -> int:
        """A member's full years today."""
        return _full_years(member.birth_date, self.today)

    def random_death(self, years: int) -> datetime.date | None:
        """A death date in the last three years for a few people, more often the old."""
        chance = 0.03 if years >= 70 else 0.01 if years >= 60 else 0.002
        if self.rng.random() >= chance:
            return None
        return self.today - datetime.timedelta(days=self.rng.randrange(1, 3 * 365))

    def person(
        self,
        sex: str,
        birth_date: datetime.date,
        *,
        last_name: str,
        foreign: bool = False,
        death_date: datetime.date | None = None,
    ) -> Member:
        """Write a person; adults get a mobile of their own, children none."""
        rng = self.rng
        code = self.numbers.fida() if foreign else self.numbers.national_code()
        mobile = self.numbers.mobile() if birth_date.toordinal() <= self._birthdays[18] else ""
        first_name = rng.choice(MALE_FIRST_NAMES if sex == "M" else FEMALE_FIRST_NAMES)
        died = death_date.isoformat() if death_date else ""
        self._writers["persons.csv"].writerow(
            (code, first_name, last_name, birth_date.isoformat(), sex, mobile, died)
        )
        self.stats.persons += 1
        return Member(code, mobile, sex, birth_date, last_name, death_date)

    def insure(
        self, member: Member, kind: str, start: datetime.date, end: datetime.date | None = None
    ) -> None:
        """Write an insurance record of a main insured."""
        row = (
            member.national_code,
            self.numbers.insurance_number(),
            kind,
            start.isoformat(),
            _iso(end),
        )
        self._writers["insured.csv"].writerow(row)
        self.stats.insured += 1

    def link(
        self,
        insured: Member,
        member: Member,
        relation: str,
        start: datetime.date,
        end: datetime.date | None = None,
    ) -> None:
        """Write a dependant link from a main insured to a family member."""
        row = (insured.national_code, member.national_code, relation, start.isoformat(), _iso(end))
        self._writers["dependants.csv"].writerow(row)
        self.stats.dependants += 1

    def document(
        self,
        member: Member,
        kind: str,
        valid_from: datetime.date,
        valid_until: datetime.date | None = None,
    ) -> None:
        """Write a document: student certificate, unmarried verification or disability."""
        row = (member.national_code, kind, valid_from.isoformat(), _iso(valid_until))
        self._writers["documents.csv"].writerow(row)
        self.stats.documents += 1

    def other_insurer(self, member: Member, insurer: str, start: datetime.date) -> None:
        """Write another base insurer covering the member from `start` (a hospital sees it)."""
        row = (member.national_code, insurer, start.isoformat(), "")
        self._writers["other_insurance.csv"].writerow(row)

    def birth(self, mother: Member, birth_date: datetime.date, sex: str) -> None:
        """Write a birth under the mother's national code."""
        self._writers["births.csv"].writerow((mother.national_code, birth_date.isoformat(), sex))
        self.stats.births += 1

    def contribute(self, member: Member, last_paid: int, months: int) -> datetime.date:
        """Write `months` monthly contributions ending `last_paid` months ago; return their start.

        Full months carry the month's length in days; the workshop changes every few years, the
        last month is sometimes partial, and some workers have a second job or a zero-day row.
        """
        rng = self.rng
        if member.death_date is not None:
            # Nobody pays after death: the last paid month is at or before the death's.
            last_paid = max(last_paid, (self.today - member.death_date).days // 28)
        last_paid = min(last_paid, len(self.jalali_months) - 1)
        months = min(months, len(self.jalali_months) - last_paid)
        paid = self.jalali_months[last_paid : last_paid + months][::-1]
        career = rng.randrange(24, 150)
        shops = [rng.choice(self._workshops) for _ in range(months // career + 1)]
        code = member.national_code
        rows = [(code, y, m, days, shops[i // career]) for i, (y, m, days) in enumerate(paid)]
        chance = rng.random()
        if chance < 0.1:
            y, m, days = paid[-1]
            rows[-1] = (code, y, m, rng.randrange(1, days), shops[-1])
        elif chance < 0.13 and last_paid:
            y, m, _ = self.jalali_months[last_paid - 1]
            rows.append((code, y, m, 0, shops[-1]))
        elif chance < 0.17 and months >= 3:
            rows.extend(self._second_job(code, paid[-3:], shops[-1]))
        self._writers["contributions.csv"].writerows(rows)
        self.stats.contributions += len(rows)
        return self.month_starts[last_paid + months - 1]

    def _second_job(
        self, code: str, paid: list[tuple[int, int, int]], main_shop: str
    ) -> list[tuple[str, int, int, int, str]]:
        """Part-time rows at another workshop in the same months as the main job."""
        shop = main_shop
        while shop == main_shop:
            shop = self.rng.choice(self._workshops)
        return [(code, y, m, self.rng.randrange(5, 20), shop) for y, m, _ in paid]

    def sample(self, key: str, member: Member) -> None:
        """Name a member in the samples."""
        self.stats.samples[key] = {"national_code": member.national_code, "mobile": member.mobile}


def _iso(day: datetime.date | None) -> str:
    """ISO date, or empty for none."""
    return day.isoformat() if day else ""


def _years_before(day: datetime.date, years: int, days: int = 0) -> datetime.date:
    """The date `years` calendar years and then `days` days before `day` (29 Feb → 28 Feb)."""
    try:
        earlier = day.replace(year=day.year - years)
    except ValueError:
        earlier = day.replace(year=day.year - years, day=28)
    return earlier - datetime.timedelta(days=days)


def _full_years(birth_date: datetime.date, on: datetime.date) -> int:
    """Age in full years on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _jalali_months(today: datetime.date, count: int) -> list[tuple[int, int, int]]:
    """(year, month, days in month) of today's Jalali month and the ones before it, newest first."""
    jalali = jdatetime.date.fromgregorian(date=today)
    year, month = jalali.year, jalali.month
    months = []
    for _ in range(count):
        months.append((year, month, month_length(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _next_jalali_date(today: datetime.date, *, month: int, day: int) -> datetime.date:
    """The first Gregorian date on or after today that falls on this Jalali month and day."""
    year = jdatetime.date.fromgregorian(date=today).year
    candidate = jdatetime.date(year, month, day).togregorian()
    return candidate if candidate >= today else jdatetime.date(year + 1, month, day).togregorian()


def _latest_jalali_31st(today: datetime.date) -> datetime.date:
    """The latest date on or before today that is the 31st day of a Jalali month."""
    day = jdatetime.date.fromgregorian(date=today)
    while day.day != 31:
        day -= datetime.timedelta(days=1)
    return day.togregorian()


# Random households


def _random_household(registry: Registry) -> None:
    """One random family: a main insured and perhaps a spouse, children, parents and a birth."""
    rng = registry.rng
    insured = _main_insured(registry, rng.choices(KINDS, KIND_WEIGHTS)[0])
    years = registry.age(insured)
    spouse = None
    if years >= 22 and rng.random() < 0.8:
        spouse = _spouse(registry, insured, years)
    if years >= 22:
        _children(registry, insured, spouse)
    if 25 <= years <= 55 and rng.random() < 0.12:
        _parents(registry, insured, years)
    mother = insured if insured.sex == "F" else spouse
    if mother is not None and rng.random() < 0.06:
        _recent_birth(registry, mother)


def _single_worker(registry: Registry) -> None:
    """A worker with no family on file: fills the last rows up to the number of people asked."""
    _main_insured(registry, "worker")


def _main_insured(registry: Registry, kind: str) -> Member:
    """A main insured of this kind, with an insurance record and any contributions."""
    rng = registry.rng
    years = rng.randint(*AGE_RANGE[kind])
    member = registry.person(
        "M" if rng.random() < MALE_SHARE[kind] else "F",
        registry.birth_at_age(years),
        last_name=rng.choice(LAST_NAMES),
        foreign=kind == "worker" and rng.random() < FIDA_SHARE,
        death_date=registry.random_death(years),
    )
    if kind == "worker":
        _insure_worker(registry, member, years)
    elif kind == "pensioner":
        _insure_pensioner(registry, member, years)
    elif kind == "unemployment":
        _insure_unemployed(registry, member)
    else:
        _insure_paid_period(registry, member, kind)
    return member


def _insure_worker(registry: Registry, member: Member, years: int) -> None:
    """A worker whose history falls in one continuation band, or with nothing paid lately."""
    rng = registry.rng
    _, last_paid, months = rng.choices(WORKER_HISTORY, WORKER_HISTORY_WEIGHTS)[0]
    # Nobody pays before the age of 17, so a young worker's career is shorter.
    months = min(rng.randint(*months), max(1, (years - 17) * 12))
    start = registry.contribute(member, rng.randint(*last_paid), months)
    registry.insure(member, "worker", start)


def _insure_paid_period(registry: Registry, member: Member, kind: str) -> None:
    """A self-employed or voluntary insured whose last paid month is recent or long past."""
    rng = registry.rng
    last_paid = rng.randint(0, 2) if rng.random() < 0.7 else rng.randint(3, 30)
    start = registry.contribute(member, last_paid, rng.randint(3, 12))
    registry.insure(member, kind, start)


def _insure_pensioner(registry: Registry, member: Member, years: int) -> None:
    """A pensioner retired at 50–62; some pensions have ended, a deceased's at the death."""
    rng = registry.rng
    retired_at = rng.randint(min(50, years), min(62, years))
    start = registry.born(years - retired_at, rng.randrange(365))
    end = member.death_date
    if end is not None:
        start = min(start, end)
    elif rng.random() < 0.12:
        end = registry.days_ago(rng.randint(0, min(720, (registry.today - start).days)))
    registry.insure(member, "pensioner", start, end)


def _insure_unemployed(registry: Registry, member: Member) -> None:
    """An unemployment benefit, current or ended, often after some months of work."""
    rng = registry.rng
    start = registry.days_ago(rng.randint(30, 900))
    if rng.random() < 0.5:
        months_since = (registry.today - start).days // 30 + 1
        registry.contribute(member, months_since, rng.randint(6, 24))
    registry.insure(
        member, "unemployment", start, start + datetime.timedelta(days=rng.randint(180, 1080))
    )


def _spouse(registry: Registry, insured: Member, years: int) -> Member:
    """A wife (sometimes insured herself) or a husband (some disabled), linked as spouse."""
    rng = registry.rng
    if insured.sex == "M":
        spouse_years, sex = max(18, years - rng.randint(0, 10)), "F"
    else:
        spouse_years, sex = min(100, years + rng.randint(0, 12)), "M"
    spouse = _relative(registry, insured, sex, registry.birth_at_age(spouse_years), spouse_years)
    if sex == "F" and rng.random() < 0.05:
        _insure_worker(registry, spouse, spouse_years)
    if sex == "M" and spouse_years < 60 and rng.random() < 0.15:
        registry.document(spouse, "disability", registry.days_ago(rng.randint(30, 3000)))
    married = registry.born(
        rng.randint(0, max(0, min(years, spouse_years) - 18)), rng.randrange(365)
    )
    divorced = None
    if rng.random() < 0.02:
        divorced = registry.days_ago(rng.randint(0, (registry.today - married).days))
    registry.link(insured, spouse, "spouse", married, divorced)
    return spouse


def _relative(
    registry: Registry,
    insured: Member,
    sex: str,
    birth_date: datetime.date,
    years: int,
    last_name: str | None = None,
) -> Member:
    """A family member of the insured, foreign when the insured is, who may have died."""
    return registry.person(
        sex,
        birth_date,
        last_name=last_name or registry.rng.choice(LAST_NAMES),
        foreign=is_fida(insured.national_code),
        death_date=registry.random_death(years) if years >= 18 else None,
    )


def _children(registry: Registry, insured: Member, spouse: Member | None) -> None:
    """Zero to four children of ages the mother allows; grown sons only while they may qualify."""
    rng = registry.rng
    mother = spouse if insured.sex == "M" and spouse is not None else insured
    father = spouse if insured.sex == "F" and spouse is not None else insured
    oldest = min(registry.age(mother) - 18, 32)
    if oldest < 0:
        return
    for _ in range(rng.choices(range(len(CHILDREN_WEIGHTS)), CHILDREN_WEIGHTS)[0]):
        _child(registry, insured, rng.randint(0, oldest), father.last_name)


def _child(registry: Registry, insured: Member, years: int, last_name: str) -> None:
    """A child of any age band, some near their 19th birthday, with the documents they may hold."""
    rng = registry.rng
    sex = "M" if rng.random() < 0.51 else "F"
    disabled = rng.random() < 0.03
    if not disabled and (years > 30 or (sex == "M" and years > 25)):
        return
    if sex == "M" and 17 <= years <= 21 and rng.random() < 0.25:
        birth_date = registry.born(19, rng.randint(-40, 40))
    else:
        birth_date = registry.birth_at_age(years)
    child = _relative(registry, insured, sex, birth_date, years, last_name)
    registry.link(insured, child, "child", birth_date)
    _child_documents(registry, child, disabled)


def _child_documents(registry: Registry, child: Member, disabled: bool) -> None:
    """Disability, a son's student certificate or a daughter's unmarried verification."""
    rng = registry.rng
    years = registry.age(child)
    if disabled:
        since = child.birth_date + datetime.timedelta(days=rng.randint(30, 3000))
        registry.document(child, "disability", min(since, registry.today))
    elif child.sex == "M" and years >= 19 and rng.random() < 0.5:
        _student_certificate(registry, child)
    elif child.sex == "F" and years >= 18 and rng.random() < 0.55:
        verified = registry.days_ago(rng.randint(0, (years - 18) * 365 + 30))
        until = verified + datetime.timedelta(days=730) if rng.random() < 0.1 else None
        registry.document(child, "unmarried_verified", verified, until)


def _student_certificate(registry: Registry, son: Member, state: str = "") -> None:
    """A certificate current to the academic year's end (31 Shahrivar), ending soon, or expired."""
    rng = registry.rng
    state = state or rng.choices(("current", "ending_soon", "expired"), (55, 20, 25))[0]
    if state == "current":
        until = registry.academic_year_end
    elif state == "ending_soon":
        until = registry.days_ago(-rng.randint(1, 45))
    else:
        until = registry.days_ago(rng.randint(1, 400))
    registry.document(son, "student_certificate", until - datetime.timedelta(days=364), until)


def _parents(registry: Registry, insured: Member, years: int) -> None:
    """A father, a mother or both, of ages on both sides of 60 and 55, some disabled."""
    rng = registry.rng
    if rng.random() < 0.6:
        father_years = min(100, years + rng.randint(22, 38))
        father = _relative(
            registry,
            insured,
            "M",
            registry.birth_at_age(father_years),
            father_years,
            insured.last_name,
        )
        _parent_link(registry, insured, father)
    if rng.random() < 0.7:
        mother_years = min(100, years + rng.randint(18, 32))
        mother = _relative(
            registry, insured, "F", registry.birth_at_age(mother_years), mother_years
        )
        _parent_link(registry, insured, mother)


def _parent_link(registry: Registry, insured: Member, parent: Member) -> None:
    """Link a parent, with a disability document for some."""
    rng = registry.rng
    registry.link(insured, parent, "parent", registry.days_ago(rng.randint(1, 3650)))
    if rng.random() < 0.12:
        registry.document(parent, "disability", registry.days_ago(rng.randint(30, 3000)))


def _recent_birth(registry: Registry, mother: Member) -> None:
    """A birth in the last year, half of them in the last month, to a living mother of 18–45."""
    rng = registry.rng
    if mother.death_date is not None or not 18 <= registry.age(mother) <= 45:
        return
    days = rng.randrange(30) if rng.random() < 0.5 else rng.randrange(30, 365)
    registry.birth(mother, registry.days_ago(days), "M" if rng.random() < 0.51 else "F")


# Households built by hand, so that every sample exists


def _scripted_households(registry: Registry) -> None:
    """The first households: one of each case of the eligibility rules, named in the samples."""
    _demo_family(registry)
    _young_family(registry)
    _insured_women(registry)
    _pensioners(registry)
    _other_main_insured(registry)
    _workers_by_history(registry)
    _parents_on_both_sides_of_the_limits(registry)
    _students(registry)


def _scripted_worker(
    registry: Registry, sex: str, years: int, *, last_paid: int, months: int, foreign: bool = False
) -> Member:
    """A worker of this age (and 100 days) who paid `months` months up to `last_paid` months ago."""
    birth_date = registry.born(years, 100)
    return _scripted_contributor(
        registry, "worker", sex, birth_date, last_paid=last_paid, months=months, foreign=foreign
    )


def _scripted_contributor(
    registry: Registry,
    kind: str,
    sex: str,
    birth_date: datetime.date,
    *,
    last_paid: int,
    months: int,
    foreign: bool = False,
) -> Member:
    """A worker, self-employed or voluntary insured who paid `months` months up to `last_paid`
    months ago."""
    last_name = registry.rng.choice(LAST_NAMES)
    member = registry.person(sex, birth_date, last_name=last_name, foreign=foreign)
    registry.insure(member, kind, registry.contribute(member, last_paid, months))
    return member


def _scripted_insured(
    registry: Registry,
    sex: str,
    birth_date: datetime.date,
    kind: str,
    start: datetime.date,
    end: datetime.date | None = None,
    death_date: datetime.date | None = None,
) -> Member:
    """A pensioner or benefit receiver with a given insurance period."""
    member = registry.person(
        sex, birth_date, last_name=registry.rng.choice(LAST_NAMES), death_date=death_date
    )
    registry.insure(member, kind, start, end)
    return member


def _family_member(
    registry: Registry,
    insured: Member,
    relation: str,
    sex: str,
    birth_date: datetime.date,
    *,
    last_name: str = "",
    since: datetime.date | None = None,
) -> Member:
    """A dependant linked to the insured since `since` (a child since birth)."""
    member = registry.person(
        sex,
        birth_date,
        last_name=last_name or registry.rng.choice(LAST_NAMES),
        foreign=is_fida(insured.national_code),
    )
    registry.link(insured, member, relation, since or birth_date)
    return member


def _demo_family(registry: Registry) -> None:
    """A covered worker of long standing with a wife, children in each age band and parents."""
    worker = _scripted_worker(registry, "M", 50, last_paid=1, months=140)
    registry.sample("covered_worker", worker)
    registry.sample("worker_history_10_years_or_more", worker)
    wife = _family_member(
        registry, worker, "spouse", "F", registry.born(46), since=registry.born(25)
    )
    registry.sample("wife", wife)
    registry.other_insurer(wife, "بیمه سلامت", registry.born(1))  # an overlap, at a hospital
    children = (
        ("son_19_without_certificate", "M", registry.born(19, 60)),
        ("son_19_with_certificate", "M", registry.born(22, 30)),
        ("son_turning_19", "M", registry.born(18, 350)),
        ("daughter_18_unmarried_verified", "F", registry.born(20, 10)),
        ("daughter_18_without_document", "F", registry.born(18, 100)),
        ("child_under_18", "M", registry.born(10, 40)),
    )
    for key, sex, birth_date in children:
        child = _family_member(
            registry, worker, "child", sex, birth_date, last_name=worker.last_name
        )
        registry.sample(key, child)
        if key == "son_19_with_certificate":
            _student_certificate(registry, child, "current")
        elif key == "daughter_18_unmarried_verified":
            registry.document(child, "unmarried_verified", registry.born(1))
    since = registry.born(5)
    father = _family_member(
        registry,
        worker,
        "parent",
        "M",
        registry.born(60, 20),
        last_name=worker.last_name,
        since=since,
    )
    registry.sample("father_over_60", father)
    mother = _family_member(registry, worker, "parent", "F", registry.born(54, 20), since=since)
    registry.sample("mother_under_55", mother)


def _young_family(registry: Registry) -> None:
    """A worker whose wife gave birth ten days ago, and a worker with nothing paid in two years."""
    worker = _scripted_worker(registry, "M", 30, last_paid=1, months=40)
    registry.sample("worker_history_2_to_5_years", worker)
    wife = _family_member(
        registry, worker, "spouse", "F", registry.born(27), since=registry.born(3)
    )
    registry.birth(wife, registry.days_ago(10), "F")
    registry.sample("mother_of_newborn", wife)
    lapsed = _scripted_worker(registry, "M", 35, last_paid=30, months=40)
    registry.sample("worker_no_recent_contributions", lapsed)


def _insured_women(registry: Registry) -> None:
    """Insured women, some with husbands under 60, over 60 or disabled; one gave birth on a 31st."""
    worker = _scripted_worker(registry, "F", 32, last_paid=1, months=90)
    registry.sample("insured_woman", worker)
    registry.sample("worker_history_5_to_10_years", worker)
    registry.birth(worker, _latest_jalali_31st(registry.today), "M")
    registry.sample("mother_of_child_born_on_a_jalali_31st", worker)
    husband = _family_member(
        registry, worker, "spouse", "M", registry.born(36), since=registry.born(6)
    )
    registry.sample("husband_under_60", husband)
    self_employed = _scripted_contributor(
        registry, "self_employed", "F", registry.born(58, 30), last_paid=0, months=12
    )
    registry.sample("self_employed_paid", self_employed)
    husband = _family_member(
        registry, self_employed, "spouse", "M", registry.born(64), since=registry.born(35)
    )
    registry.sample("husband_over_60", husband)
    voluntary = _scripted_contributor(
        registry, "voluntary", "F", registry.born(45, 30), last_paid=8, months=10
    )
    registry.sample("voluntary_lapsed", voluntary)
    worker = _scripted_worker(registry, "F", 38, last_paid=1, months=60)
    husband = _family_member(
        registry, worker, "spouse", "M", registry.born(41), since=registry.born(15)
    )
    registry.document(husband, "disability", registry.born(3))
    registry.sample("husband_with_disability", husband)


def _pensioners(registry: Registry) -> None:
    """A pension that ended, one that runs (65+), and a pensioner who died, each with a wife."""
    ended = _scripted_insured(
        registry, "M", registry.born(70, 45), "pensioner", registry.born(10), registry.days_ago(60)
    )
    registry.sample("pensioner_pension_ended", ended)
    _family_member(registry, ended, "spouse", "F", registry.born(66), since=registry.born(45))
    active = _scripted_insured(registry, "M", registry.born(72, 80), "pensioner", registry.born(12))
    registry.sample("pensioner", active)
    registry.sample("over_65", active)
    _family_member(registry, active, "spouse", "F", registry.born(68), since=registry.born(48))
    died = registry.days_ago(100)
    deceased = _scripted_insured(
        registry, "M", registry.born(81), "pensioner", registry.born(20), died, death_date=died
    )
    registry.sample("deceased", deceased)
    widow = _family_member(
        registry, deceased, "spouse", "F", registry.born(76), since=registry.born(55)
    )
    registry.sample("widow", widow)


def _other_main_insured(registry: Registry) -> None:
    """Unemployment benefits current and ended, and a covered foreign worker."""
    current = _scripted_insured(
        registry,
        "M",
        registry.born(40, 7),
        "unemployment",
        registry.days_ago(100),
        registry.days_ago(-300),
    )
    registry.sample("unemployment_benefit", current)
    ended = _scripted_insured(
        registry,
        "M",
        registry.born(35, 7),
        "unemployment",
        registry.days_ago(500),
        registry.days_ago(50),
    )
    registry.sample("unemployment_benefit_ended", ended)
    foreign = _scripted_worker(registry, "M", 30, last_paid=1, months=30, foreign=True)
    registry.sample("foreign_worker", foreign)


def _workers_by_history(registry: Registry) -> None:
    """Workers in the two shortest continuation bands (the others are in other households)."""
    short = _scripted_worker(registry, "M", 24, last_paid=1, months=8)
    registry.sample("worker_history_under_1_year", short)
    longer = _scripted_worker(registry, "F", 26, last_paid=1, months=18)
    registry.sample("worker_history_1_to_2_years", longer)


def _parents_on_both_sides_of_the_limits(registry: Registry) -> None:
    """A father just under 60, a mother over 55, a disabled father of 58, and an infant."""
    worker = _scripted_worker(registry, "M", 33, last_paid=1, months=50)
    _family_member(registry, worker, "spouse", "F", registry.born(29), since=registry.born(4))
    infant = _family_member(
        registry, worker, "child", "M", registry.born(0, 240), last_name=worker.last_name
    )
    registry.sample("infant", infant)
    since = registry.born(2)
    father = _family_member(
        registry,
        worker,
        "parent",
        "M",
        registry.born(59, 200),
        last_name=worker.last_name,
        since=since,
    )
    registry.sample("father_under_60", father)
    mother = _family_member(registry, worker, "parent", "F", registry.born(56), since=since)
    registry.sample("mother_over_55", mother)
    daughter = _scripted_worker(registry, "F", 40, last_paid=1, months=100)
    father = _family_member(
        registry,
        daughter,
        "parent",
        "M",
        registry.born(58, 10),
        last_name=daughter.last_name,
        since=since,
    )
    registry.document(father, "disability", registry.born(4))
    registry.sample("father_with_disability", father)


def _students(registry: Registry) -> None:
    """Sons whose certificate ends before the father's cover, has expired, or who are disabled."""
    worker = _scripted_worker(registry, "M", 52, last_paid=1, months=126)
    _family_member(registry, worker, "spouse", "F", registry.born(48), since=registry.born(28))
    sons = (
        ("son_certificate_ending_soon", registry.born(21, 100), "ending_soon"),
        ("son_certificate_expired", registry.born(20, 200), "expired"),
        ("son_with_disability", registry.born(27, 50), ""),
    )
    for key, birth_date, certificate in sons:
        son = _family_member(registry, worker, "child", "M", birth_date, last_name=worker.last_name)
        registry.sample(key, son)
        if certificate:
            _student_certificate(registry, son, certificate)
        else:
            registry.document(son, "disability", registry.born(20))
