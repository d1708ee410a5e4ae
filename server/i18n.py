"""Locale choice: Persian by default, English when asked for."""

from datetime import date

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, gettext

from .domain.digits import to_persian_digits
from .domain.jalali import MONTH_NAMES_EN, MONTH_NAMES_FA, jalali_text, jalali_text_english
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


def date_text(value: date) -> str:
    """A Jalali date for a sentence in this request's language: «۳۰ آذر ۱۴۰۵» or «30 Azar 1405»."""
    return jalali_text(value) if str(get_locale()) == "fa" else jalali_text_english(value)


def month_text(year: int, month: int) -> str:
    """A Jalali month for a sentence in this request's language: «آبان ۱۴۰۵» or «Aban 1405»."""
    if str(get_locale()) == "fa":
        return f"{MONTH_NAMES_FA[month - 1]} {to_persian_digits(year)}"
    return f"{MONTH_NAMES_EN[month - 1]} {year}"


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
