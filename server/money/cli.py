"""`flask --app server darman tariffs import [FILE]` and `… darman settle [--date YYYY-MM-DD]`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ..catalogue.cli import finish
from . import settlement
from .tariffs import SHIPPED_TARIFFS, load_tariffs

tariffs_cli = AppGroup("tariffs", help="The price of each catalogue code, by date (rials).")


@tariffs_cli.command("import")
@click.argument(
    "path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def tariffs_import(path: Path | None) -> None:
    """Load a tariff CSV file (code,valid_from,price_rial); with none, the shipped demo prices."""
    finish([load_tariffs(path or SHIPPED_TARIFFS)])


@click.command("settle")
@with_appcontext
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--resume", is_flag=True, help="Finish a run of that day that was interrupted.")
def settle_command(day, resume: bool) -> None:
    """Settle a day's claims (default: the Tehran day just ended): per contracted centre, the
    advance of SSO's share payable now, the rest held until the month's review. Run at 00:00
    Asia/Tehran (deploy/darman-settle.timer); a day is settled once."""
    chosen = day.date() if day else settlement.yesterday()
    percent = current_app.config["DARMAN_SETTLEMENT_ADVANCE_PERCENT"]
    result = settlement.settle(chosen, percent, resume=resume)
    if result.unfinished:
        raise click.ClickException(
            f"the settlement of {chosen} began and did not finish: run again with --resume"
        )
    state = "settled now" if result.settled_now else "already settled: nothing changed"
    click.echo(
        f"{chosen}: {state}; {result.centres} centres, {result.lines} claim lines, SSO's share"
        f" {result.sso_share} rials, advance {result.advance}, held {result.held}"
    )
