"""A synthetic health-record history for `flask darman demo`: prescriptions and paraclinic orders
written by a few demo doctors over the last 15 months for about a fifth of the registry, delivered
(often in parts, sometimes at two pharmacies) by demo centres, some left to expire.

The history is written through the record's own operations (`records.writing`), with the clock
set to each moment of it (`clock.at`): every prescription passes the catalogue and interaction
checks, logs its eligibility inquiry and leaves its outbox event, and every delivery is checked
as a centre's would be (the SMS a new prescription sends is not sent). That costs a few
milliseconds a prescription: about a second for `make run`'s 2,000 people, minutes for a
registry of 100,000. The people are committed a batch at a time. The demo people named by the
registry generator (`covered_worker`, `child_under_18`, `mother_of_newborn`, …) get a fixed
history that shows every state: partly delivered at two pharmacies, complete, open, expired.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import BigInteger, Row, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from .. import clock, inquiries
from ..auth.providers import AuthenticatedProvider
from ..catalogue.importer import (
    SHIPPED_CATALOGUE,
    SHIPPED_INTERACTIONS,
    load_catalogue,
    load_interactions,
)
from ..domain.jalali import age_on
from ..domain.refusal import Refused
from ..models import Birth, CatalogueItem, Contract, Person, Prescription, Provider
from ..money.tariffs import SHIPPED_TARIFFS, load_tariffs
from ..records import idempotency, rules, writing
from ..records.schemas import Acknowledgement, DispenseRequest, PrescriptionRequest
from ..records.writing import VALID_DAYS

SHARE = 0.2
# At most this many people get a random history (the featured ones always do): the records are
# written through the operations, ~4 ms each, so a registry of millions (a benchmark's) would
# otherwise spend an hour on them.
MAX_HISTORIES = 10_000
HISTORY_DAYS = 450  # 15 months: some records fall outside a doctor's 12-month view
READ_BATCH = 5_000  # people read at a time
COMMIT_PEOPLE = 500  # people whose history is committed together
# The demo doctors' reason for writing through a duplicate (a chronic drug written again) or a
# major interaction, as a doctor must give one.
REASON = "ادامهٔ درمان؛ بیمار از مصرف قبلی آگاه است"

# key: (service code, name, instructions, quantities to choose from); the name is the one the
# shipped catalogue gives, which is what is written.
CATALOGUE = {
    "amoxicillin": ("D1001", "آموکسی‌سیلین ۵۰۰ میلی‌گرم", "هر ۸ ساعت یک کپسول", (21, 30)),
    "metformin": ("D1002", "متفورمین ۵۰۰ میلی‌گرم", "روزی دو بار همراه غذا", (60, 90)),
    "atorvastatin": ("D1003", "آتورواستاتین ۲۰ میلی‌گرم", "شبی یک قرص", (30, 90)),
    "losartan": ("D1004", "لوزارتان ۲۵ میلی‌گرم", "روزی یک قرص", (30, 60, 90)),
    "amlodipine": ("D1005", "آملودیپین ۵ میلی‌گرم", "روزی یک قرص", (30, 90)),
    "acetaminophen": ("D1006", "استامینوفن ۵۰۰ میلی‌گرم", "هر ۶ ساعت در صورت درد یا تب", (20,)),
    "ibuprofen": ("D1007", "ایبوپروفن ۴۰۰ میلی‌گرم", "هر ۸ ساعت بعد از غذا", (20, 30)),
    "omeprazole": ("D1008", "امپرازول ۲۰ میلی‌گرم", "روزی یک کپسول ناشتا", (28, 30)),
    "cefixime": ("D1009", "سفیکسیم ۴۰۰ میلی‌گرم", "روزی یک قرص", (7, 10)),
    "azithromycin": ("D1010", "آزیترومایسین ۲۵۰ میلی‌گرم", "روز اول دو کپسول، سپس روزی یکی", (6,)),
    "levothyroxine": ("D1011", "لووتیروکسین ۱۰۰ میکروگرم", "روزی یک قرص ناشتا", (50, 100)),
    "salbutamol": ("D1012", "اسپری سالبوتامول", "در صورت تنگی نفس دو پاف", (1, 2)),
    "ferrous": ("D1013", "فروس سولفات ۵۰ میلی‌گرم", "روزی یک قرص", (30, 60)),
    "calcium_d": ("D1014", "کلسیم-D", "روزی یک قرص بعد از غذا", (30, 60)),
    "amoxicillin_syrup": (
        "D1101",
        "شربت آموکسی‌سیلین ۲۵۰ میلی‌گرم",
        "هر ۸ ساعت یک قاشق مرباخوری",
        (1, 2),
    ),
    "acetaminophen_syrup": (
        "D1102",
        "شربت استامینوفن ۱۲۰ میلی‌گرم",
        "هر ۶ ساعت در صورت تب",
        (1,),
    ),
    "ad_drops": ("D1103", "قطره مولتی‌ویتامین A+D", "روزی ۲۵ قطره", (1, 2)),
    "iron_drops": ("D1104", "قطره آهن", "روزی ۱۵ قطره", (1,)),
    "fbs": ("L2001", "آزمایش قند خون ناشتا", None, (1,)),
    "cbc": ("L2002", "شمارش کامل خون (CBC)", None, (1,)),
    "hba1c": ("L2003", "هموگلوبین A1c", None, (1,)),
    "lipids": ("L2004", "چربی خون (کلسترول، تری‌گلیسیرید، HDL، LDL)", None, (1,)),
    "tsh": ("L2005", "هورمون محرک تیروئید (TSH)", None, (1,)),
    "creatinine": ("L2006", "کراتینین سرم", None, (1,)),
    "urinalysis": ("L2007", "آزمایش کامل ادرار", None, (1,)),
    "vitamin_d": ("L2008", "ویتامین D", None, (1,)),
    "ferritin": ("L2009", "فریتین", None, (1,)),
    "chest_xray": ("R3001", "رادیوگرافی قفسه سینه", None, (1,)),
    "abdomen_us": ("R3002", "سونوگرافی شکم و لگن", None, (1,)),
    "knee_xray": ("R3003", "رادیوگرافی زانو (دو نما)", None, (1,)),
    "lumbar_mri": ("R3004", "ام‌آر‌آی ستون فقرات کمری", None, (1,)),
    "mammography": ("R3005", "ماموگرافی دوطرفه", None, (1,)),
    "knee_physio": ("P4001", "جلسه فیزیوتراپی زانو", "سه جلسه در هفته", (6, 10)),
    "back_physio": ("P4002", "جلسه فیزیوتراپی کمر", "سه جلسه در هفته", (6, 10)),
    "cardiology": ("V5001", "ویزیت متخصص قلب و عروق", "ارجاع برای ارزیابی فشار خون", (1,)),
}


@dataclass(frozen=True)
class Episode:
    """Why someone saw a doctor, and what was written: orders of (type, item keys)."""

    diagnosis: str
    doctor: str
    orders: tuple[tuple[str, tuple[str, ...]], ...]
    ages: tuple[int, int] = (18, 120)
    sex: str | None = None
    every_days: int | None = None  # chronic: written again every so many days


EPISODES = (
    (14, Episode("عفونت حاد گلو", "gp", (("drug", ("amoxicillin", "acetaminophen")),))),
    (8, Episode("سرماخوردگی", "gp", (("drug", ("acetaminophen",)),), ages=(12, 120))),
    (6, Episode("سوءهاضمه", "gp", (("drug", ("omeprazole",)),), ages=(15, 120))),
    (
        5,
        Episode(
            "عفونت ادراری",
            "gp",
            (("drug", ("cefixime",)), ("lab", ("urinalysis",))),
            ages=(15, 120),
        ),
    ),
    (
        5,
        Episode(
            "برونشیت حاد",
            "internist",
            (("drug", ("azithromycin",)), ("imaging", ("chest_xray",))),
            ages=(18, 120),
        ),
    ),
    (
        8,
        Episode(
            "دیابت نوع ۲",
            "internist",
            (("drug", ("metformin", "atorvastatin")), ("lab", ("fbs", "hba1c", "lipids"))),
            ages=(35, 120),
            every_days=90,
        ),
    ),
    (
        8,
        Episode(
            "فشار خون بالا",
            "internist",
            (("drug", ("losartan", "amlodipine")), ("lab", ("creatinine",))),
            ages=(35, 120),
            every_days=90,
        ),
    ),
    (
        5,
        Episode(
            "کم‌کاری تیروئید",
            "internist",
            (("drug", ("levothyroxine",)), ("lab", ("tsh",))),
            ages=(20, 120),
            every_days=120,
        ),
    ),
    (
        6,
        Episode(
            "معاینهٔ دوره‌ای",
            "gp",
            (("lab", ("cbc", "fbs", "lipids", "creatinine", "vitamin_d")),),
            ages=(30, 120),
        ),
    ),
    (
        4,
        Episode(
            "کم‌خونی فقر آهن",
            "gp",
            (("drug", ("ferrous",)), ("lab", ("cbc", "ferritin"))),
            ages=(15, 60),
            sex="F",
        ),
    ),
    (4, Episode("آسم", "internist", (("drug", ("salbutamol",)),), ages=(6, 120))),
    (
        5,
        Episode(
            "کمردرد مزمن",
            "orthopedist",
            (("drug", ("ibuprofen",)), ("physio", ("back_physio",)), ("imaging", ("lumbar_mri",))),
            ages=(25, 120),
        ),
    ),
    (
        5,
        Episode(
            "آرتروز زانو",
            "orthopedist",
            (("drug", ("ibuprofen", "calcium_d")), ("imaging", ("knee_xray",))),
            ages=(45, 120),
        ),
    ),
    (3, Episode("آرتروز زانو", "orthopedist", (("physio", ("knee_physio",)),), ages=(45, 120))),
    (3, Episode("درد شکم", "gp", (("imaging", ("abdomen_us",)),), ages=(12, 120))),
    (
        3,
        Episode(
            "غربالگری سرطان پستان", "gynecologist", (("imaging", ("mammography",)),), (40, 120), "F"
        ),
    ),
    (2, Episode("فشار خون بالا", "gp", (("visit", ("cardiology",)),), ages=(40, 120))),
    (
        10,
        Episode(
            "تب و گلودرد کودک",
            "pediatrician",
            (("drug", ("amoxicillin_syrup", "acetaminophen_syrup")),),
            ages=(0, 11),
        ),
    ),
    (
        5,
        Episode(
            "مراقبت کودک سالم", "pediatrician", (("drug", ("ad_drops", "iron_drops")),), (0, 2)
        ),
    ),
    (3, Episode("کم‌خونی", "pediatrician", (("lab", ("cbc",)),), ages=(1, 17))),
)
EPISODE_WEIGHTS = tuple(weight for weight, _ in EPISODES)

DOCTORS = {
    "gp": "مطب دکتر مریم احمدی (پزشک عمومی)",
    "internist": "مطب دکتر رضا کریمی (متخصص داخلی)",
    "pediatrician": "مطب دکتر سارا موسوی (متخصص کودکان)",
    "orthopedist": "مطب دکتر حمید نوری (متخصص ارتوپدی)",
    "gynecologist": "مطب دکتر لیلا صادقی (متخصص زنان و زایمان)",
}
CENTRES = {
    "pharmacy_razi": ("داروخانه دکتر رازی", "pharmacy"),
    "pharmacy_sina": ("داروخانه شبانه‌روزی سینا", "pharmacy"),
    "lab": ("آزمایشگاه پاتوبیولوژی پاستور", "lab"),
    "imaging": ("مرکز تصویربرداری پارس", "imaging"),
    "physio": ("مرکز فیزیوتراپی آرامش", "physio"),
    "hospital": ("بیمارستان تأمین اجتماعی البرز", "hospital"),
}
CENTRE_FOR_TYPE = {"lab": "lab", "imaging": "imaging", "physio": "physio", "visit": "hospital"}
UNCONTRACTED = "orthopedist"  # the demo's doctor with no contract with SSO
CONTRACTS_FROM = date(2024, 3, 20)  # 1 Farvardin 1403, before any demo history


@dataclass
class RecordsStats:
    """What the generator wrote."""

    patients: int = 0
    prescriptions: int = 0
    items: int = 0
    deliveries: int = 0
    skipped: bool = False
    featured: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the demo command's output."""
        if self.skipped:
            return "records: the registry already has prescriptions; none added"
        return (
            f"records: {self.prescriptions} prescriptions ({self.items} items, "
            f"{self.deliveries} deliveries) for {self.patients} people; "
            f"full histories for {', '.join(self.featured) or 'nobody'}"
        )


