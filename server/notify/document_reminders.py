"""The daily job's notices ahead of a rule's edge: 60 and 14 days before a son turns 19 or a
daughter 18 without the document the rule then needs, and 30 days before a student certificate
or a disability document ends. Each is written to the outbox once (`coverage_reminder` remembers
it, with the last day of cover the edge ends) as a `document_reminder` about the dependant; the
worker tells the dependant's main insured.

The people are found by indexed range reads (`person.birth_date`, `document.valid_until`), never
by a scan of the registry.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, or_, select

from .. import clock
from ..domain.eligibility import DEFAULT_SETTINGS
from ..domain.jalali import anniversary
from ..domain.periods import in_force
from ..models import CoverageReminder, DependantLink, Document, OutboxEvent, Person

AGE_NOTICE_DAYS = (60, 14)
DOCUMENT_NOTICE_DAYS = 30
MARGIN = timedelta(days=2)  # Jalali years are 365 or 366 days: read a little wider, then check
# The rule's edge → (sex, age, the documents that carry the cover past it).
AGE_EDGES = {
    "son_19": ("M", DEFAULT_SETTINGS.son_age_limit, ("student_certificate", "disability")),
    "daughter_18": ("F", DEFAULT_SETTINGS.daughter_age_limit, ("unmarried_verified", "disability")),
}
ENDING_DOCUMENTS = ("student_certificate", "disability")


@dataclass(frozen=True)
class Edge:
    """One notice to write: about whom, which edge, on which day, how far ahead."""

    person_id: int
    edge: str  # son_19 | daughter_18 | student_certificate | disability
    on: date  # the birthday, or the document's last day
    last_covered: date  # the last day of cover the edge ends (the reminder's key)
    ahead: int  # 60, 14 or 30


def due(connection: Connection, today: date) -> list[Edge]:
    """Today's edge notices not yet sent (reads only: no write lock)."""
    edges = [*_age_edges(connection, today), *_documents_ending(connection, today)]
    return _not_yet_sent(connection, edges)


def store(connection: Connection, today: date, edges: list[Edge]) -> int:
    """Put edge notices (of `due`) in the outbox, each noted so that it goes once; how many."""
    if not edges:
        return 0
    now = clock.now()
    connection.execute(
        CoverageReminder.__table__.insert(),
        [
            {"person_id": e.person_id, "kind": f"edge_{e.ahead}", "valid_until": e.last_covered}
            for e in edges
        ],
    )
    events = [
        {
            "kind": "document_reminder",
            "person_id": e.person_id,
            "old": None,
            "new": {
                "edge": e.edge,
                "date": e.on.isoformat(),
                "ahead": e.ahead,
                "days_left": (e.on - today).days,
            },
            "created_at": now,
            "status": "pending",
        }
        for e in edges
    ]
    connection.execute(OutboxEvent.__table__.insert(), events)
    return len(edges)


def _age_edges(connection: Connection, today: date) -> list[Edge]:
    """Sons and daughters (on a family) whose birthday at the age limit is 1–60 days away."""
    widest = max(AGE_NOTICE_DAYS)
    found = []
    for edge, (sex, years, _) in AGE_EDGES.items():
        born_from = anniversary(today, -years) - MARGIN
        born_to = anniversary(today + timedelta(days=widest), -years) + MARGIN
        rows = connection.execute(
            select(Person.id, Person.birth_date)
            .join(DependantLink, DependantLink.dependant_id == Person.id)
            .where(
                Person.birth_date.between(born_from, born_to),
                Person.sex == sex,
                Person.death_date.is_(None),
                DependantLink.relation == "child",
                or_(DependantLink.end_date.is_(None), DependantLink.end_date >= today),
            )
            .distinct()
        ).all()
        for person_id, birth_date in rows:
            birthday = anniversary(birth_date, years)
            ahead = _ahead((birthday - today).days, AGE_NOTICE_DAYS)
            if ahead is not None:
                found.append(Edge(person_id, edge, birthday, birthday - timedelta(1), ahead))
    covered = _covered_on(connection, found, {k for *_, ks in AGE_EDGES.values() for k in ks})
    return [e for e in found if (e.person_id, e.on) not in covered]


def _covered_on(connection: Connection, edges: list[Edge], kinds: set[str]) -> set[tuple]:
    """(person, day) of the edges already carried past by a document of the rule's kinds."""
    if not edges:
        return set()
    by_person = {e.person_id: e for e in edges}
    rows = connection.execute(
        select(Document.person_id, Document.kind, Document.valid_from, Document.valid_until).where(
            Document.person_id.in_(by_person), Document.kind.in_(kinds)
        )
    ).all()
    carried = set()
    for person_id, kind, valid_from, valid_until in rows:
        edge = by_person[person_id]
        if kind not in AGE_EDGES[edge.edge][2]:
            continue
        if in_force(valid_from, valid_until, edge.on):
            carried.add((person_id, edge.on))
    return carried


def _documents_ending(connection: Connection, today: date) -> list[Edge]:
    """Dependants' student certificates and disability documents ending in 1–30 days, with no
    later document of the same kind taking over."""
    last = today + timedelta(days=DOCUMENT_NOTICE_DAYS)
    ending = connection.execute(
        select(Document.person_id, Document.kind, Document.valid_until)
        .join(DependantLink, DependantLink.dependant_id == Document.person_id)
        .where(
            Document.valid_until > today,
            Document.valid_until <= last,
            Document.kind.in_(ENDING_DOCUMENTS),
        )
        .distinct()
    ).all()
    if not ending:
        return []
    people = {person_id for person_id, _, _ in ending}
    later = set(
        connection.execute(
            select(Document.person_id, Document.kind).where(
                Document.person_id.in_(people),
                Document.kind.in_(ENDING_DOCUMENTS),
                or_(Document.valid_until.is_(None), Document.valid_until > last),
                Document.valid_from <= last + timedelta(days=1),
            )
        ).all()
    )
    return [
        Edge(person_id, kind, until, until, DOCUMENT_NOTICE_DAYS)
        for person_id, kind, until in ending
        if (person_id, kind) not in later
    ]


def _ahead(days: int, marks: tuple[int, ...]) -> int | None:
    """The nearest notice mark a day `days` away has reached (60 at 60…15, 14 at 14…1)."""
    if days < 1:
        return None
    reached = [mark for mark in marks if days <= mark]
    return min(reached) if reached else None


def _not_yet_sent(connection: Connection, edges: list[Edge]) -> list[Edge]:
    """The edges with no reminder of their mark yet, each once."""
    if not edges:
        return []
    sent = set(
        connection.execute(
            select(
                CoverageReminder.person_id, CoverageReminder.kind, CoverageReminder.valid_until
            ).where(
                CoverageReminder.person_id.in_({e.person_id for e in edges}),
                CoverageReminder.kind.in_({f"edge_{e.ahead}" for e in edges}),
            )
        ).all()
    )
    unique = {(e.person_id, f"edge_{e.ahead}", e.last_covered): e for e in edges}
    return [e for key, e in unique.items() if key not in sent]
