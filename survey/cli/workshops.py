"""survey workshops create|list|remove-personal-data|delete and survey waves open|close"""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from survey.extensions import db
from survey.models import Wave, Workshop
from survey.organise.copying import copy_setup
from survey.organise.deletion import (
    delete_workshop,
    holdings,
    personal_data,
    remove_personal_data,
    why_personal_data_stays,
)
from survey.organise.time_zones import place_zones
from survey.organise.workshops import (
    WorkshopError,
    close_wave_now,
    create_workshop_for,
    open_wave_now,
    workshop_by_slug,
)
from survey.text import quantity

workshops_cli = AppGroup("workshops", help="Create, list and delete workshops.")
waves_cli = AppGroup("waves", help="Open or close a workshop's waves.")


def _time_zone(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A time zone's IANA name; any other is a bad argument (exit status 2)."""
    if value not in place_zones():
        raise click.BadParameter(f"{value!r} is not an IANA time zone name, e.g. Asia/Karachi")
    return value


@workshops_cli.command("create")
@click.argument("slug")
@click.option("--title", required=True)
@click.option(
    "--instrument",
    "instrument_key",
    default=None,
    metavar="KEY[@VERSION]",
    help="A shipped instrument or a stored version. Default: nato-pakistan-2014.",
)
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    callback=_time_zone,
    help="IANA name, e.g. Asia/Karachi",
)
@click.option("--place", default=None)
@click.option(
    "--copy-from",
    "copy_from",
    default=None,
    metavar="SLUG",
    help="Set it up as this workshop: group labels, contact, messages, reminders, themes.",
)
def create(
    slug: str, title: str, instrument_key: str | None, timezone: str, place, copy_from
) -> None:
    """Create a workshop from an instrument, with its groups and (closed) waves."""
    source = _workshop(copy_from) if copy_from else None
    try:
        workshop = create_workshop_for(
            None,
            slug,
            title,
            instrument_key=instrument_key or current_app.config["DEFAULT_INSTRUMENT"],
            timezone=timezone,
            place=place,
        )
    except WorkshopError as error:
        raise click.ClickException(str(error)) from None
    if source is not None:
        copy_setup(source, workshop, actor="cli")
    db.session.commit()
    version = workshop.waves[0].instrument_version.label
    set_up = f", set up as {source.slug}" if source else ""
    click.echo(f"Created workshop {workshop.slug} ({version}, {workshop.timezone}{set_up}).")


@workshops_cli.command("list")
def list_() -> None:
    """List the workshops with their waves' states."""
    for workshop in db.session.scalars(select(Workshop).order_by(Workshop.slug)):
        waves = ", ".join(f"{w.code} {w.state().value}" for w in workshop.waves)
        click.echo(f"{workshop.slug}\t{workshop.title}\t{workshop.timezone}\t{waves}")


@workshops_cli.command("delete")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask to type the workshop's slug first.")
def delete(slug: str, yes: bool) -> None:
    """Delete a workshop and everything it holds, personal data included (the questionnaire
    versions and the audit log stay). Asks to type its slug, unless --yes."""
    workshop = _workshop(slug)
    held = holdings(workshop)
    if not yes:
        click.echo(
            f"{workshop.title}: {quantity(held.participants, 'participant')}, "
            f"{held.submitted} submitted and {held.in_progress} in progress "
            f"{'response' if held.submitted + held.in_progress == 1 else 'responses'}, "
            f"{quantity(held.answers, 'answer')}, {quantity(held.messages, 'e-mail')}, "
            f"{quantity(held.codings, 'coding')}. This cannot be undone."
        )
        _confirm_slug(workshop, "delete it")
    delete_workshop(workshop)
    db.session.commit()
    click.echo(f"Deleted workshop {slug} and everything it held.")


@workshops_cli.command("remove-personal-data")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask to type the workshop's slug first.")
def remove_personal_data_command(slug: str, yes: bool) -> None:
    """Remove the participants' names, e-mail addresses, roster ids, e-mail log and reminder
    schedule, keeping their anonymous answers (not while a wave is open or due to open). Asks
    to type its slug, unless --yes."""
    workshop = _workshop(slug)
    if (why := why_personal_data_stays(workshop)) is not None:
        raise click.ClickException(f"not removed: {why}")
    held = personal_data(workshop)
    if not yes:
        click.echo(f"{workshop.title}: {held.described}. The answers stay. This cannot be undone.")
        _confirm_slug(workshop, "remove its participants' personal data")
    remove_personal_data(workshop)
    db.session.commit()
    click.echo(f"Removed the personal data of {slug}'s participants; their answers stay.")


def _workshop(slug: str) -> Workshop:
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    return workshop


def _confirm_slug(workshop: Workshop, what: str) -> None:
    typed = click.prompt(f"Type the workshop's slug to {what}", default="", show_default=False)
    if typed.strip().lower() != workshop.slug:
        raise click.ClickException("nothing done: the slug typed does not match")


def _wave(slug: str, code: str):
    workshop = _workshop(slug)
    wave = workshop.wave(code)
    if wave is None:
        known = ", ".join(w.code for w in workshop.waves)
        raise click.ClickException(f"no wave {code!r} in {slug} (waves: {known})")
    return workshop, wave


@waves_cli.command("open")
@click.argument("slug")
@click.argument("wave_code", metavar="WAVE")
def open_(slug: str, wave_code: str) -> None:
    """Open a wave now (not one that is open)."""
    _, wave = _wave(slug, wave_code)
    _change_wave(slug, wave, wave.why_not_open(), open_wave_now, "open")


@waves_cli.command("close")
@click.argument("slug")
@click.argument("wave_code", metavar="WAVE")
def close(slug: str, wave_code: str) -> None:
    """Close an open wave now."""
    _, wave = _wave(slug, wave_code)
    _change_wave(slug, wave, wave.why_not_close(), close_wave_now, "closed")


def _change_wave(slug: str, wave: Wave, refused: str | None, change, state: str) -> None:
    """Change the wave unless it is `refused` (why not, as Wave.why_not_open says)."""
    if refused is not None:
        raise click.ClickException(f"{slug} {wave.code} is {refused}; nothing changed")
    change(wave)
    db.session.commit()
    click.echo(f"{slug} {wave.code} is {state}.")