# The fixed histories of the demo people: (days ago, type, diagnosis, doctor, items), each item
# (catalogue key, quantity, deliveries of (centre, days after writing, quantity)).
ADULT_SCRIPT = (
    (
        5,
        "drug",
        "عفونت حاد گلو",
        "gp",
        (
            ("amoxicillin", 30, (("pharmacy_razi", 0, 20), ("pharmacy_sina", 2, 5))),
            ("acetaminophen", 20, (("pharmacy_razi", 0, 20),)),
        ),
    ),
    (
        5,
        "lab",
        "معاینهٔ دوره‌ای",
        "gp",
        tuple((key, 1, (("lab", 1, 1),)) for key in ("fbs", "cbc", "lipids")),
    ),
    (20, "imaging", "برونشیت حاد", "internist", (("chest_xray", 1, ()),)),
    (40, "physio", "کمردرد مزمن", "orthopedist", (("back_physio", 10, (("physio", 3, 2),)),)),
    (
        95,
        "drug",
        "دیابت نوع ۲",
        "internist",
        (
            ("metformin", 90, (("pharmacy_sina", 1, 60),)),
            ("atorvastatin", 30, (("pharmacy_sina", 1, 30),)),
        ),
    ),
    (200, "drug", "سوءهاضمه", "gp", (("omeprazole", 30, (("pharmacy_razi", 0, 30),)),)),
)
CHILD_SCRIPT = (
    (
        3,
        "drug",
        "تب و گلودرد کودک",
        "pediatrician",
        (
            ("amoxicillin_syrup", 2, (("pharmacy_razi", 0, 1), ("pharmacy_sina", 1, 1))),
            ("acetaminophen_syrup", 1, ()),
        ),
    ),
    (70, "lab", "کم‌خونی", "pediatrician", (("cbc", 1, ()),)),
)
NEWBORN_SCRIPT = (
    (0, "drug", "مراقبت نوزاد", "pediatrician", (("ad_drops", 1, (("pharmacy_razi", 0, 1),)),)),
)
FEATURED = ("covered_worker", "wife", "child_under_18", "infant", "mother_of_newborn", "over_65")
FEATURED_WITH_NEWBORN = "mother_of_newborn"


