"""SSO's staff decide a disputed allergy from the person's objection in the console: removed
(no longer shown nor checked) or kept; audited, and the person is told through the objection's
own answer."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext

from ..domain.refusal import Refused
from ..staff import sessions
from ..web.refusals import flash_refused
from . import allergies

bp = Blueprint("staff_allergies", __name__, url_prefix="/staff")


@bp.before_request
def _load_session() -> None:
    """Every console request knows its staff session (if any)."""
    sessions.load()


@bp.post("/objections/<int:objection_id>/allergy")
@sessions.role_required("branch")
def decide(objection_id: int):
    """`decision`: `remove` or `keep` the allergy the objection disputes."""
    decision = request.form.get("decision")
    if decision not in ("remove", "keep"):
        abort(400)
    try:
        allergies.resolve(objection_id, remove=decision == "remove")
    except Refused as error:
        flash_refused(error)
    else:
        done = (
            gettext("The allergy is removed from the person's record.")
            if decision == "remove"
            else gettext("The allergy is kept on the person's record.")
        )
        flash(done, "info")
    return redirect(url_for("staff.objection", objection_id=objection_id), 303)
