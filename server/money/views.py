"""The web for centres' statements (`/centre/statements`): the centre's claims day by day, the
advance paid and what is held, each month closed by SSO's review with its deductions and final
payment, a CSV of the same, and the contract's state with a request for one. A centre's money
is its admins' business."""

import csv
import io
from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.wrappers import Response
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ..centres.forms import ConfirmForm
from ..centres.sessions import admin_required, member_required, passkey_required
from ..domain.refusal import Refused
from ..extensions import db
from ..models import Provider
from ..web.fields import DayField
from ..web.refusals import show_beside
from ..web.shell import no_store
from . import statements

bp = Blueprint("centre_money", __name__, url_prefix="/centre", template_folder="templates")
bp.after_request(no_store)

CSV_COLUMNS = (
    "date", "lines", "price_rial", "patient_share_rial", "sso_share_rial", "settled", "payable",
    "advance_rial", "held_rial",
)  # fmt: skip
# After the days, when a month of the span was closed by the review: its figures, then its
# deductions, each a table of its own after an empty line.
CSV_MONTH_COLUMNS = (
    "month", "closed_on", "deducted_rial", "accepted_rial", "advances_rial", "final_payment_rial",
)  # fmt: skip
CSV_DEDUCTION_COLUMNS = (
    "month", "line", "date", "code", "sso_share_rial", "deducted_rial", "rejected", "reason",
)  # fmt: skip


class StatementForm(FlaskForm):
    """The days of the statement (a GET form: nothing to forge)."""

    class Meta:
        csrf = False

    first = DayField(_l("From"), required=False, name="from")
    last = DayField(_l("To"), required=False, name="to")


def _statement(form: StatementForm) -> dict | None:
    """The statement of the days the form asks for; None (the error beside its field) when they
    cannot be read or make no span."""
    if not form.validate():
        return None
    try:
        first, last = statements.span(form.first.data, form.last.data)
    except Refused as error:
        show_beside(form, error, "first")
        return None
    form.first.data, form.last.data = first, last
    return statements.statement(g.provider.id, first, last)


@bp.get("/statements")
@member_required
@admin_required
def statement_page():
    """The statement on screen, with its contract and (without one) a request button."""
    form = StatementForm(request.args)
    shown = _statement(form)
    centre = db.session.get(Provider, g.provider.id)
    days = [dict(day, on=date.fromisoformat(day["date"])) for day in (shown or {}).get("days", [])]
    contracts = [
        (
            date.fromisoformat(row["valid_from"]),
            row["valid_until"] and date.fromisoformat(row["valid_until"]),
        )
        for row in (shown or {}).get("contracts", [])
    ]
    months = [_shown_month(month) for month in (shown or {}).get("months", [])]
    page = render_template(
        "money/statements.html",
        months=months,
        form=form,
        statement=shown,
        days=days,
        contracts=contracts,
        requested=centre.contract_requested,
        confirm=ConfirmForm(),
    )
    return page, 200 if shown is not None else 400


def _shown_month(month: dict) -> dict:
    """A reviewed month with its Jalali year and month, and its deductions' days as dates."""
    year, number = (int(part) for part in month["month"].split("-"))
    deductions = [dict(line, on=date.fromisoformat(line["date"])) for line in month["deductions"]]
    return dict(month, year=year, number=number, deductions=deductions)


@bp.get("/statements.csv")
@member_required
@admin_required
def statement_csv():
    """The same days as CSV (ISO dates, whole rials) for the centre's accounts."""
    form = StatementForm(request.args)
    shown = _statement(form)
    if shown is None:
        return redirect(url_for("centre_money.statement_page", **request.args))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for day in shown["days"]:
        writer.writerow(
            [day["date"], day["lines"], day["price"], day["patient_share"], day["sso_share"],
             int(day["settled"]), "" if day["payable"] is None else int(day["payable"]),
             day["advance"], day["held"]]
        )  # fmt: skip
    if shown["months"]:
        _write_months(writer, shown["months"])
    name = f"statement-{shown['from']}-{shown['to']}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _write_months(writer, months: list[dict]) -> None:
    """The reviewed months' tables of the CSV: each month's figures, then every deduction."""
    writer.writerow([])
    writer.writerow(CSV_MONTH_COLUMNS)
    for month in months:
        writer.writerow([month[name] for name in ("month", "closed_on", "deducted", "accepted",
                                                  "advances", "payable")])  # fmt: skip
    writer.writerow([])
    writer.writerow(CSV_DEDUCTION_COLUMNS)
    for month in months:
        for line in month["deductions"]:
            writer.writerow(
                [month["month"], line["line"], line["date"], line["code"], line["sso_share"],
                 line["deducted"], int(line["rejected"]), line["reason"]]
            )  # fmt: skip


@bp.post("/statements/contract")
@member_required
@admin_required
@passkey_required
def request_contract():
    """Ask SSO for a contract: the medical staff decide on it."""
    if ConfirmForm().validate_on_submit():
        centre = db.session.get(Provider, g.provider.id, with_for_update=True)
        centre.contract_requested = True
        flash(gettext("Your request for a contract was sent to the Social Security Organization."))
    return redirect(url_for("centre_money.statement_page"))
