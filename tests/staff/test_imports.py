"""The import history: each `flask darman import` is kept (who, when, files, rows, bad rows,
people recomputed, notices) and shown to admins."""

import families
from sqlalchemy import select

from server.extensions import db
from server.models import ImportRun


def test_an_import_is_recorded_with_its_results(app, registry, monkeypatch):
    monkeypatch.setenv("DARMAN_OPERATOR", "registry-operator")
    families.load(registry)
    with app.app_context():
        run = db.session.scalars(select(ImportRun)).one()
        assert run.status == "ok" and run.run_by == "registry-operator"
        assert run.rows == 13 and run.bad_rows == []
        assert run.recomputed == 5 and run.finished_at is not None
        assert {f["name"] for f in run.files} >= {"persons.csv", "births.csv"}


def test_bad_rows_are_kept_as_file_line_reason(app, registry):
    registry.write(
        "persons.csv",
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{families.INSURED},علی,رضایی,1980-05-10,M,,",
        "123,بد,ردیف,1980-05-10,M,,",
    )
    result = registry.load()
    assert result.exit_code == 1
    with app.app_context():
        run = db.session.scalars(select(ImportRun)).one()
    assert run.status == "bad_rows"
    assert len(run.bad_rows) == 1 and run.bad_rows[0].startswith("persons.csv:3:")


def test_the_console_shows_the_history_to_admins(registry, signed_in):
    families.load(registry)
    page = signed_in("admin").get("/staff/imports").get_data(as_text=True)
    assert "persons.csv" in page and "انجام شد" in page