def write_demo_records(
    session: Session,
    today: date,
    *,
    seed: int = 1,
    share: float = SHARE,
    featured: dict[str, dict[str, str]] | None = None,
    max_histories: int = MAX_HISTORIES,
) -> RecordsStats:
    """Write the history for `share` of the registry (at most `max_histories` people, and the
    featured people) through the
    record's operations, committing a batch of people at a time (a CLI job's own boundaries).

    Nothing is written when prescriptions exist already, so a second demo run adds none.
    """
    if session.scalar(select(Prescription.id).limit(1)) is not None:
        return RecordsStats(skipped=True)
    _load_catalogue(session)
    history = History(session, today, random.Random(seed), _providers(session))
    chosen = _featured(session, featured or {})
    histories = 0
    for count, person in enumerate(_people(session, share, seed, list(chosen)), start=1):
        key = chosen.get(person.id)
        if key is not None:
            history.scripted(person, key)
        elif histories < max_histories:
            history.random_history(person)
            histories += 1
        if count % COMMIT_PEOPLE == 0:
            session.commit()  # a batch job: each batch of people sticks on its own
    session.commit()  # the last batch
    return history.stats


def _load_catalogue(session: Session) -> None:
    """Load the shipped catalogue, interaction table and demo prices when no catalogue is loaded
    (as `make run` does first): the demo doctors write from it, its centres price from them."""
    if session.scalar(select(CatalogueItem.code).limit(1)) is not None:
        return
    for load, path in (
        (load_catalogue, SHIPPED_CATALOGUE),
        (load_interactions, SHIPPED_INTERACTIONS),
        (load_tariffs, SHIPPED_TARIFFS),
    ):
        report = load(path)
        if report.errors:
            raise RuntimeError(f"the shipped catalogue does not load: {report.errors[0]}")


