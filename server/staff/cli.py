"""`flask --app server darman staff create NATIONAL_CODE MOBILE --role …`: add a staff member;
`staff set-role NATIONAL_CODE ROLE`: give one another role (a staff member holds one)."""

import secrets

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .. import clock
from ..domain.mobile import InvalidMobile, normalise_mobile
from ..domain.national_code import InvalidNationalCode, normalise
from ..extensions import db
from ..models import STAFF_ROLES, Staff
from . import audit

staff_cli = AppGroup("staff", help="SSO's staff: the console's accounts.")


@staff_cli.command("create")
@click.argument("national_code")
@click.argument("mobile")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
def create(national_code: str, mobile: str, role: str) -> None:
    """Create a staff member; print the new id (alone). They add a passkey at first sign-in."""
    try:
        national_code = normalise(national_code)
    except InvalidNationalCode:
        raise click.BadParameter("not a valid national code", param_hint="NATIONAL_CODE") from None
    try:
        mobile = normalise_mobile(mobile)
    except InvalidMobile:
        raise click.BadParameter("not a valid mobile number", param_hint="MOBILE") from None
    if db.session.scalar(select(Staff.id).where(Staff.national_code == national_code)):
        raise click.ClickException("a staff member with this national code already exists")
    staff = Staff(
        national_code=national_code,
        mobile=mobile,
        role=role,
        user_handle=secrets.token_bytes(32),
        created_at=clock.now(),
    )
    db.session.add(staff)
    db.session.flush()
    audit.record("staff_created", subject=f"staff:{staff.id}", role=role, by="cli")
    db.session.commit()  # a CLI command is its own boundary: one commit, the member and the audit
    click.echo(staff.id)


@staff_cli.command("set-role")
@click.argument("national_code")
@click.argument("role", type=click.Choice(STAFF_ROLES))
def set_role(national_code: str, role: str) -> None:
    """Give a staff member another role (one each): e.g. a branch's `insurance` officer, who
    keeps every branch screen and reviews the documents sent from the app. Audited."""
    staff = _staff_of(national_code)
    old, staff.role = staff.role, role
    audit.record("staff_role_changed", subject=f"staff:{staff.id}", old=old, role=role, by="cli")
    db.session.commit()  # a CLI command is its own boundary: the change and its audit
    click.echo(f"{old} -> {role}")


def _staff_of(national_code: str) -> Staff:
    """The staff member with this national code; a usage error when there is none."""
    try:
        national_code = normalise(national_code)
    except InvalidNationalCode:
        raise click.BadParameter("not a valid national code", param_hint="NATIONAL_CODE") from None
    staff = db.session.scalar(select(Staff).where(Staff.national_code == national_code))
    if staff is None:
        raise click.ClickException("no staff member has this national code")
    return staff


@staff_cli.command("revoke-passkeys")
@click.argument("national_code")
def revoke_passkeys(national_code: str) -> None:
    """A staff member lost their passkey's device: remove their passkeys and end their sessions
    (audited, their mobile told); the next sign-in makes a new one. Print how many went."""
    from ..auth.sms import backend_from_config
    from ..database import commit_and_follow
    from .lost_passkey import let_staff_enrol_again

    staff = _staff_of(national_code)
    removed = let_staff_enrol_again(staff, backend_from_config(current_app.config), by="cli")
    commit_and_follow(db.session())  # its own boundary: the removal and its audit, then the SMS
    click.echo(removed)
