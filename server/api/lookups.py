"""Verifying a tracking code: the national code it must name (the limit on wrong guesses is
`auth/lookup_misses`, which prescription codes share)."""

from ..domain.refusal import Invalid
from ..web.toolkit import national_code_argument


def national_code_parameter(text: str | None) -> str:
    """`?national_code=`, normalised; 400 when it is missing or not a national code."""
    if not text or not text.strip():
        raise Invalid("missing_national_code", field="national_code")
    return national_code_argument(text, field="national_code")
