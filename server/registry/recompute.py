"""Recompute people's coverage into the snapshot table and put every change in the outbox.

Two passes over the affected people (and everyone who depends on them): first each main
insured's own cover (R1–R4), which caps their dependants; then everyone's eligibility (X1, own,
D1–D5, I1). Only rows whose values differ are written, and a change of `covered` or
`valid_until` of a person who had a snapshot is written to the outbox in the same transaction.
"""

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, case, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .. import clock
from ..database import read_transaction, write_transaction
from ..domain import eligibility as rules
from ..models import (
    Contribution,
    Coverage,
    DependantLink,
    Document,
    InsuranceRecord,
    OutboxEvent,
    Person,
)

BATCH = 1000  # people per batch: on SQLite, ~20–40 ms of the write lock to store


@dataclass(frozen=True)
class RecomputeResult:
    """How many people were computed and how many of them changed."""

    computed: int
    changed: int


def recompute(connection: Connection, person_ids: Iterable[int], on: date) -> RecomputeResult:
    """Recompute these people and their dependants as of `on`, in the caller's transaction."""
    people = _with_dependants(connection, set(person_ids))
    own: dict[int, rules.Eligibility] = {}
    for batch in _batches(sorted(people)):
        own.update(_own_cover(connection, batch, on))
    changed = 0
    for batch in _batches(sorted(people)):
        computed = _eligibility(connection, batch, own, on)
        changed += _store(connection, computed, own, on)
    return RecomputeResult(len(people), changed)


def recompute_in_batches(
    session: Session,
    person_ids: Iterable[int],
    on: date,
    progress: Callable[[int, int], None] | None = None,
) -> RecomputeResult:
    """`recompute` in short transactions: reads without the write lock, each batch's writes
    committed on their own (on SQLite tens of milliseconds of the lock), so that the service
    keeps answering. A batch commits only its own people's snapshots and events."""
    with read_transaction(session) as connection:
        people = sorted(_with_dependants(connection, set(person_ids)))
    own: dict[int, rules.Eligibility] = {}
    for batch in _batches(people):
        with read_transaction(session) as connection:
            own.update(_own_cover(connection, batch, on))
    changed, done = 0, 0
    for batch in _batches(people):
        with read_transaction(session) as connection:
            computed = _eligibility(connection, batch, own, on)
        with write_transaction(session) as connection:
            changed += _store(connection, computed, own, on)
        done += len(batch)
        if progress:
            progress(done, len(people))
    return RecomputeResult(len(people), changed)


def recompute_all(connection: Connection, on: date) -> RecomputeResult:
    """Recompute everyone in the registry: the daily job, and after a rule change.

    Time alone changes cover — a pension's rolling month, a son's 19th birthday, a worker's
    continuation running out — so every snapshot is brought to `on`; only differences are written.
    """
    ids = connection.execute(select(Person.id)).scalars().all()
    return recompute(connection, ids, on)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    """Ids in lists of BATCH, small enough for one `IN (…)`."""
    iterator = iter(ids)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def _with_dependants(connection: Connection, people: set[int]) -> set[int]:
    """The people and, transitively once, everyone whose cover is capped by theirs."""
    dependants: set[int] = set()
    for batch in _batches(sorted(people)):
        dependants.update(
            connection.execute(
                select(DependantLink.dependant_id).where(DependantLink.insured_id.in_(batch))
            ).scalars()
        )
    return people | dependants


def _own_cover(connection: Connection, batch: list[int], on: date) -> dict[int, rules.Eligibility]:
    """R1–R4 for the main insured among `batch`."""
    records: dict[int, list[rules.InsuranceRecord]] = defaultdict(list)
    rows = connection.execute(
        select(
            InsuranceRecord.person_id,
            InsuranceRecord.kind,
            InsuranceRecord.start_date,
            InsuranceRecord.end_date,
        ).where(InsuranceRecord.person_id.in_(batch))
    )
    for person_id, kind, start_date, end_date in rows:
        records[person_id].append(rules.InsuranceRecord(kind, start_date, end_date))
    if not records:
        return {}
    summaries = _contribution_summaries(connection, list(records))
    empty = rules.ContributionSummary(0, None)
    return {
        person_id: rules.main_insured(person_records, summaries.get(person_id, empty), on)
        for person_id, person_records in records.items()
    }


def _contribution_summaries(
    connection: Connection, person_ids: list[int]
) -> dict[int, rules.ContributionSummary]:
    """Total days and the last paid Jalali month of each person, summed by the database."""
    month_index = Contribution.jalali_year * 12 + Contribution.jalali_month - 1
    last_paid = func.max(case((Contribution.days > 0, month_index)))
    rows = connection.execute(
        select(Contribution.person_id, func.sum(Contribution.days), last_paid)
        .where(Contribution.person_id.in_(person_ids))
        .group_by(Contribution.person_id)
    )
    return {
        person_id: rules.ContributionSummary(int(total or 0), _month(last))
        for person_id, total, last in rows
    }


def _month(index: int | None) -> tuple[int, int] | None:
    """A month index (year × 12 + month − 1) back as a Jalali (year, month)."""
    if index is None:
        return None
    year, month = divmod(int(index), 12)
    return year, month + 1


