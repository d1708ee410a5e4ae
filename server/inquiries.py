"""Eligibility inquiries: a keyed read of the coverage snapshot, and the inquiry log with its
tracking code. Every channel (provider, citizen, USSD, …) goes through here."""

import os
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Date,
    DateTime,
    Engine,
    Integer,
    String,
    and_,
    bindparam,
    case,
    create_engine,
    exists,
    false,
    func,
    insert,
    literal,
    null,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from . import clock
from .auth import rate_limits
from .domain import eligibility as rules
from .domain.refusal import Invalid, NotFound
from .domain.tracking import new_tracking_code
from .extensions import db
from .models import Coverage, Inquiry, Person
from .ops import metrics
from .prepared import PreparedConnection, prepared_connection

TRACKING_CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class Answer:
    """A person's eligibility on a day, as an inquiry reports it."""

    person_id: int | None
    eligibility: rules.Eligibility

    @property
    def covered(self) -> bool:
        """True iff the day is on or before `valid_until`."""
        return self.eligibility.covered

    @property
    def label(self) -> str:
        """«حمایت درمانی دارد» or «حمایت درمانی ندارد»."""
        return rules.label(self.eligibility.covered)


def from_snapshot(row, on: date) -> rules.Eligibility:
    """The snapshot read on `on`: still covered only while `on` ≤ `valid_until`."""
    valid_until = row.valid_until
    covered = valid_until is not None and on <= valid_until
    reasons = tuple(filter(None, row.reasons.split(",")))
    if not covered and not reasons:
        reasons = ("cover_ended",)
    notes = tuple(filter(None, row.notes.split(",")))
    return rules.Eligibility(covered, valid_until, row.basis, () if covered else reasons, notes)


_FIND = (
    select(
        Person.id,
        Person.birth_date,
        Coverage.valid_until,
        Coverage.basis,
        Coverage.reasons,
        Coverage.notes,
    )
    .outerjoin(Coverage, Coverage.person_id == Person.id)
    .where(Person.national_code == bindparam("national_code"))
)  # built once: only its parameter changes


def find(national_code: str, on: date) -> Answer:
    """The eligibility of the person with this (normalised) national code on `on` (X2 if none)."""
    return _answer(db.session.execute(_FIND, {"national_code": national_code}).first(), on)


def _answer(row, on: date) -> Answer:
    """The eligibility on `on` of the person `_FIND` read (X2 for no row)."""
    if row is None:
        return Answer(None, rules.x2_not_found())
    if row.reasons is None:  # in the registry, not yet computed: treat as not covered
        return Answer(row.id, rules.Eligibility(False, None, None, ("not_insured",)))
    return Answer(row.id, from_snapshot(row, on))


def find_newborn(
    mother_national_code: str, birth_date: date, on: date, *, from_registry: bool = False
) -> Answer:
    """N1: a newborn's eligibility under the mother's code, capped by the mother's cover.

    A birth date someone typed is refused (Invalid, field `birth_date`) when no newborn of hers
    can have it (`rules.impossible_birth`); a birth the registry holds is answered as it is."""
    row = db.session.execute(_FIND, {"national_code": mother_national_code}).first()
    problem = rules.impossible_birth(birth_date, on, row.birth_date if row else None)
    if problem is not None and not from_registry:
        raise Invalid(problem, field="birth_date")
    mother = _answer(row, on)
    if mother.person_id is None:
        return mother
    mother_valid_until = mother.eligibility.valid_until if mother.covered else None
    return Answer(mother.person_id, rules.n1_newborn(birth_date, mother_valid_until, on))


def find_patient(patient, on: date) -> tuple[Answer, str]:
    """The eligibility on `on` of the patient a request names (`national_code`, or a newborn's
    `mother_national_code` and `birth_date`), and the code asked about; 404 `unknown_patient`
    when that code is not in the registry."""
    if patient.national_code is not None:
        national_code = patient.national_code
        answer = find(national_code, on)
    else:
        national_code = patient.mother_national_code
        answer = find_newborn(national_code, patient.birth_date, on)
    if answer.person_id is None:
        raise NotFound("unknown_patient", national_code=national_code)
    return answer, national_code


def log(
    answer: Answer,
    *,
    channel: str,
    national_code: str,
    provider_id: int | None = None,
    newborn_birth_date: date | None = None,
    member_id: int | None = None,
) -> str:
    """Write the inquiry (the request's unit of work commits it); returns its new, unique
    tracking code. Each try is a savepoint, so a drawn code that is taken undoes nothing else."""
    for _ in range(TRACKING_CODE_ATTEMPTS):
        values = _newly_drawn(channel, provider_id, national_code)
        values |= {
            "member_id": member_id,
            "person_id": answer.person_id,
            "newborn_birth_date": newborn_birth_date,
            "covered": answer.covered,
            "valid_until": answer.eligibility.valid_until,
        }
        try:
            with db.session.begin_nested():
                db.session.execute(insert(Inquiry), [values])
        except IntegrityError:  # the same tracking code twice in 10¹¹: draw again
            continue
        metrics.count_inquiry(channel, answer.covered, answer.person_id is not None)
        return values["tracking_code"]
    raise RuntimeError("could not draw a unique tracking code")


def _newly_drawn(channel: str, provider_id: int | None, national_code: str) -> dict:
    """What every logged inquiry holds, under a newly drawn tracking code (maybe taken)."""
    return {
        "tracking_code": new_tracking_code(),
        "channel": channel,
        "provider_id": provider_id,
        "national_code": national_code,
        "asked_at": clock.now(),
    }


