"""Search text: what a typed query and a catalogue name are compared as, whatever the keyboard.

Persian is typed on Arabic keyboards too (ي for ی, ك for ک), with or without the zero-width
non-joiner (آموکسی‌سیلین, آموکسی سیلین, آموکسیسیلین) or the madda (آ/ا), with Persian or
Arabic digits. Both sides are reduced to the same letters and digits, lower case, with
nothing between them.
"""

import unicodedata

from .digits import to_latin_digits

_LETTER_VARIANTS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",
        "ك": "ک",  # Arabic kaf
        "ة": "ه",
        "ۀ": "ه",
        "ؤ": "و",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "آ": "ا",  # the madda is often left out
        "\u0640": None,  # tatweel, a stretch of the line, not a letter
    }
)


def search_text(text: str) -> str:
    """Letters and digits only, Persian letter variants unified, Latin lower-cased.

    Spaces, the ZWNJ, punctuation and Arabic diacritics (harakat, tatweel) are dropped, so any
    spelling of a name finds it as a substring.
    """
    text = unicodedata.normalize("NFKC", to_latin_digits(text)).translate(_LETTER_VARIANTS)
    return "".join(ch for ch in text.casefold() if ch.isalnum())
