"""`flask --app server darman card …`: the card's signing keys."""

import click
from flask.cli import AppGroup

from .. import clock
from ..extensions import db
from .views import keep_retired, keyring

card_cli = AppGroup("card", help="The offline card's signing keys.")


@card_cli.command("rotate-key")
def rotate_key() -> None:
    """Sign with the next key from now on; publish a new next key; forget old retired keys."""
    rotation = keyring().rotate(clock.now(), keep_retired())
    db.session.commit()  # a command is its own unit of work (the database keyring's rotation)
    click.echo(f"current key: {rotation.current}")
    click.echo(f"next key (published, not signing yet): {rotation.next}")
    if rotation.retired:
        click.echo(f"retired (still published for verification): {rotation.retired}")
    for kid in rotation.removed:
        click.echo(f"no longer published: {kid}")


@card_cli.command("keys")
def list_keys() -> None:
    """List the published keys and their states."""
    for key in keyring().published():
        retired = f", retired {key.retired_at}" if key.retired_at else ""
        click.echo(f"{key.kid}  {key.state}  (made {key.created_at}{retired})")