def _providers(session: Session) -> dict[str, AuthenticatedProvider]:
    """Make the demo doctors and centres (no tokens: nobody signs in as them); each as it would
    be signed in, by key. All but one doctor have a contract with SSO since before the history
    (the one without shows a visit SSO pays nothing for); the hospital is SSO's own."""
    providers = {}
    kinds = {key: (name, "doctor") for key, name in DOCTORS.items()} | CENTRES
    for key, (name, kind) in kinds.items():
        provider = Provider(
            name=name, kind=kind, created_at=clock.now(), sso_owned=key == "hospital"
        )
        session.add(provider)
        session.flush()
        if key != UNCONTRACTED:
            session.add(
                Contract(provider_id=provider.id, valid_from=CONTRACTS_FROM, made_at=clock.now())
            )
        providers[key] = AuthenticatedProvider(id=provider.id, name=name, kind=kind)
    return providers


def _featured(session: Session, samples: dict[str, dict[str, str]]) -> dict[int, str]:
    """The ids of the demo people who get a fixed history, with their sample key."""
    codes = {samples[key]["national_code"]: key for key in FEATURED if key in samples}
    if not codes:
        return {}
    rows = session.execute(
        select(Person.id, Person.national_code).where(Person.national_code.in_(list(codes)))
    )
    return {row.id: codes[row.national_code] for row in rows}


