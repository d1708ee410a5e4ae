"""Every refusal any package raises has its text, in the one table its package registers at app
creation (`server/web/refusals.py`'s `register_texts`)."""

import re
from pathlib import Path

import pytest

from server.web import refusals

ROOT = Path(__file__).resolve().parents[2] / "server"
KINDS = "Invalid|Unauthorized|Forbidden|NotFound|Conflict|Gone|TooMany|Unavailable"
RAISED = re.compile(rf'\b(?:{KINDS})\(\s*"(\w+)"|_item_error\(\s*\w+,\s*"\w+",\s*"(\w+)"')


def raised(package: str) -> set[str]:
    """The codes of the refusals a package's modules raise."""
    codes = set()
    for module in (ROOT / package).glob("*.py"):
        for match in RAISED.finditer(module.read_text(encoding="utf-8")):
            codes.add(match.group(1) or match.group(2))
    return codes


@pytest.mark.parametrize(
    ("package", "least"),
    [
        ("api", 5),
        ("auth", 10),
        ("catalogue", 8),
        ("centres", 8),
        ("channels", 2),
        ("fhir", 1),
        ("notify", 2),
        ("records", 10),
        ("staff", 20),
    ],
)
def test_every_code_raised_has_a_text(app, package, least):
    codes = raised(package)
    assert len(codes) >= least, codes  # the pattern still finds them
    with app.app_context():
        assert codes - refusals.texts().keys() == set()


@pytest.mark.parametrize(
    ("code", "values", "english"),
    [
        ("member_mobile_mismatch", {"field": "mobile"}, "do not match the registry"),
        ("document_missing", {}, "Please attach all four documents."),
        ("document_missing", {"field": "council_card"}, "Please attach the Medical council"),
        ("document_type", {"field": "national_card"}, "National card must be a PDF"),
        ("favourite_name_taken", {"field": "name", "name": "سرد"}, "named سرد"),
        ("unknown_catalogue_code", {"position": 2, "code": "D9"}, "Item 2: code D9 is not"),
    ],
)
def test_a_text_says_what_the_operation_said(app, code, values, english):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert english in refusals.texts()[code](**values)
