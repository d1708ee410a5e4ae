"""The record's provider API: doctors (and hospitals) write prescriptions and read a patient's
last 12 months; pharmacies, labs, imaging and physiotherapy centres and hospitals deliver them in
parts."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, g
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..auth import lookup_misses
from ..auth.providers import provider_required
from ..catalogue.checks import acknowledgements_of
from ..clinical import allergies
from ..database import roll_back
from ..domain.refusal import Forbidden
from ..extensions import db
from ..web.toolkit import national_code_argument
from . import access, cancelling, idempotency, reading, rules, writing
from .requests import idempotency_key_argument, prescription_code_argument, records_operation
from .schemas import (
    CancelAnswer,
    CancelRequest,
    DispenseAnswer,
    DispenseRequest,
    PatientRecords,
    PrescriptionRequest,
    PrescriptionWritten,
    ProviderRecordDetail,
)

bp = Blueprint("records_provider", __name__, url_prefix="/api/provider")

HISTORY = timedelta(days=365)  # what a doctor sees of a patient: the last 12 months


def kinds_required(*kinds: str, action: str) -> Callable:
    """Admit only providers of these kinds (checked before the body is read); 403 otherwise,
    whose message names who may do the `action` (`write`, `deliver`, `read`, `keep_favourites`)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.provider.kind not in kinds:
                raise Forbidden("wrong_provider_kind", words={"action": action})
            return view(*args, **kwargs)

        return wrapper

    return decorate


def provider_operation(
    summary: str,
    *,
    kinds: tuple[str, ...] = (),
    action: str = "",
    declare: Callable[..., Callable] = records_operation,
    **openapi: Any,
) -> Callable:
    """A view of the provider API: a provider's bearer token first (401), then, with `kinds`, only
    providers of those kinds (403, naming who may do the `action`), then `declare`'s schemas and
    body."""

    def decorate(view: Callable) -> Callable:
        declared = declare(summary, security="bearer", **openapi)(view)
        if kinds:
            declared = kinds_required(*kinds, action=action)(declared)
        return provider_required(declared)

    return decorate


def _valid() -> dict:
    """The setting a prescription's life is written with."""
    return {"valid_days": current_app.config["DARMAN_PRESCRIPTION_VALID_DAYS"]}


def _written_once(write: Callable[[], Any], key: str | None, fingerprint: str) -> Any:
    """Run a write; when a concurrent retry with the same key won the race, give its answer."""
    replayed = idempotency.replay(g.provider.id, key, fingerprint)
    if replayed is not None:
        return replayed
    try:
        answer = write()
        db.session.flush()  # a concurrent retry's key shows here, not at the request's commit
        return answer
    except IntegrityError:
        roll_back(db.session())  # undo the failed write: the request answers with the winner's
        replayed = idempotency.replay(g.provider.id, key, fingerprint)
        if replayed is None:
            raise
        return replayed


@bp.post("/prescriptions")
@provider_operation(
    "Write a prescription or paraclinic order (doctors and hospitals; a finding that names a "
    "current medicine is a logged read the patient is told of; send an Idempotency-Key to retry "
    "safely)",
    kinds=rules.WRITER_KINDS,
    action="write",
    request_schema=PrescriptionRequest,
    response=PrescriptionWritten,
    errors=(400, 401, 403, 404, 409),
)
def write_prescription(body: PrescriptionRequest):
    """201 with the prescription's own code; written even when the patient is not covered.

    The write asks the patient's eligibility itself (its inquiry is logged: a visit). Its check
    against the patient's current medicines names them, so a finding that does is a read of the
    record — logged, shown to the patient and told, even when the write is refused
    (`writing.write_prescription`)."""
    key = idempotency_key_argument()
    fingerprint = idempotency.fingerprint("prescription", body)
    return _written_once(
        lambda: (writing.write_prescription(g.provider, body, key, fingerprint, **_valid()), 201),
        key,
        fingerprint,
    )


@bp.post("/prescriptions/<code>/dispense")
@provider_operation(
    "Record what this centre delivered of a prescription (by the prescription's code)",
    kinds=rules.CENTRE_KINDS,
    action="deliver",
    request_schema=DispenseRequest,
    response=DispenseAnswer,
    errors=(400, 401, 403, 404, 409, 429),
)
def dispense(code: str, body: DispenseRequest):
    """Deliver part or all of some items; 409 `over_dispensed` or `expired`, all or nothing."""
    code = prescription_code_argument(code)
    key = idempotency_key_argument()
    fingerprint = idempotency.fingerprint(f"dispense {code}", body)
    with lookup_misses.counted(g.provider, "prescription"):  # codes cannot be swept
        return _written_once(
            lambda: writing.dispense(g.provider, code, body, key, fingerprint), key, fingerprint
        )


@bp.post("/prescriptions/<code>/cancel")
@provider_operation(
    "Cancel a prescription this doctor or centre wrote, before anything of it is delivered; "
    "with `items`, what remains of those items (the patient is told)",
    request_schema=CancelRequest,
    response=CancelAnswer,
    errors=(400, 401, 404, 409, 429),
)
def cancel(code: str, body: CancelRequest):
    """200 with the record's status after it; 409 `dispensed` once something is delivered (then
    by `items`), 409 `cancelled` when it already is; another's prescription is 404."""
    code = prescription_code_argument(code)
    with lookup_misses.counted(g.provider, "prescription"):  # codes cannot be swept
        return cancelling.cancel(g.provider, code, body)


@bp.get("/prescriptions/<code>")
@provider_operation(
    "One prescription by its code, for the centre about to deliver it (logged, and the patient "
    "is told)",
    response=ProviderRecordDetail,
    errors=(400, 401, 403, 404, 429),
)
def prescription(code: str):
    """The items and what remains of them, and the interactions and allergies its doctor wrote
    through with the reasons; for centres that may deliver it and its doctor."""
    with lookup_misses.counted(g.provider, "prescription"):  # codes cannot be swept
        row = access.record_for_provider(prescription_code_argument(code), g.provider)
    prescription = row.Prescription
    described = reading.detail(row, clock.today())
    described["acknowledged_interactions"] = acknowledgements_of(prescription.id)
    described["acknowledged_allergies"] = allergies.acknowledgements_of(prescription.id)
    access.log_provider_read(prescription.person_id, g.provider, prescription.id)
    return described


@bp.get("/patients/<national_code>/records")
@provider_operation(
    "A patient's records of the last 12 months (doctors' offices, clinics and hospitals — those "
    "who write — within a day of an eligibility inquiry about the patient; logged, and the "
    "patient is told)",
    kinds=rules.WRITER_KINDS,
    action="read",
    response=PatientRecords,
    errors=(400, 401, 403),
)
def patient_records(national_code: str):
    """Every record written in the last 12 months, with items and deliveries."""
    national_code = national_code_argument(national_code)
    hours = current_app.config["DARMAN_RECORDS_VISIT_HOURS"]
    person_id = access.patient_for_provider(national_code, g.provider, hours)
    today = clock.today()
    since = today - HISTORY
    records = reading.patient_history(person_id, since, today)
    access.log_provider_read(person_id, g.provider)
    return {"national_code": national_code, "since": since.isoformat(), "records": records}
