"""The one web shell of the web for centres and the staff console: the base layout and the
`field()` macro (templates/web/), their stylesheet and the front end's shared modules (static/).

The design tokens both webs and the app share are the app's /css/tokens.css.
"""

from flask import Blueprint
from flask.wrappers import Response
from flask_babel import get_locale
from markupsafe import Markup, escape

from ..i18n import month_text, rials

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/web",
)


@bp.app_context_processor
def _page_language() -> dict:
    """The page's language and direction, for the layout's <html>."""
    locale = str(get_locale())
    return {"lang": locale, "direction": "rtl" if locale == "fa" else "ltr"}


@bp.app_template_filter("isolated")
def isolated(value: object) -> Markup:
    """A name or other piece of data set apart from the sentence around it (`<bdi>`), so that a
    centre named in Latin letters, or a name that ends in a digit, reads in order in Persian."""
    return Markup("<bdi>%s</bdi>") % escape(value)


@bp.app_template_filter("rials")
def rials_filter(amount: int) -> str:
    """An amount of money in the page's language and digits, «۱٬۲۳۴٬۵۰۰ ریال»."""
    return rials(amount)


@bp.app_template_global("jalali_month")
def jalali_month(year: int, month: int) -> str:
    """A Jalali month in the page's language, «آبان ۱۴۰۵»."""
    return month_text(year, month)


def no_store(response: Response) -> Response:
    """Both webs' pages hold patients' and people's data, and one-time tokens: never stored by
    any cache. Every blueprint of the two webs registers it (`bp.after_request(no_store)`)."""
    response.headers["Cache-Control"] = "no-store"
    return response
