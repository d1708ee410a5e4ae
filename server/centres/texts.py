"""What the web for centres says: role and permission names, grouped tracking codes,
registration numbers, times."""

from datetime import datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .. import clock
from ..domain.digits import to_persian_digits

ROLE_LABELS = {
    "doctor": _l("Doctor"),
    "pharmacist": _l("Pharmacist"),
    "technician": _l("Technician"),
    "reception": _l("Reception"),
    "admin": _l("Administrator"),
}
SCOPE_LABELS = {
    "eligibility": _l("Eligibility inquiries"),
    "prescribe": _l("Writing prescriptions"),
    "dispense": _l("Dispensing"),
    "records": _l("Reading a visiting patient's record"),
}


def locale_digits(text: str) -> str:
    """Persian digits in the `fa` locale."""
    return to_persian_digits(text) if str(get_locale()) == "fa" else text


def grouped(tracking_code: str) -> str:
    """A tracking code in groups of four digits, easy to read out: «۱۲۳۴ ۵۶۷۸ ۹۰۱۲»."""
    return locale_digits(
        " ".join(tracking_code[i : i + 4] for i in range(0, len(tracking_code), 4))
    )


def registration_number(centre_id: int) -> str:
    """A registration's tracking number, the centre's id in six digits: «۰۰۰۰۴۲»; the doctor
    gives it at 1420, and staff see it on the registration's page."""
    return f"{centre_id:06d}"


def local_time(at: datetime) -> str:
    """A stored time as Tehran's clock time, «۱۰:۲۰»."""
    return locale_digits(clock.as_tehran(at).strftime("%H:%M"))
