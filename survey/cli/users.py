"""survey users list|create|password|two-step-off|grant"""

import sys

import click
from flask.cli import AppGroup

from survey.auth import two_step
from survey.auth.users import (
    UserError,
    add_grant,
    register_user,
    set_password,
    staff_users,
    user_by_email,
)
from survey.extensions import db
from survey.models import Role, StaffUser
from survey.organise.workshops import workshop_by_slug

users_cli = AppGroup("users", help="Staff accounts and their roles.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("list")
def list_() -> None:
    """List the staff accounts: e-mail, admin or not, active or suspended, the last sign-in
    (UTC), the roles and whether two-step sign-in is on, one account a line, tab-separated."""
    for user in staff_users():
        roles = ", ".join(
            sorted(f"{grant.role.value} of {grant.workshop.slug}" for grant in user.grants)
        )
        signed_in = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "never"
        click.echo(
            "\t".join(
                [
                    user.email,
                    "admin" if user.is_admin else "staff",
                    "active" if user.active else "suspended",
                    signed_in,
                    roles or "-",
                    "two-step" if user.two_step else "password only",
                ]
            )
        )


@users_cli.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Give the global admin role.")
def create(email: str, admin: bool) -> None:
    """Create a staff account; the password comes from a prompt or standard input."""
    try:
        user = register_user(email, _read_password(), admin=admin)
        db.session.commit()
    except UserError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.email}{' (admin)' if admin else ''}.")


@users_cli.command("password")
@click.argument("email")
def password(email: str) -> None:
    """Give an account a new password (from a prompt or standard input) and end its sessions:
    for someone who has forgotten theirs, an admin among them."""
    user = _user(email)
    try:
        set_password(user, _read_password())
    except UserError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"The password of {user.email} is changed; its sessions have ended.")


@users_cli.command("two-step-off")
@click.argument("email")
def two_step_off(email: str) -> None:
    """Turn off an account's two-step sign-in, for someone who lost their phone and their
    recovery codes: their password alone signs them in again."""
    user = _user(email)
    try:
        two_step.turn_off(user, actor="cli")
    except two_step.TwoStepError as error:
        raise click.ClickException(f"{user.email}: {error}") from None
    db.session.commit()
    click.echo(f"Two-step sign-in is off for {user.email}.")


@users_cli.command("grant")
@click.argument("email")
@click.argument("slug")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
def grant(email: str, slug: str, role: str) -> None:
    """Give a user a role in one workshop."""
    user = _user(email)
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    added = add_grant(user, workshop, Role(role))
    db.session.commit()
    click.echo(f"{user.email} is {'now' if added else 'already'} {role} of {slug}.")


def _user(email: str) -> StaffUser:
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user {email}")
    return user
