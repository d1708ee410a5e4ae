"""Items a hospital lacks, to be got outside (seed 002): only a hospital marks one, with its
reason; any contracted centre of the item's kind serves it with cover (the shares of
`server/domain/shares.py`, as for any outpatient item), and the hospital that wrote it does not
serve it; the patient's record and SMS say where it can be got."""

from collections.abc import Iterable

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..domain.refusal import Conflict, Invalid
from ..extensions import db
from ..models import Prescription, PrescriptionItem

# Where an item of each kind is got outside the hospital.
WHERE = {
    "drug": _l("at any pharmacy contracted with SSO"),
    "lab": _l("at any laboratory contracted with SSO"),
    "imaging": _l("at any imaging centre contracted with SSO"),
    "physio": _l("at any physiotherapy centre contracted with SSO"),
}


def check_written(centre_kind: str, items: Iterable) -> None:
    """Only a hospital marks an item to be got outside (400 naming the first such item)."""
    if centre_kind == "hospital":
        return
    for index, item in enumerate(items):
        if item.obtain_outside:
            raise Invalid("outside_only_in_hospitals", field=f"items.{index}.obtain_outside")


def check_served(provider_id: int, prescription: Prescription, items: Iterable) -> None:
    """The hospital that wrote an item to be got outside does not serve it (409 naming it)."""
    if provider_id != prescription.provider_id:
        return
    for item in items:
        if item.obtain_outside:
            raise Conflict("obtained_outside", item=item.code, words={"name": item.name})


def where(kind: str) -> str:
    """Where an item of this kind is got outside, in words."""
    return str(WHERE.get(kind, WHERE["drug"]))


def described(item: PrescriptionItem, kind: str) -> dict:
    """What a record says of an item about getting it outside (nothing for another item)."""
    if not item.obtain_outside:
        return {}
    return {
        "obtain_outside": True,
        "outside_reason": item.outside_reason,
        "obtain_at": gettext(
            "To be got outside the hospital (%(reason)s): %(where)s.",
            reason=item.outside_reason,
            where=where(kind),
        ),
    }


def sms_lines(prescription_id: int) -> str:
    """The new prescription's SMS, more: where each item to be got outside can be got."""
    rows = db.session.execute(
        select(PrescriptionItem.name, Prescription.type)
        .join(Prescription, Prescription.id == PrescriptionItem.prescription_id)
        .where(PrescriptionItem.prescription_id == prescription_id, PrescriptionItem.obtain_outside)
        .order_by(PrescriptionItem.position)
    )
    return "".join(
        " " + gettext("Get %(name)s %(where)s.", name=row.name, where=where(row.type))
        for row in rows
    )
