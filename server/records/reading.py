"""Loading records and describing them: a page of one person's records, one record, and a
patient's last months — each in a fixed number of queries, however many records or items."""

from collections import defaultdict
from datetime import date

from sqlalchemy import Row, and_, or_, select

from .. import clock
from ..clinical import diagnoses
from ..domain.jalali import jalali_text
from ..extensions import db
from ..hospitals import outside
from ..models import ClaimLine, Dispensing, Prescription, PrescriptionItem, Provider
from . import cancelled, repeats, rules, texts
from .requests import encode_cursor


def _with_provider():
    """Prescriptions with the name and kind of the doctor who wrote them."""
    return select(Prescription, Provider.name, Provider.kind).join(
        Provider, Provider.id == Prescription.provider_id
    )


def records_page(
    person_id: int,
    types: tuple[str, ...],
    after: tuple[date, int] | None,
    limit: int,
    today: date,
) -> dict:
    """One page of a person's records, newest first, optionally of some types only; `after`
    the (written_on, id) of the previous page's last record."""
    statement = (
        _with_provider()
        .where(Prescription.person_id == person_id)
        .order_by(Prescription.written_on.desc(), Prescription.id.desc())
        .limit(limit + 1)
    )
    if types:
        statement = statement.where(Prescription.type.in_(types))
    if after is not None:
        written_on, last_id = after
        statement = statement.where(
            or_(
                Prescription.written_on < written_on,
                and_(Prescription.written_on == written_on, Prescription.id < last_id),
            )
        )
    rows = db.session.execute(statement).all()
    page = rows[:limit]
    items = items_of([row.Prescription.id for row in page])
    records = diagnoses.attach([describe(row, items[row.Prescription.id], today) for row in page])
    next_cursor = None
    if len(rows) > limit:
        last = page[-1].Prescription
        next_cursor = encode_cursor(last.written_on.isoformat(), last.id)
    return {"records": records, "next_cursor": next_cursor}


def record(prescription_id: int) -> Row | None:
    """One prescription with its doctor's name and kind, or None."""
    return db.session.execute(_with_provider().where(Prescription.id == prescription_id)).first()


def record_by_code(code: str) -> Row | None:
    """One prescription, found by its own code, with its doctor's name and kind, or None."""
    return db.session.execute(_with_provider().where(Prescription.code == code)).first()


def detail(row: Row, today: date, money: bool = False) -> dict:
    """One record with each item's deliveries and the inquiry made when it was written; with
    `money` (the insured's own view), what each delivery cost them and what SSO paid."""
    prescription = row.Prescription
    items = items_of([prescription.id])[prescription.id]
    deliveries = deliveries_of([item.id for item in items], money)
    described = describe(row, items, today, deliveries)
    described.update(tracking_code=prescription.tracking_code, covered=prescription.covered)
    return diagnoses.attach([described])[0]


def patient_history(person_id: int, since: date, today: date) -> list[dict]:
    """A patient's records written since `since`, newest first, each in detail."""
    rows = db.session.execute(
        _with_provider()
        .where(Prescription.person_id == person_id, Prescription.written_on >= since)
        .order_by(Prescription.written_on.desc(), Prescription.id.desc())
    ).all()
    items = items_of([row.Prescription.id for row in rows])
    deliveries = deliveries_of([item.id for listed in items.values() for item in listed])
    described = []
    for row in rows:
        record_ = describe(row, items[row.Prescription.id], today, deliveries)
        record_.update(
            tracking_code=row.Prescription.tracking_code, covered=row.Prescription.covered
        )
        described.append(record_)
    return diagnoses.attach(described)


def items_of(prescription_ids: list[int]) -> dict[int, list[PrescriptionItem]]:
    """The items of these prescriptions, in the order written, in one query."""
    found: dict[int, list[PrescriptionItem]] = defaultdict(list)
    if not prescription_ids:
        return found
    for item in db.session.scalars(
        select(PrescriptionItem)
        .where(PrescriptionItem.prescription_id.in_(prescription_ids))
        .order_by(PrescriptionItem.prescription_id, PrescriptionItem.position)
    ):
        found[item.prescription_id].append(item)
    return found