def _people(session: Session, share: float, seed: int, featured: list[int]) -> Iterator[Row]:
    """The living people who get a history — `share` of them, spread by id — and the featured,
    a batch at a time (the choice is made in SQL: no need to read everyone)."""
    spread = (cast(Person.id, BigInteger) * 7919 + seed) % 100 < round(share * 100)
    chosen = or_(and_(Person.death_date.is_(None), spread), Person.id.in_(featured))
    last_id = 0
    while True:
        rows = session.execute(
            select(Person.id, Person.national_code, Person.birth_date, Person.sex)
            .where(Person.id > last_id, chosen)
            .order_by(Person.id)
            .limit(READ_BATCH)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def _tehran_time(day: date, rng: random.Random) -> datetime:
    """A moment of a working day (8:00–20:59 in Tehran, UTC+3:30), in UTC."""
    minutes = rng.randrange(8 * 60, 21 * 60) - 210
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)


@dataclass
class Planned:
    """A prescription the history writes, and what centres deliver of it, day by day."""

    person: Row
    written_on: date
    type: str
    diagnosis: str
    doctor: str
    newborn: date | None
    items: list[dict]  # {"code", "instructions", "quantity", "dispensed"}
    deliveries: dict[tuple[date, str], dict[str, int]] = field(default_factory=dict)
    code: str | None = None  # the prescription's own code, once written


