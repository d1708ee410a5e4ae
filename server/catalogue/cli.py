"""`flask --app server darman catalogue import [FILE]` and `… interactions import FILE`."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db
from .importer import (
    SHIPPED_CATALOGUE,
    SHIPPED_INTERACTIONS,
    LoadReport,
    load_catalogue,
    load_interactions,
)

catalogue_cli = AppGroup("catalogue", help="The catalogue of drugs and services.")
interactions_cli = AppGroup("interactions", help="The drug interaction table.")

_CSV = click.Path(exists=True, dir_okay=False, path_type=Path)


def finish(reports: list[LoadReport]) -> None:
    """Print each file's errors (stderr) and summary; commit when all are good, else exit 1."""
    for report in reports:
        for error in report.errors:
            click.echo(error, err=True)
        click.echo(report.summary())
    if any(report.errors for report in reports):
        db.session.rollback()
        sys.exit(1)
    db.session.commit()  # a command is its own unit of work: every file's rows, or none


@catalogue_cli.command("import")
@click.argument("path", required=False, type=_CSV)
def catalogue_import(path: Path | None) -> None:
    """Load a catalogue CSV file; with none, the shipped catalogue and interaction table."""
    if path is not None:
        finish([load_catalogue(path)])
        return
    catalogue = load_catalogue(SHIPPED_CATALOGUE)
    if catalogue.errors:
        finish([catalogue])
        return
    finish([catalogue, load_interactions(SHIPPED_INTERACTIONS)])


@interactions_cli.command("import")
@click.argument("path", type=_CSV)
def interactions_import(path: Path) -> None:
    """Load an interaction CSV file (ingredient_a, ingredient_b, severity, advice, source)."""
    finish([load_interactions(path)])
