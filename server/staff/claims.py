"""Claims staff and the month's review: each change to a centre's month (a deduction, a
rejection, the close) is the money side's operation (`server/money/review.py`) with who did
it and the audit row; the close also texts the centre's administrators. The request commits
them as one; a refusal is raised before anything is written."""

from ..centres import notices
from ..database import after_commit
from ..extensions import db
from ..i18n import month_text
from ..models import ClaimLine, ClaimMonth, Provider
from ..money import review
from ..money.review import Figures, Month
from . import audit


def _subject(provider_id: int) -> str:
    """How the audit names a centre."""
    return f"centre:{provider_id}"


def _month(span: Month) -> str:
    """The month as the audit keeps it (Jalali `YYYY-MM`)."""
    return f"{span.year:04d}-{span.month:02d}"


def viewed(provider_id: int, span: Month) -> None:
    """Audit that the month's claims were opened."""
    audit.record("claims_month_viewed", subject=_subject(provider_id), month=_month(span))


def deduct(provider_id: int, span: Month, line_id, amount, reason) -> ClaimLine:
    """Deduct from a line's SSO share with a reason; audited."""
    line = review.deduct(provider_id, span, line_id, amount, reason, audit.current_staff_id())
    audit.record(
        "claim_line_reduced", subject=_subject(provider_id), month=_month(span),
        line=line.id, amount=amount, reason=line.review_reason,
    )  # fmt: skip
    return line


def reject(provider_id: int, span: Month, line_id, reason) -> ClaimLine:
    """Reject a line with a reason; audited."""
    line = review.reject(provider_id, span, line_id, reason, audit.current_staff_id())
    audit.record(
        "claim_line_rejected", subject=_subject(provider_id), month=_month(span),
        line=line.id, amount=line.deducted, reason=line.review_reason,
    )  # fmt: skip
    return line


def close(provider_id: int, span: Month) -> tuple[ClaimMonth, Figures]:
    """Close the month; audited, and the centre's administrators texted once it is committed."""
    row, found = review.close(provider_id, span, audit.current_staff_id())
    audit.record(
        "claims_month_closed", subject=_subject(provider_id), month=_month(span),
        accepted=found.accepted, advances=found.advances, payable=found.payable,
    )  # fmt: skip
    centre = db.session.get(Provider, provider_id)
    name = month_text(span.year, span.month)
    after_commit(
        db.session, lambda: notices.claims_reviewed(centre, name, found.deducted, found.payable)
    )
    return row, found
