"""survey invitations export|send|remind"""

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.cli.exports import OutputPath, write_beside
from survey.extensions import db
from survey.links import PublicAddressError, base_url
from survey.mail.errors import MailError
from survey.mail.schedule import manual_round
from survey.mail.sending import BatchResult, send_batch
from survey.models import MessageKind
from survey.organise.invitations import export_invitations
from survey.organise.workshops import workshop_by_slug
from survey.text import quantity

invitations_cli = AppGroup("invitations", help="Personal invitation links, by file or e-mail.")

BASE_URL = click.option(
    "--base-url", "base", default=None, help="Public address of the site; default PUBLIC_URL."
)
DRY_RUN = click.option("--dry-run", is_flag=True, help="Say who would get a message; send none.")
RESEND_UNKNOWN = click.option(
    "--resend-unknown",
    is_flag=True,
    help="Also send again the messages whose outcome is unknown (recorded, never confirmed).",
)


@invitations_cli.command("export")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    required=True,
    type=OutputPath(writable=True),
    help="The CSV file to write.",
)
@BASE_URL
def export(slug: str, output: Path, base: str | None) -> None:
    """Write the mail-merge CSV: external_id, name, email, group, language, link."""
    workshop = _workshop(slug)
    body, rows = export_invitations(workshop, public_base(base), via="cli")
    write_beside(output, [body.encode("utf-8")])
    db.session.commit()
    click.echo(f"Wrote {quantity(rows, 'invitation')} to {output}.")


@invitations_cli.command("send")
@click.argument("slug")
@click.argument("wave_code", metavar="WAVE")
@DRY_RUN
@RESEND_UNKNOWN
@BASE_URL
def send(slug: str, wave_code: str, dry_run: bool, resend_unknown: bool, base) -> None:
    """E-mail the wave's invitation to everyone with an address who has not been sent it."""
    wave = _wave(slug, wave_code)
    _run(wave, MessageKind.INVITATION, "", base, dry_run, resend_unknown)


@invitations_cli.command("remind")
@click.argument("slug")
@click.argument("wave_code", metavar="WAVE")
@DRY_RUN
@RESEND_UNKNOWN
@BASE_URL
def remind(slug: str, wave_code: str, dry_run: bool, resend_unknown: bool, base) -> None:
    """E-mail a reminder to those who have not submitted the wave (once per day's round)."""
    wave = _wave(slug, wave_code)
    _run(wave, MessageKind.REMINDER, manual_round(wave), base, dry_run, resend_unknown)


def _run(wave, kind, round_, base, dry_run: bool, resend_unknown: bool) -> None:
    try:
        result = send_batch(
            wave,
            kind,
            round_,
            base=public_base(base),
            via="cli",
            resend_unknown=resend_unknown,
            dry_run=dry_run,
        )
    except MailError as error:
        raise click.ClickException(str(error)) from None
    echo_result(result)


def echo_result(result: BatchResult, prefix: str = "") -> None:
    """The line of counts, then the failures, unknown outcomes, skips and any stop; a batch
    that stopped early is an error (exit status 1)."""
    click.echo(prefix + result.counts())
    for line in result.details():
        click.echo(f"  {line}")
    if result.stopped:
        raise click.ClickException(f"the batch stopped: {result.stopped}")


def _workshop(slug: str):
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    return workshop


def _wave(slug: str, code: str):
    workshop = _workshop(slug)
    wave = workshop.wave(code)
    if wave is None:
        known = ", ".join(w.code for w in workshop.waves)
        raise click.ClickException(f"no wave {code!r} in {slug} (waves: {known})")
    return wave


def public_base(base: str | None) -> str:
    """Where the messages' links point: --base-url, else PUBLIC_URL."""
    try:
        return base_url(base)
    except PublicAddressError as error:
        raise click.ClickException(str(error)) from None
