"""`other_insurance.csv` (issue 26) is imported like the other registry files: checked whole
first, each bad row reported as `file:line: reason`, nothing of a bad file written; a second
import of the same file changes nothing."""

from families import INSURED, UNKNOWN
from sqlalchemy import select

from server.extensions import db
from server.models import OtherInsurance

HEADER = "national_code,insurer,start_date,end_date"


def kept(app) -> list[tuple]:
    """(insurer, start, end) on record."""
    with app.app_context():
        rows = db.session.scalars(select(OtherInsurance).order_by(OtherInsurance.start_date))
        return [(r.insurer, r.start_date.isoformat(), r.end_date) for r in rows]


def test_a_good_file_is_imported_once(app, family, registry):
    registry.write("other_insurance.csv", HEADER, f"{INSURED}, بیمه سلامت ,2026-03-21,")
    assert registry.load().exit_code == 0
    assert registry.load().exit_code == 0
    assert kept(app) == [("بیمه سلامت", "2026-03-21", None)]


def test_a_bad_file_is_reported_by_line_and_nothing_of_it_is_written(app, family, registry):
    registry.write(
        "other_insurance.csv",
        HEADER,
        f"{INSURED},بیمه سلامت,2026-03-21,",
        f"{INSURED},,2026-03-21,",
        f"{INSURED},بیمه سلامت,2026-03-21,2026-01-01",
        f"{UNKNOWN},بیمه سلامت,2026-03-21,",
    )
    result = registry.load()
    assert result.exit_code == 1
    errors = result.stderr
    assert "other_insurance.csv:3: insurer" in errors
    assert "other_insurance.csv:4: end_date" in errors
    assert f"other_insurance.csv:5: national_code {UNKNOWN}" in errors
    assert kept(app) == []
