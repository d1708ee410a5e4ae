"""Locale choice: Persian by default, English when asked for."""

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, gettext

from .domain.digits import to_persian_digits
from .extensions import babel


def select_locale() -> str:
    """The best of our languages for this request's Accept-Language; Persian first.

    Commands (no request) speak the default, Persian.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our selector."""
    babel.init_app(app, locale_selector=select_locale)


def number(value: object) -> str:
    """A number (or a code of digits) for a sentence: Persian digits in Persian."""
    text = str(value)
    return to_persian_digits(text) if str(get_locale()) == "fa" else text


PERSIAN_THOUSANDS = "\u066c"  # ٬ the Arabic thousands separator Persian writes money with


def rials(amount: int) -> str:
    """An amount of money: «۱٬۲۳۴٬۵۰۰ ریال» in Persian, "1,234,500 rials" in English."""
    grouped = f"{amount:,}"
    if str(get_locale()) == "fa":
        grouped = to_persian_digits(grouped.replace(",", PERSIAN_THOUSANDS))
    return gettext("%(amount)s rials", amount=grouped)
