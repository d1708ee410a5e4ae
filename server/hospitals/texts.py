"""What an admission's answer says: the eligibility label, the other insurers, the next step."""

from flask_babel import lazy_gettext as _l

from ..domain.eligibility import label
from ..models import Admission

# Seed 000 item 3: inpatient eligibility still follows the base insurers' overlap rules.
OVERLAP_NEXT_STEP = _l(
    "The patient also has another base insurer on this day. Under the base insurers' overlap "
    "rules, ask which insurer covers this stay and claim it from that one only; SSO's staff "
    "will review the overlap."
)


def answered(admission: Admission) -> dict:
    """The admission as the API answers it (and the web shows it)."""
    insurers = [name for name in admission.overlap.split(",") if name]
    return {
        "id": admission.id,
        "covered": admission.covered,
        "label": label(admission.covered),
        "tracking_code": admission.tracking_code,
        "admitted_on": admission.admitted_on.isoformat(),
        "ward": admission.ward,
        "discharged_on": admission.discharged_on and admission.discharged_on.isoformat(),
        "overlap": [{"insurer": name} for name in insurers],
        "next_step": str(OVERLAP_NEXT_STEP) if insurers else None,
    }
