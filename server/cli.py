"""`flask --app server darman …`: operators' commands."""

import json
import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from . import clock
from .card.cli import card_cli
from .catalogue.cli import catalogue_cli, interactions_cli
from .centres.cli import centre_cli, provider_cli
from .demo import guide as demo_guide
from .extensions import db
from .models import Person
from .money.cli import settle_command, tariffs_cli
from .registry.importer import ImportReport, import_directory
from .registry.progress import progress_bar
from .retention import prune_all, prune_command
from .staff.cli import staff_cli

darman_cli = AppGroup("darman", help="Darman operators' commands.")


def _print_report(report: ImportReport) -> None:
    """Bad rows on stderr as `file:line: reason`; a summary line per file on stdout."""
    for file_report in report.files:
        for error in file_report.errors:
            click.echo(error, err=True)
        state = "rolled back" if file_report.errors else "ok"
        click.echo(
            f"{file_report.name}: {file_report.rows} rows, "
            f"{file_report.changed} people changed, {state}"
        )
    click.echo(
        f"coverage: {report.recomputed} people recomputed, "
        f"{report.coverage_changes} changes in the outbox"
    )


@darman_cli.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_command(directory: Path) -> None:
    """Import the registry CSV files in DIRECTORY (persons.csv, insured.csv, …)."""
    from .staff.imports import recorded_import  # the run goes into the console's history

    with progress_bar("import") as progress:
        report = recorded_import(directory, progress=progress)
    _print_report(report)
    if not report.ok:
        sys.exit(1)


@darman_cli.command("demo")
@click.option("--people", type=click.IntRange(1), default=2000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--csv",
    "csv_directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also keep the generated CSV files in this folder.",
)
@click.option("--if-empty", is_flag=True, help="Load nothing when the registry has people.")
def demo_command(people: int, seed: int, csv_directory: Path | None, if_empty: bool) -> None:
    """Write a synthetic registry of PEOPLE people (as CSV) and import it.

    The people worth trying (by the case they show) are printed and kept in the instance folder,
    so that a later `--if-empty` run can print them again.
    """
    from .demo.registry import write_registry_csv

    samples_path = Path(current_app.instance_path) / "demo-people.json"
    if if_empty and db.session.scalar(select(func.count()).select_from(Person)):
        click.echo("The registry already has people; no demo data loaded.")
        if samples_path.exists():
            _print_samples(json.loads(samples_path.read_text(encoding="utf-8")))
        return
    with tempfile.TemporaryDirectory() as scratch:
        directory = csv_directory or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        stats = write_registry_csv(directory, people, today=clock.today(), seed=seed)
        report = import_directory(directory, today=clock.today())
    _print_report(report)
    if not report.ok:
        sys.exit(1)
    from .demo.records import write_demo_records

    records = write_demo_records(db.session, clock.today(), seed=seed, featured=stats.samples)
    click.echo(records.summary())
    from .demo.accounts import register_sample_people

    registered = register_sample_people(db.session, stats.samples)
    click.echo(f"{registered} demo people registered: the worker puts their notices in the app")
    samples_path.write_text(json.dumps(stats.samples, ensure_ascii=False), encoding="utf-8")
    _print_samples(stats.samples)


def _print_samples(samples: dict[str, dict[str, str]]) -> None:
    """Per demo person: the case, the national code, the mobile, and what they will see."""
    for line in demo_guide.sample_lines(samples, clock.today()):
        click.echo(line)


@darman_cli.command("daily")
@click.option("--everyone", is_flag=True, help="Recompute the whole registry, not only who is due.")
def daily_command(everyone: bool) -> None:
    """Bring the coverage snapshots to today: run once a day, just after midnight in Tehran.

    Only the people whose answer may have changed since the last run are recomputed (everyone
    on the first run). Then the day's reminders go to the outbox: cover ending within 7 days,
    cover ended today, a newborn's cover under the mother ending. Then old rows are pruned.
    """
    from .registry import daily

    result = daily.run(db.session(), clock.today(), everyone=everyone)
    click.echo(f"{result.computed} people recomputed, {result.changed} changes in the outbox")
    click.echo(f"{result.reminded} reminders in the outbox")
    click.echo(prune_all().summary())


@darman_cli.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
def worker_command(once: bool) -> None:
    """Turn outbox rows into notices (inbox and web push) and send them; polls until stopped."""
    import signal
    import threading

    from .notify.worker import WorkerBusy, run
    from .ops.metrics import serve_for_worker

    if current_app.config["DARMAN_WORKER_METRICS_PORT"] and not once:
        serve_for_worker(current_app.config["DARMAN_WORKER_METRICS_PORT"])
    stop = threading.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    previous = {signum: signal.signal(signum, lambda *_: stop.set()) for signum in signals}
    try:  # on a signal, the batch in hand is finished, then the worker stops
        tally = run(once=once, stop=stop)
    except WorkerBusy as error:
        raise click.ClickException(str(error)) from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    click.echo(tally.summary())


darman_cli.add_command(provider_cli)
darman_cli.add_command(centre_cli)
darman_cli.add_command(card_cli)
darman_cli.add_command(prune_command)
darman_cli.add_command(catalogue_cli)
darman_cli.add_command(interactions_cli)
darman_cli.add_command(tariffs_cli)
darman_cli.add_command(settle_command)
darman_cli.add_command(staff_cli)
darman_cli.add_command(demo_guide.demo_curl_command)
