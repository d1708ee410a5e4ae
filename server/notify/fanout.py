"""Outbox rows → notices: each row's inbox notices for the right accounts, one pending push
per subscribed device, and the SMS that may follow (sms_fallback), written in the transaction
that marks the row done.

Rows are claimed with `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite takes its write lock at
BEGIN), so several workers share the outbox and a crash rolls a batch back whole. The worker's
batch job owns these transactions and commits each batch itself.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Connection, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock
from ..auth.sessions import device_key
from ..extensions import db
from ..models import (
    Account,
    DependantLink,
    DeviceSession,
    InsuranceRecord,
    Notification,
    NotificationOptOut,
    OutboxEvent,
    Person,
    Prescription,
    Provider,
    PushDelivery,
    PushSubscription,
    RecordAccess,
)
from .changes import Change, read_event
from .kinds import DEPENDANT_KIND, OUTBOX_KINDS
from .sms_fallback import SMS_KINDS, queue
from .texts import render, sms_text


@dataclass
class Audience:
    """Who is told about the batch's people: accounts, main insureds, names, opt-outs."""

    accounts: dict[int, tuple[int, str]] = field(default_factory=dict)  # person → (id, locale)
    insured_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    husbands_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    names: dict[int, str] = field(default_factory=dict)
    main_insured: set[int] = field(default_factory=set)
    muted: set[tuple[int, str]] = field(default_factory=set)  # (account, kind) turned off
    codes: dict[int, str] = field(default_factory=dict)  # prescription id → its code (for SMS)
    known_readers: set[str] = field(default_factory=set)  # keys of reads by an earlier reader


