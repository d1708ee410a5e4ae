"""The money side of the provider API: `GET /api/provider/statements?from=&to=` (bearer)."""

from datetime import date

from flask import Blueprint, g, request
from flask_babel import gettext

from ..records.provider_api import provider_operation
from ..web.refusals import InvalidInput
from . import statements
from .schemas import Statement

bp = Blueprint("money_provider", __name__, url_prefix="/api/provider")


def _date_argument(name: str) -> date | None:
    """`?from=` or `?to=` as an ISO date; None when absent; 400 naming it when not a date."""
    text = request.args.get(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = gettext("%(field)s is not a valid date (YYYY-MM-DD).", field=name)
        raise InvalidInput("invalid_date", message, field=name) from None


@bp.get("/statements")
@provider_operation(
    "The centre's claims day by day — price, patients' and SSO's shares, the advance paid and what "
    "is held — each month SSO's review closed: its deductions with reasons and the final payment; "
    "and its contracts (`from`, `to`: ISO dates, a year at most; default the last 31 days)",
    response=Statement,
    errors=(400, 401),
    query=("from?", "to?"),
)
def statement():
    """The statement of the token's centre over the days asked for."""
    first, last = statements.span(_date_argument("from"), _date_argument("to"))
    return statements.statement(g.provider.id, first, last)
