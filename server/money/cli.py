"""`flask --app server darman tariffs import [FILE]`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from ..catalogue.cli import finish
from .tariffs import SHIPPED_TARIFFS, load_tariffs

tariffs_cli = AppGroup("tariffs", help="The price of each catalogue code, by date (rials).")


@tariffs_cli.command("import")
@click.argument(
    "path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def tariffs_import(path: Path | None) -> None:
    """Load a tariff CSV file (code,valid_from,price_rial); with none, the shipped demo prices."""
    finish([load_tariffs(path or SHIPPED_TARIFFS)])