def fan_out_batch(limit: int) -> int:
    """Turn up to `limit` pending outbox rows into notices and pushes; how many rows were done."""
    events = (
        db.session.execute(
            select(OutboxEvent)
            .where(OutboxEvent.status == "pending", OutboxEvent.kind.in_(OUTBOX_KINDS))
            .order_by(OutboxEvent.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    if not events:
        db.session.commit()  # the batch job's own: end the claim (and the lock) before the pushes
        return 0
    changes, unreadable = _read(events)
    now = clock.now()
    connection = db.session.connection()
    audience = _audience(connection, changes)
    notices = [notice for change in changes for notice in _notices(change, audience, now)]
    skipped = {
        f"sign_in:{change.key}": change.facts["device_key"]
        for change in changes
        if change.kind == "sign_in"
    }
    texts = {}  # (account, dedup key) → the SMS text, for the kinds that may go by SMS
    for notice in notices:
        sms = notice.pop("sms")
        if sms:
            texts[(notice["account_id"], notice["dedup_key"])] = sms
    written = _insert_notifications(connection, notices)
    subscribed = _add_deliveries(connection, written, now, skipped)
    queue(connection, written, texts, subscribed, now)
    done = [event.id for event in events if event.id not in unreadable]
    connection.execute(update(OutboxEvent).where(OutboxEvent.id.in_(done)).values(status="done"))
    if unreadable:  # kept for a person to look at; never retried, never blocking the rest
        connection.execute(
            update(OutboxEvent).where(OutboxEvent.id.in_(unreadable)).values(status="failed")
        )
    db.session.commit()  # the batch job's own: the rows done with their notices, as one
    return len(events)


def _read(events: list[OutboxEvent]) -> tuple[list[Change], set[int]]:
    """The changes the rows tell, and the ids of rows whose contents cannot be read."""
    today = clock.today()
    changes, unreadable = [], set()
    for event in events:
        try:
            change = read_event(event.id, event.kind, event.person_id, event.old, event.new, today)
        except (AttributeError, KeyError, TypeError, ValueError):
            current_app.logger.warning("outbox row %s cannot be read: %r", event.id, event.new)
            unreadable.add(event.id)
            continue
        if change is not None:
            changes.append(change)
    return changes, unreadable


def _audience(connection: Connection, changes: list[Change]) -> Audience:
    """Everything the batch's notices need, in a few queries."""
    audience = Audience()
    people = {change.person_id for change in changes}
    if not people:
        return audience
    for insured, dependant, relation in connection.execute(
        select(DependantLink.insured_id, DependantLink.dependant_id, DependantLink.relation).where(
            DependantLink.dependant_id.in_(people)
        )
    ):
        audience.insured_of[dependant].add(insured)
        if relation == "spouse":
            audience.husbands_of[dependant].add(insured)
    everyone = people | {i for ids in audience.insured_of.values() for i in ids}
    for account_id, person_id, locale in connection.execute(
        select(Account.id, Account.person_id, Account.locale).where(Account.person_id.in_(everyone))
    ):
        audience.accounts[person_id] = (account_id, locale if locale in ("fa", "en") else "fa")
    for person_id, first, last in connection.execute(
        select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(people))
    ):
        audience.names[person_id] = f"{first} {last}"
    account_ids = [account for account, _ in audience.accounts.values()]
    audience.muted = set(
        connection.execute(
            select(NotificationOptOut.account_id, NotificationOptOut.kind).where(
                NotificationOptOut.account_id.in_(account_ids)
            )
        ).all()
    )
    _prescription_codes(connection, changes, audience)
    _known_readers(connection, changes, audience)
    mothers = {c.person_id for c in changes if c.kind == "newborn_ending"}
    if mothers:
        audience.main_insured = set(
            connection.execute(
                select(InsuranceRecord.person_id).where(InsuranceRecord.person_id.in_(mothers))
            ).scalars()
        )
    return audience


def _prescription_codes(connection: Connection, changes: list[Change], audience: Audience) -> None:
    """The codes of the prescriptions the batch tells of: the one thing their SMS may say."""
    records = {c.facts["record"] for c in changes if c.kind == "prescription_written"}
    records.discard(None)
    if records:
        audience.codes = dict(
            connection.execute(
                select(Prescription.id, Prescription.code).where(Prescription.id.in_(records))
            ).all()
        )


def _known_readers(connection: Connection, changes: list[Change], audience: Audience) -> None:
    """The provider reads whose centre had read the person's record before: told in the app,
    but no SMS (an SMS tells of someone new; SSO staff are told once a day each already)."""
    for change in changes:
        facts = change.facts
        if change.kind != "record_read" or facts.get("staff") or not facts.get("at"):
            continue
        earlier = connection.execute(
            select(RecordAccess.id)
            .join(Provider, Provider.id == RecordAccess.provider_id)
            .where(
                RecordAccess.person_id == change.person_id,
                Provider.name == facts.get("provider", ""),
                RecordAccess.at < clock.as_utc(facts["at"]),
            )
            .limit(1)
        ).first()
        if earlier is not None:
            audience.known_readers.add(change.key)


def _recipients(change: Change, audience: Audience) -> list[tuple[int, str]]:
    """(person, kind) of everyone told: the person, and main insureds for a dependant."""
    if change.kind == "document_reminder":  # the main insured brings the dependant's document
        return [(i, change.kind) for i in sorted(audience.insured_of[change.person_id])]
    told = [(change.person_id, change.kind)]
    if change.kind in DEPENDANT_KIND:
        dependant_kind = DEPENDANT_KIND[change.kind]
        told += [(i, dependant_kind) for i in sorted(audience.insured_of[change.person_id])]
    elif change.kind == "newborn_ending":
        told += [(i, change.kind) for i in sorted(audience.husbands_of[change.person_id])]
    return told


def _notices(change: Change, audience: Audience, now) -> list[dict]:
    """The inbox rows of one change, for every recipient with an account who wants it."""
    rows = []
    for person_id, kind in _recipients(change, audience):
        if person_id not in audience.accounts:
            continue  # never registered: no inbox, nothing to push to
        account_id, locale = audience.accounts[person_id]
        if (account_id, kind) in audience.muted:
            continue
        about_dependant = kind.startswith("dependant_") or kind == "document_reminder"
        name = audience.names.get(change.person_id, "") if about_dependant else ""
        told = change
        if kind == "newborn_ending" and person_id == change.person_id:
            facts = {**change.facts, "family_screen": person_id in audience.main_insured}
            told = Change(change.kind, change.person_id, facts, change.key)
        text = render(kind, told, locale, name)
        code = audience.codes.get(change.facts.get("record") or 0, "")
        by_sms = kind in SMS_KINDS and change.key not in audience.known_readers
        sms = sms_text(kind, told, locale, name, code) if by_sms else None
        rows.append(
            {
                "account_id": account_id,
                "kind": kind,
                "title": _clip(text.title, 200),
                "body": _clip(text.body, 1000),
                "url": text.url,
                "dedup_key": f"{kind}:{change.key}"[:100],
                "created_at": now,
                "read_at": None,
                "sms": sms,
            }
        )
    return rows


def _clip(text: str, limit: int) -> str:
    """The text, shortened with an ellipsis to fit its column."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _insert_notifications(connection: Connection, rows: list[dict]) -> list[tuple[int, int, str]]:
    """Insert the notices not yet in the inbox; (id, account, dedup key) of those written now."""
    if not rows:
        return []
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(Notification)
        .on_conflict_do_nothing(index_elements=["account_id", "dedup_key"])
        .returning(Notification.id, Notification.account_id, Notification.dedup_key)
    )
    return [tuple(row) for row in connection.execute(statement, rows)]


def _add_deliveries(
    connection: Connection,
    written: list[tuple[int, int, str]],
    now,
    skipped: dict[str, str],
) -> set[int]:
    """One pending push per notice and subscribed device of its account (signed-in devices),
    but none to the device a sign-in notice is about; the accounts that have such a device."""
    if not written:
        return set()
    accounts = {account for _, account, _ in written}
    devices = defaultdict(list)
    for subscription_id, account_id, device_id in connection.execute(
        select(PushSubscription.id, PushSubscription.account_id, PushSubscription.device_session_id)
        .outerjoin(DeviceSession, DeviceSession.id == PushSubscription.device_session_id)
        .where(
            PushSubscription.account_id.in_(accounts),
            or_(PushSubscription.device_session_id.is_(None), DeviceSession.ended_at.is_(None)),
        )
    ):
        devices[account_id].append((subscription_id, device_key(device_id or "")))
    rows = [
        {
            "notification_id": notification_id,
            "subscription_id": subscription_id,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for notification_id, account_id, dedup_key in written
        for subscription_id, key in devices[account_id]
        if skipped.get(dedup_key) != key
    ]
    if rows:
        connection.execute(PushDelivery.__table__.insert(), rows)
    return {account for account, subscribed in devices.items() if subscribed}