def deliveries_of(item_ids: list[int], money: bool = False) -> dict[int, list]:
    """The deliveries of these items with each centre's name and kind, oldest first; with
    `money`, each delivery's shares from its claim line (none for one made before claims)."""
    found: dict[int, list] = defaultdict(list)
    if not item_ids:
        return found
    columns = [Dispensing, Provider.name, Provider.kind]
    if money:
        # what SSO paid: its share less what its review of the month deducted (as the year's sum)
        columns += [
            ClaimLine.patient_share,
            (ClaimLine.sso_share - ClaimLine.deducted).label("sso_share"),
        ]
    query = select(*columns).join(Provider, Provider.id == Dispensing.provider_id)
    if money:
        query = query.outerjoin(ClaimLine, ClaimLine.dispensing_id == Dispensing.id)
    rows = db.session.execute(
        query.where(Dispensing.item_id.in_(item_ids)).order_by(Dispensing.at, Dispensing.id)
    )
    for row in rows:
        found[row.Dispensing.item_id].append(row)
    return found


def describe(
    row: Row, items: list[PrescriptionItem], today: date, deliveries: dict | None = None
) -> dict:
    """A record as the API gives it; with `deliveries`, each item lists its deliveries."""
    prescription = row.Prescription
    expired = rules.is_expired(prescription.expires_on, today)
    status = cancelled.status_of(prescription, items, expired)
    receive_until = prescription.expires_on if status in ("open", "partial") else None
    newborn = prescription.newborn_birth_date
    described = {
        "id": prescription.id,
        "code": prescription.code,
        "type": prescription.type,
        "type_label": texts.label(texts.TYPE_LABELS, prescription.type),
        "written_on": prescription.written_on.isoformat(),
        "written_on_jalali": jalali_text(prescription.written_on),
        "expires_on": prescription.expires_on.isoformat(),
        "expires_on_jalali": jalali_text(prescription.expires_on),
        "diagnosis": prescription.diagnosis,
        "provider": _provider(row.name, row.kind),
        "newborn_birth_date": newborn.isoformat() if newborn else None,
        "newborn_birth_date_jalali": jalali_text(newborn) if newborn else None,
        "status": status,
        "status_label": texts.label(texts.STATUS_LABELS, status),
        **repeats.describe(prescription, status, today),
        "receive_until": receive_until.isoformat() if receive_until else None,
        "receive_until_jalali": jalali_text(receive_until) if receive_until else None,
        "items": [_item(prescription, item, expired, deliveries) for item in items],
    }
    repeats.item_sentences(described, prescription)
    return cancelled.mark(described, prescription, items, row.name)


def in_centre_words(records: list[dict]) -> list[dict]:
    """The records with each item's sentence as a centre reads it (`texts.centre_item_sentence`),
    not the patient's «… از هر داروخانه‌ای بگیرید»."""
    for record in records:
        last_day = date.fromisoformat(record["expires_on"])
        for item in record["items"]:
            item["status_text"] = texts.centre_item_sentence(
                record["type"], item["status"], item["quantity"], item["dispensed"], last_day
            )
    return records


def _provider(name: str, kind: str) -> dict:
    """A doctor or centre: name, kind and the kind in words."""
    return {"name": name, "kind": kind, "kind_label": texts.label(texts.PROVIDER_KIND_LABELS, kind)}


def _item(
    prescription: Prescription, item: PrescriptionItem, expired: bool, deliveries: dict | None
) -> dict:
    """One item: prescribed, delivered, left, and its sentence."""
    status = rules.item_status(item.quantity, item.dispensed, expired)
    described = {
        "code": item.code,
        "name": item.name,
        "instructions": item.instructions,
        "quantity": item.quantity,
        "dispensed": item.dispensed,
        "remaining": max(item.quantity - item.dispensed, 0),
        "status": status,
        "status_text": texts.item_sentence(
            prescription.type, status, item.quantity, item.dispensed, prescription.expires_on
        ),
    }
    described |= outside.described(item, prescription.type)
    if deliveries is not None:
        described["dispensing"] = [_delivery(row) for row in deliveries.get(item.id, [])]
    return described


def _delivery(row: Row) -> dict:
    """One delivery: which centre, when, how many (and, in the insured's view, who paid what)."""
    described = {
        "center": row.name,
        "center_kind": row.kind,
        "center_kind_label": texts.label(texts.PROVIDER_KIND_LABELS, row.kind),
        "at": clock.as_tehran(row.Dispensing.at).isoformat(),
        "at_jalali": texts.moment(row.Dispensing.at),
        "quantity": row.Dispensing.quantity,
    }
    if "sso_share" in row._fields:
        described |= {"patient_share": row.patient_share, "sso_share": row.sso_share}
    return described
