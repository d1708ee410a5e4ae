"""`flask --app server darman centre …` and `… provider …`: centres and their API tokens.

Each command is its own unit of work: it commits once at its end (then sends what waited for
the commit, such as an approval's SMS), or rolls back and exits 1 with the refusal's message.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup

from ..database import commit_and_follow, roll_back
from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.national_code import InvalidNationalCode, normalise
from ..domain.refusal import Refused
from ..extensions import db
from ..models import MEMBER_ROLES, PROVIDER_KINDS, Person
from ..money import contracts
from ..web.refusals import message_of
from . import accounts, tokens

centre_cli = AppGroup("centre", help="Centres: create, approve, suspend.")
provider_cli = AppGroup("provider", help="Providers' API tokens.")


@contextmanager
def _unit_of_work() -> Iterator[None]:
    """The command's one commit (a command is its own boundary), then what waited for it; a
    refusal is reported on stderr with exit 1, and nothing of the command is kept."""
    try:
        yield
    except Refused as error:
        roll_back(db.session())
        raise click.ClickException(message_of(error)) from error
    commit_and_follow(db.session())


def _token_days() -> int:
    """How long a new token lives (DARMAN_PROVIDER_TOKEN_DAYS)."""
    return current_app.config["DARMAN_PROVIDER_TOKEN_DAYS"]


def _admin_person(value: str) -> int:
    """The registry person of `NATIONAL_CODE:MOBILE`, checked like a citizen's sign-in."""
    code, _, mobile = value.partition(":")
    try:
        national_code, mobile = normalise(code), normalise_mobile(mobile)
    except (InvalidNationalCode, InvalidMobile):
        raise click.BadParameter("expected NATIONAL_CODE:MOBILE", param_hint="--admin") from None
    person = db.session.execute(
        db.select(Person.id, Person.mobile).where(Person.national_code == national_code)
    ).first()
    if person is None or person.mobile != mobile:
        raise click.BadParameter("the national code and mobile do not match", param_hint="--admin")
    return person.id


@centre_cli.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(PROVIDER_KINDS), required=True)
@click.option("--admin", "admin", required=True, help="NATIONAL_CODE:MOBILE of its admin.")
@click.option("--city", default="")
@click.option("--licence", "licence_number", default=None)
@click.option("--contracted/--not-contracted", default=False, help="With a contract from today.")
@click.option(
    "--sso-owned", is_flag=True, help="SSO's own centre (ملکی): the insured pays nothing."
)
@click.option("--public", is_flag=True, help="A public or university centre.")
@click.option(
    "--admin-role",
    type=click.Choice(MEMBER_ROLES),
    default="admin",
    help="The admin's own role too (a doctor's office: doctor; a pharmacy: pharmacist).",
)
def centre_create(
    name: str,
    kind: str,
    admin: str,
    city: str,
    licence_number: str | None,
    contracted: bool,
    sso_owned: bool,
    public: bool,
    admin_role: str,
) -> None:
    """Create an active centre with its first admin; print the centre's id alone."""
    person_id = _admin_person(admin)
    with _unit_of_work():
        centre = accounts.create_centre(
            name,
            kind,
            city=city,
            licence_number=licence_number,
            contracted=contracted,
            sso_owned=sso_owned,
            public=public,
        )
        accounts.add_member(centre.id, person_id, admin_role, is_admin=True)
    click.echo(centre.id)


@centre_cli.command("approve")
@click.argument("centre_id", type=int)
def centre_approve(centre_id: int) -> None:
    """Activate a registered centre and text its admins."""
    with _unit_of_work():
        centre = accounts.approve_centre(centre_id)
    click.echo(f"centre {centre.id} is active")


@centre_cli.command("contract")
@click.argument("centre_id", type=int)
@click.option("--from", "valid_from", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--until", "valid_until", type=click.DateTime(["%Y-%m-%d"]), default=None)
def centre_contract(centre_id: int, valid_from, valid_until) -> None:
    """A contract with SSO over these days (open-ended without --until)."""
    until = valid_until.date() if valid_until else None
    with _unit_of_work():
        contract = contracts.make_contract(centre_id, valid_from.date(), until)
    click.echo(
        f"centre {centre_id} is contracted from {contract.valid_from}"
        + (f" until {contract.valid_until}" if contract.valid_until else "")
    )


@centre_cli.command("reject")
@click.argument("centre_id", type=int)
@click.option("--reason", required=True)
def centre_reject(centre_id: int, reason: str) -> None:
    """Refuse a registration."""
    with _unit_of_work():
        accounts.reject_centre(centre_id, reason)
    click.echo(f"centre {centre_id} is rejected")


@centre_cli.command("suspend")
@click.argument("centre_id", type=int)
@click.option("--reason", default=None)
def centre_suspend(centre_id: int, reason: str | None) -> None:
    """Suspend a centre: its tokens and its members' sessions stop at once."""
    with _unit_of_work():
        accounts.suspend_centre(centre_id, reason)
    click.echo(f"centre {centre_id} is suspended")


@provider_cli.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(PROVIDER_KINDS), required=True)
@click.option("--centre", "centre_id", type=int, default=None, help="Add a token to this centre.")
def provider_create(name: str, kind: str, centre_id: int | None) -> None:
    """Create a centre (or use --centre) with a token of every scope its kind allows; print
    the token alone, once (only its hash is kept)."""
    with _unit_of_work():
        if centre_id is None:
            centre_id = accounts.create_centre(name, kind).id
        _, token = tokens.create_token(centre_id, name, days=_token_days())
    click.echo(token)


@provider_cli.command("list")
@click.argument("centre_id", type=int)
def provider_list(centre_id: int) -> None:
    """The centre's tokens: id, name, scopes, expiry, last use, state (never the token)."""
    for row in tokens.tokens_of(centre_id):
        state = "revoked" if row.revoked_at else "live"
        used = row.last_used_at.isoformat() if row.last_used_at else "-"
        click.echo(
            f"{row.id}\t{row.name}\t{row.scopes}\t{row.expires_at.isoformat()}\t{used}\t{state}"
        )


@provider_cli.command("revoke")
@click.argument("token_id", type=int)
def provider_revoke(token_id: int) -> None:
    """Revoke a token: refused from the next request on, on every worker."""
    with _unit_of_work():
        tokens.revoke_token(token_id)
    click.echo(f"token {token_id} is revoked")


@provider_cli.command("rotate")
@click.argument("token_id", type=int)
def provider_rotate(token_id: int) -> None:
    """Revoke a token and print its successor alone (same name and scopes)."""
    with _unit_of_work():
        _, token = tokens.rotate_token(token_id, days=_token_days())
    click.echo(token)
