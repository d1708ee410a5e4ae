"""The claims staff's pages, under /staff/claims/ (a blueprint nested in the console's, so that
its session, navigation and refusal pages are the console's): the month's review queue, a day's
settlement totals, and a centre's month — its lines, the deductions and rejections, the close.

As everywhere in the console: POST → redirect → GET with a flashed message; a refusal is shown
beside its field and changes nothing (400; a closed month, 409); every action is audited.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from ..domain.digits import whole_number
from ..domain.refusal import Refused
from ..extensions import db
from ..i18n import number
from ..models import Provider
from ..money import review, review_lists, settlement
from ..web.refusals import flash_refused, show_beside, status_of
from . import claims, sessions
from .forms import EmptyForm, ReviewLineForm, SettlementDayForm

bp = Blueprint("claims", __name__, url_prefix="/claims")


def _page_number() -> int:
    """`?page=` (1 when absent or not a page number)."""
    return whole_number(request.args.get("page", ""), 1, 100_000) or 1


@bp.get("")
@sessions.role_required("claims")
def queue():
    """The centres' months waiting for review, the oldest month first, 50 a page."""
    page = _page_number()
    rows, more = review_lists.queue(page)
    return render_template("staff/claims_queue.html", rows=rows, page=page, more=more)


@bp.get("/days")
@sessions.role_required("claims")
def days():
    """A day's settlement totals (by default the day just ended), and the latest days."""
    form = SettlementDayForm(request.args)
    chosen = form.day.data if form.validate() and form.day.data else settlement.yesterday()
    return render_template(
        "staff/claims_days.html",
        form=form,
        totals=review_lists.day_totals(chosen),
        settled=review_lists.settled_days(),
    ), 200 if not form.errors else 400


def _centre_and_month(centre_id: int, year: int, month: int) -> tuple[Provider, review.Month]:
    """The centre and the Jalali month of the URL; 404 when either is not there."""
    centre = db.session.get(Provider, centre_id) or abort(404)
    try:
        return centre, review.month(year, month)
    except Refused:
        abort(404)


def _month_page(centre: Provider, span: review.Month, form: ReviewLineForm, status: int = 200):
    """The month's page: its figures, a page of its lines, the review form and the close."""
    page = _page_number()
    lines, total = review.lines(centre.id, span, page)
    return render_template(
        "staff/claims_month.html",
        centre=centre,
        span=span,
        row=review.review_row(centre.id, span),
        figures=review.figures(centre.id, span),
        unsettled=review.unsettled_days(centre.id, span),
        lines=lines,
        page=page,
        more=page * review.LINES_PAGE < total,
        form=form,
    ), status


@bp.get("/centres/<int:centre_id>/<int:year>/<int:month>")
@sessions.role_required("claims")
def month_page(centre_id: int, year: int, month: int):
    """A centre's month under review (audited: staff opened its claims)."""
    centre, span = _centre_and_month(centre_id, year, month)
    claims.viewed(centre.id, span)
    form = ReviewLineForm(formdata=None)
    form.line.data = request.args.get("line", "")[:12]
    return _month_page(centre, span, form)


def _month_url(centre: Provider, span: review.Month) -> str:
    """Where the month's page is."""
    return url_for("staff.claims.month_page", centre_id=centre.id, year=span.year, month=span.month)


@bp.post("/centres/<int:centre_id>/<int:year>/<int:month>/review")
@sessions.role_required("claims")
def review_line(centre_id: int, year: int, month: int):
    """Deduct from a line or reject it, with a reason; refused beside its field otherwise."""
    centre, span = _centre_and_month(centre_id, year, month)
    form = ReviewLineForm()
    if not form.validate_on_submit():
        return _month_page(centre, span, form, 400)
    line_id = int(form.line.data)
    amount = int(form.amount.data) if form.amount.data else None
    try:
        if form.reject.data:
            claims.reject(centre.id, span, line_id, form.reason.data)
            done = gettext("Line %(line)s is rejected.", line=number(line_id))
        else:
            claims.deduct(centre.id, span, line_id, amount, form.reason.data)
            done = gettext("The deduction from line %(line)s is saved.", line=number(line_id))
    except Refused as refused:
        if refused.details.get("field"):
            return _month_page(centre, span, form, show_beside(form, refused, "line").status)
        flash_refused(refused)  # a closed month: the form is gone, the message above it
        return _month_page(centre, span, form, status_of(refused))
    flash(done, "info")
    return redirect(_month_url(centre, span), 303)


@bp.post("/centres/<int:centre_id>/<int:year>/<int:month>/close")
@sessions.role_required("claims")
def close(centre_id: int, year: int, month: int):
    """Close the month: its final payment is frozen and the centre is told by SMS."""
    centre, span = _centre_and_month(centre_id, year, month)
    if EmptyForm().validate_on_submit():
        try:
            claims.close(centre.id, span)
        except Refused as refused:
            flash_refused(refused)
            return _month_page(centre, span, ReviewLineForm(formdata=None), 409)
        flash(gettext("The month is closed; the centre was told by SMS."), "info")
    return redirect(_month_url(centre, span), 303)