class History:
    """The random source, the demo providers and the tally of one generator run; each person's
    history is planned, then written in the order it happened."""

    def __init__(
        self,
        session: Session,
        today: date,
        rng: random.Random,
        providers: dict[str, AuthenticatedProvider],
    ) -> None:
        self.session = session
        self.today = today
        self.rng = rng
        self.providers = providers
        self.stats = RecordsStats()
        self.valid_days = VALID_DAYS

    def random_history(self, person: Row) -> None:
        """One to three episodes of the last 15 months; chronic ones are written again."""
        age = age_on(person.birth_date, self.today) if person.birth_date else 40
        episodes = self.rng.choices((1, 2, 3), weights=(65, 25, 10))[0]
        planned = []
        for _ in range(episodes):
            episode = self._episode(age, person.sex)
            if episode is None:
                continue
            day = self.today - timedelta(days=self.rng.randrange(HISTORY_DAYS))
            days = [day]
            if episode.every_days:
                repeats = self.rng.randrange(1, 4)
                days = [
                    d
                    for n in range(repeats)
                    if (d := day + timedelta(episode.every_days * n)) <= self.today
                ]
            for written_on in days:
                for type_, keys in episode.orders:
                    planned.append(
                        self._random_prescription(person, written_on, episode, type_, keys)
                    )
        self._write(planned)
        self.stats.patients += 1

    def _episode(self, age: int, sex: str) -> Episode | None:
        """A random episode that fits the person's age and sex (None after a few misses)."""
        for _ in range(8):
            _, episode = self.rng.choices(EPISODES, weights=EPISODE_WEIGHTS)[0]
            low, high = episode.ages
            if low <= age <= high and episode.sex in (None, sex):
                return episode
        return None

    def _random_prescription(
        self, person: Row, written_on: date, episode: Episode, type_: str, keys: tuple[str, ...]
    ) -> Planned:
        """One prescription of an episode, with random quantities and deliveries."""
        items = [(key, self.rng.choice(CATALOGUE[key][3])) for key in keys]
        planned = self._planned(person, written_on, type_, episode.diagnosis, episode.doctor)
        for key, quantity in items:
            self._item(planned, key, quantity)
        self._deliver_randomly(planned)
        return planned

    def scripted(self, person: Row, key: str) -> None:
        """The fixed history of a demo person: adult or child, and a newborn's under the mother."""
        adult = not rules.is_minor(person.birth_date, self.today)
        planned = [
            self._scripted_prescription(person, *entry)
            for entry in (ADULT_SCRIPT if adult else CHILD_SCRIPT)
        ]
        if key == FEATURED_WITH_NEWBORN:
            newborn = self.session.scalar(
                select(func.max(Birth.birth_date)).where(Birth.mother_id == person.id)
            )
            for entry in NEWBORN_SCRIPT if newborn else ():
                planned.append(self._scripted_prescription(person, *entry, newborn=newborn))
        self._write(planned)
        self.stats.patients += 1
        self.stats.featured.append(key)

    def _scripted_prescription(
        self,
        person: Row,
        days_ago: int,
        type_: str,
        diagnosis: str,
        doctor: str,
        items: tuple,
        newborn: date | None = None,
    ) -> Planned:
        """One prescription of a script, delivered as the script says."""
        written_on = self.today - timedelta(days=days_ago)
        planned = self._planned(person, written_on, type_, diagnosis, doctor, newborn)
        for key, quantity, deliveries in items:
            item = self._item(planned, key, quantity)
            for centre, after, delivered in deliveries:
                self._delivery(planned, item, centre, written_on + timedelta(after), delivered)
        return planned

    def _planned(
        self,
        person: Row,
        written_on: date,
        type_: str,
        diagnosis: str,
        doctor: str,
        newborn: date | None = None,
    ) -> Planned:
        """A prescription to write, with no items yet."""
        return Planned(person, written_on, type_, diagnosis, doctor, newborn, items=[])

    def _item(self, planned: Planned, key: str, quantity: int) -> dict:
        """Add an item (nothing delivered yet); the item, to count deliveries into."""
        code, _, instructions, _ = CATALOGUE[key]
        item = {"code": code, "instructions": instructions, "quantity": quantity, "dispensed": 0}
        planned.items.append(item)
        return item

    def _delivery(
        self, planned: Planned, item: dict, centre: str, day: date, quantity: int
    ) -> None:
        """Plan a delivery (never after today or the last day, never more than remains)."""
        last_day = rules.expires_on(planned.written_on, self.valid_days)
        quantity = min(quantity, item["quantity"] - item["dispensed"])
        if quantity <= 0 or day > min(self.today, last_day):
            return
        item["dispensed"] += quantity
        delivered = planned.deliveries.setdefault((day, centre), {})
        delivered[item["code"]] = delivered.get(item["code"], 0) + quantity

    def _deliver_randomly(self, planned: Planned) -> None:
        """Deliver some, all or none: drugs at one pharmacy or split between two, sessions in
        batches, tests and scans at their centre; a tenth of everything at the hospital."""
        rng, type_, written_on, items = self.rng, planned.type, planned.written_on, planned.items
        last_day = rules.expires_on(written_on, self.valid_days)
        window = (min(self.today, last_day) - written_on).days
        if window < 0 or rng.random() < (0.5 if window < 3 else 0.12):
            return  # not delivered (yet)
        partial = rng.random() < 0.2
        first = self._centre(type_)
        day = written_on + timedelta(rng.randint(0, min(2, window)))
        if type_ == "drug" and rng.random() < 0.35:
            second = "pharmacy_sina" if first == "pharmacy_razi" else "pharmacy_razi"
            later = day + timedelta(rng.randint(0, max(0, window - (day - written_on).days)))
            for item in items:
                share = item["quantity"] // 2 or item["quantity"]
                self._delivery(planned, item, first, day, share)
                rest = item["quantity"] - item["dispensed"] - (1 if partial else 0)
                self._delivery(planned, item, second, later, rest)
            return
        if type_ == "physio":
            self._sessions(planned, items[0], first, window, partial)
            return
        for n, item in enumerate(items):
            wanted = item["quantity"] - (1 if partial and n == len(items) - 1 else 0)
            self._delivery(planned, item, first, day, wanted)

    def _sessions(
        self, planned: Planned, item: dict, centre: str, window: int, partial: bool
    ) -> None:
        """Physiotherapy sessions, two or three at a time, every few days."""
        wanted = self.rng.randint(1, item["quantity"] - 1) if partial else item["quantity"]
        offset = 0
        while item["dispensed"] < wanted and offset <= window:
            batch = min(self.rng.randint(2, 3), wanted - item["dispensed"])
            self._delivery(planned, item, centre, planned.written_on + timedelta(offset), batch)
            offset += self.rng.randint(3, 8)

    def _centre(self, type_: str) -> str:
        """Who delivers this type: a pharmacy or the field's centre, sometimes the hospital."""
        if self.rng.random() < 0.1:
            return "hospital"
        if type_ == "drug":
            return self.rng.choice(("pharmacy_razi", "pharmacy_sina"))
        return CENTRE_FOR_TYPE[type_]

    def _write(self, planned: list[Planned]) -> None:
        """Write one person's prescriptions and deliveries in the order they happened, each at
        its moment: a prescription at a time of its day, its deliveries after it."""
        moments = []
        for prescription in planned:
            written_at = _tehran_time(prescription.written_on, self.rng)
            moments.append((written_at, 0, prescription, None))
            last = written_at
            for (day, centre), quantities in sorted(
                prescription.deliveries.items(), key=lambda delivery: delivery[0][0]
            ):
                last = max(_tehran_time(day, self.rng), last + timedelta(minutes=5))
                moments.append((last, 1, prescription, (centre, quantities)))
        moments.sort(key=lambda moment: moment[:2])
        for at, _, prescription, delivery in moments:
            with clock.at(at):
                if delivery is None:
                    self._prescribe(prescription)
                else:
                    self._dispense(prescription, *delivery)

    def _prescribe(self, planned: Planned) -> None:
        """Write a prescription as its doctor would: through the operation, giving a reason for
        each duplicate or major interaction the first try is refused for."""
        person = planned.person
        patient = (
            {"mother_national_code": person.national_code, "birth_date": planned.newborn}
            if planned.newborn
            else {"national_code": person.national_code}
        )
        items = [
            {
                "code": item["code"],
                "instructions": item["instructions"],
                "quantity": item["quantity"],
            }
            for item in planned.items
        ]
        body = PrescriptionRequest(
            **patient,
            written_on=planned.written_on,
            type=planned.type,
            diagnosis=planned.diagnosis,
            items=items,
        )
        try:
            with self.session.begin_nested():  # a refused try leaves nothing, as a request would
                written = self._prescription(planned.doctor, body)
        except Refused as error:
            findings = _unacknowledged(error)
            if findings is None:
                raise
            reasons = [Acknowledgement(id=finding["id"], reason=REASON) for finding in findings]
            written = self._prescription(
                planned.doctor, body.model_copy(update={"acknowledged_interactions": reasons})
            )
        planned.code = written["code"]
        self.stats.prescriptions += 1
        self.stats.items += len(planned.items)

    def _prescription(self, doctor: str, body: PrescriptionRequest) -> dict:
        """The write operation's answer (no idempotency key: nothing retries; no SMS)."""
        fingerprint = idempotency.fingerprint("prescription", body)
        return writing.write_prescription(
            self.providers[doctor], body, None, fingerprint, text_patient=False
        )

    def _dispense(self, planned: Planned, centre: str, quantities: dict[str, int]) -> None:
        """Deliver at a centre through the operation, as its pharmacist would — unless the
        patient is not covered that day: the centre is told «ندارد» and delivers nothing."""
        if not self._covered_today(planned):
            return
        body = DispenseRequest(
            items=[{"code": code, "quantity": quantity} for code, quantity in quantities.items()]
        )
        fingerprint = idempotency.fingerprint(f"dispense {planned.code}", body)
        writing.dispense(self.providers[centre], planned.code, body, None, fingerprint)
        self.stats.deliveries += len(quantities)

    @staticmethod
    def _covered_today(planned: Planned) -> bool:
        """Whether the patient (a newborn under the mother's code) is covered today."""
        code, today = planned.person.national_code, clock.today()
        if planned.newborn:
            return inquiries.find_newborn(code, planned.newborn, today).covered
        return inquiries.find(code, today).covered


def _unacknowledged(error: Refused) -> list[dict] | None:
    """The findings a 409 `interaction` asks a reason for; None for any other refusal."""
    return error.details.get("interactions") if error.code == "interaction" else None
