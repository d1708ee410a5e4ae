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


def test_a_running_import_keeps_its_progress_for_the_console(app, registry, monkeypatch):
    from server.staff import imports

    monkeypatch.setattr(imports, "PROGRESS_EVERY_SECONDS", 0)
    seen = []

    def watch(done, total):
        """What the console would read now: the run's row, from the database."""
        row = db.session.execute(select(ImportRun.rows_done, ImportRun.rows_total)).one()
        seen.append((done, total, tuple(row)))

    real = imports.import_directory
    monkeypatch.setattr(
        imports,
        "import_directory",
        lambda directory, **kw: real(directory, **{**kw, "progress": _then(kw["progress"], watch)}),
    )
    families.load(registry)
    with app.app_context():
        run = db.session.scalars(select(ImportRun)).one()
    assert (run.rows_done, run.rows_total) == (13, 13)
    assert len(seen) >= 2
    # at every step the database already held that step's progress (another process reads it)
    assert all(stored == (done, total) for done, total, stored in seen)
    assert seen[0][0] < seen[-1][0]


def test_the_console_shows_a_running_imports_progress(app, signed_in):
    from server import clock

    with app.app_context():
        db.session.add(
            ImportRun(
                run_by="operator",
                directory="/srv/registry",
                started_at=clock.now(),
                status="running",
                rows_done=250,
                rows_total=1000,
            )
        )
        db.session.commit()
    page = signed_in("admin").get("/staff/imports").get_data(as_text=True)
    assert 'max="1000" value="250"' in page
    assert "۲۵۰ از ۱٬۰۰۰ ردیف نوشته شده" in page or "۲۵۰ از ۱۰۰۰ ردیف نوشته شده" in page


def _then(first, second):
    """A progress callback that calls `first`, then `second`."""

    def both(done, total):
        first(done, total)
        second(done, total)

    return both