def _eligibility(
    connection: Connection, batch: list[int], own: dict[int, rules.Eligibility], on: date
) -> dict[int, rules.Eligibility]:
    """Everyone's eligibility in `batch`, given the main insureds' own cover."""
    persons = {
        row.id: rules.PersonFacts(row.birth_date, row.sex, row.death_date)
        for row in connection.execute(
            select(Person.id, Person.birth_date, Person.sex, Person.death_date).where(
                Person.id.in_(batch)
            )
        )
    }
    documents: dict[int, list[rules.Document]] = defaultdict(list)
    for person_id, kind, valid_from, valid_until in connection.execute(
        select(Document.person_id, Document.kind, Document.valid_from, Document.valid_until).where(
            Document.person_id.in_(batch)
        )
    ):
        documents[person_id].append(rules.Document(kind, valid_from, valid_until))
    links = _links(connection, batch, own, on)
    return {
        person_id: rules.person_eligibility(
            facts, own.get(person_id), links.get(person_id, []), documents.get(person_id, []), on
        )
        for person_id, facts in persons.items()
    }


def _links(
    connection: Connection, batch: list[int], own: dict[int, rules.Eligibility], on: date
) -> dict[int, list[rules.DependantLink]]:
    """The dependant links of `batch`, each with its insured's own cover (new or stored)."""
    rows = connection.execute(
        select(
            DependantLink.dependant_id,
            DependantLink.insured_id,
            DependantLink.relation,
            DependantLink.start_date,
            DependantLink.end_date,
        ).where(DependantLink.dependant_id.in_(batch))
    ).all()
    stored_ids = {row.insured_id for row in rows if row.insured_id not in own}
    stored: dict[int, date | None] = {}
    for ids in _batches(sorted(stored_ids)):
        stored.update(
            connection.execute(
                select(Coverage.person_id, Coverage.own_valid_until).where(
                    Coverage.person_id.in_(ids)
                )
            ).all()
        )
    links: dict[int, list[rules.DependantLink]] = defaultdict(list)
    for row in rows:
        insured = own.get(row.insured_id)
        insured_until = insured.valid_until if insured else stored.get(row.insured_id)
        links[row.dependant_id].append(
            rules.DependantLink(row.relation, row.start_date, row.end_date, insured_until)
        )
    return links


def _store(
    connection: Connection,
    computed: dict[int, rules.Eligibility],
    own: dict[int, rules.Eligibility],
    on: date,
) -> int:
    """Write the snapshots that differ and an outbox event for each change; how many changed."""
    old = {
        row.person_id: row
        for row in connection.execute(
            select(Coverage).where(Coverage.person_id.in_(list(computed)))
        )
    }
    rows, events, now = [], [], clock.now()
    for person_id, result in computed.items():
        own_cover = own.get(person_id)
        row = _snapshot_row(person_id, result, own_cover.valid_until if own_cover else None, on)
        previous = old.get(person_id)
        if previous is not None and _same(previous, row):
            continue
        rows.append(row)
        if previous is not None and _coverage_changed(previous, result):
            events.append(_event(person_id, previous, result, now))
    if rows:
        _upsert_coverage(connection, rows)
    if events:
        connection.execute(OutboxEvent.__table__.insert(), events)
    return len(events)


def _snapshot_row(
    person_id: int, result: rules.Eligibility, own_valid_until: date | None, on: date
) -> dict:
    """The coverage table's values for one result."""
    return {
        "person_id": person_id,
        "covered": result.covered,
        "valid_until": result.valid_until,
        "own_valid_until": own_valid_until,
        "basis": result.basis,
        "reasons": ",".join(result.reasons),
        "notes": ",".join(result.notes),
        "computed_on": on,
    }


_COMPARED = ("covered", "valid_until", "own_valid_until", "basis", "reasons", "notes")


def _same(previous, row: dict) -> bool:
    """True when nothing but the computation date would change."""
    return all(getattr(previous, column) == row[column] for column in _COMPARED)


def _coverage_changed(previous, result: rules.Eligibility) -> bool:
    """A change of `covered` or of `valid_until` against the stored snapshot."""
    return (previous.covered, previous.valid_until) != (result.covered, result.valid_until)


def _event(person_id: int, previous, result: rules.Eligibility, now: datetime) -> dict:
    """An outbox row: kind, person, old and new cover."""
    return {
        "kind": "coverage_changed",
        "person_id": person_id,
        "old": _state(previous.covered, previous.valid_until),
        "new": _state(result.covered, result.valid_until),
        "created_at": now,
        "status": "pending",
    }


def _state(covered: bool, valid_until: date | None) -> dict:
    """Cover as the outbox keeps it (JSON)."""
    return {"covered": covered, "valid_until": valid_until.isoformat() if valid_until else None}


def _upsert_coverage(connection: Connection, rows: list[dict]) -> None:
    """Insert or replace snapshot rows."""
    table = Coverage.__table__
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table)
    columns = [c for c in rows[0] if c != "person_id"]
    statement = statement.on_conflict_do_update(
        index_elements=["person_id"], set_={c: statement.excluded[c] for c in columns}
    )
    connection.execute(statement, rows)
