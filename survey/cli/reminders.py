"""survey reminders run: the scheduled reminders that are due now (for cron or a timer)."""

import click
from flask.cli import AppGroup

from survey.cli.invitations import BASE_URL, DRY_RUN, echo_result, public_base
from survey.mail.errors import MailError
from survey.mail.schedule import due_reminders, round_label
from survey.mail.sending import send_batch
from survey.models import MessageKind
from survey.text import quantity

reminders_cli = AppGroup("reminders", help="Scheduled reminder e-mails.")


@reminders_cli.command("run")
@DRY_RUN
@BASE_URL
def run(dry_run: bool, base: str | None) -> None:
    """Send every wave's reminder round that its schedule makes due now."""
    due = due_reminders()
    if not due:
        click.echo("nothing due")
        return
    base = public_base(base)
    problems = []
    for entry in due:
        wave = entry.wave
        prefix = f"{wave.workshop.slug} {wave.code}, {round_label(entry.round)}: "
        try:
            result = send_batch(
                wave,
                MessageKind.REMINDER,
                entry.round,
                base=base,
                via="schedule",
                dry_run=dry_run,
                audit_empty=False,
            )
            echo_result(result, prefix)
        except (MailError, click.ClickException) as error:
            message = error.message if isinstance(error, click.ClickException) else str(error)
            click.echo(f"{prefix}{message}", err=True)
            problems.append(message)
    if problems:
        batches = quantity(len(problems), "batch", "batches")
        raise click.ClickException(f"{batches} could not finish")