def _ask_statement(dialect_insert, gate=None):
    """INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING covered: the snapshot read and the
    log written in one statement; no row comes back when the tracking code was taken (or when
    `gate`, a condition, is false)."""
    snapshot = Coverage.reasons.is_not(None)  # a person not yet computed is not covered
    on = bindparam("on", type_=Date)
    one = select(literal(1).label("one")).subquery()
    source = (
        select(
            bindparam("tracking_code", type_=String),
            bindparam("channel", type_=String),
            bindparam("provider_id", type_=Integer),
            Person.id,
            bindparam("national_code", type_=String),
            case((and_(snapshot, Coverage.valid_until >= on), true()), else_=false()),
            case((snapshot, Coverage.valid_until), else_=null()),
            bindparam("asked_at", type_=DateTime(timezone=True)),
        )
        .select_from(
            one.outerjoin(Person, Person.national_code == bindparam("national_code")).outerjoin(
                Coverage, Coverage.person_id == Person.id
            )
        )
        .where(true() if gate is None else gate)  # SQLite needs a WHERE before ON CONFLICT
    )
    columns = (
        "tracking_code",
        "channel",
        "provider_id",
        "person_id",
        "national_code",
        "covered",
        "valid_until",
        "asked_at",
    )
    table = Inquiry.__table__
    statement = dialect_insert(table).from_select(columns, source)
    return statement.on_conflict_do_nothing(index_elements=["tracking_code"]).returning(
        table.c.covered, table.c.person_id
    )


_ASK = {"sqlite": _ask_statement(sqlite_insert), "postgresql": _ask_statement(postgresql_insert)}


def _counted_ask_statement():
    """PostgreSQL: the token's count and the inquiry in one statement (one round trip): the
    bucket's upsert in a data-modifying CTE, the inquiry's insert only if it counted. Returns
    one row: `counted` (0 when the bucket was full: nothing written), and the logged
    inquiry's `covered` and `person_id` (null when its tracking code was taken)."""
    bucket = rate_limits.take_statement(postgresql_insert).cte("bucket")
    logged = _ask_statement(postgresql_insert, gate=exists(select(bucket.c.level))).cte("logged")
    one = select(literal(1).label("one")).subquery()
    counted = select(func.count()).select_from(bucket).scalar_subquery()
    return select(counted.label("counted"), logged.c.covered, logged.c.person_id).select_from(
        one.outerjoin(logged, true())
    )


_COUNTED_ASK = _counted_ask_statement()


def ask(
    national_code: str,
    on: date,
    *,
    channel: str,
    provider_id: int | None,
    count: rate_limits.Limit | None = None,
    connection: PreparedConnection | None = None,
) -> tuple[bool, str]:
    """The hot path of a general inquiry: whether the person is covered on `on`, and the new
    tracking code of the logged inquiry — one statement in one short transaction, no ORM, on
    a prepared connection (`server/prepared.py`): `connection` (the request's hot-path one,
    which already read the token) or one of its own.

    `count` is a limit to count the inquiry against (a provider's token): a full bucket is a
    `TooMany` refusal and nothing is written. On SQLite the count is a statement of its own in
    the inquiry's transaction (one commit); on PostgreSQL count and inquiry are one statement
    (`_COUNTED_ASK`: one round trip). A tracking code drawn twice is drawn again, not counted
    again.

    On PostgreSQL the statements run in autocommit on a pool whose sessions do not wait for
    the WAL to reach the disk (`synchronous_commit=off`, set once per connection): an inquiry
    log may lose its last fraction of a second in a database crash (never corrupt), which buys
    most of the throughput. Everything else keeps full durability.
    """
    if connection is None:  # a connection of its own for this one inquiry
        with prepared_connection(log_engine()) as own:
            return ask(
                national_code, on, channel=channel, provider_id=provider_id, count=count,
                connection=own,
            )  # fmt: skip
    dialect = connection.dialect.name
    statement, counting = _ASK[dialect], {}
    if count is not None and dialect == "postgresql":
        statement, counting = _COUNTED_ASK, rate_limits.bucket_values(count, clock.now())
    elif count is not None and (seconds := rate_limits.take(connection, count)) is not None:
        raise rate_limits.token_full(seconds)
    for _ in range(TRACKING_CODE_ATTEMPTS):
        params = _newly_drawn(channel, provider_id, national_code) | {"on": on}
        logged = connection.execute(statement, params | counting).first()
        if counting:  # counted now: a second draw is the plain statement
            if not logged.counted:
                raise rate_limits.token_full(rate_limits.wait(connection, count))
            statement, counting = _ASK[dialect], {}
            logged = logged if logged.covered is not None else None
        if logged is not None:
            connection.commit()
            metrics.count_inquiry(channel, bool(logged.covered), logged.person_id is not None)
            return bool(logged.covered), params["tracking_code"]
    raise RuntimeError("could not draw a unique tracking code")


_log_engines: dict[tuple[str, int], Engine] = {}


def log_engine() -> Engine:
    """The engine of the inquiry hot path: the app's on SQLite (one write lock for all); on
    PostgreSQL a pool of its own in autocommit with asynchronous commit, one per process."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return engine
    key = (engine.url.render_as_string(hide_password=False), os.getpid())
    if key not in _log_engines:
        _log_engines[key] = create_engine(
            engine.url,
            isolation_level="AUTOCOMMIT",
            pool_recycle=1800,
            connect_args={"options": "-c synchronous_commit=off"},
        )
    return _log_engines[key]


def by_tracking_code(tracking_code: str) -> Inquiry | None:
    """The logged inquiry with this tracking code."""
    return db.session.execute(
        select(Inquiry).where(Inquiry.tracking_code == tracking_code)
    ).scalar_one_or_none()
