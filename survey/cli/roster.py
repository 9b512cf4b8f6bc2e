"""survey roster import"""

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.extensions import db
from survey.organise.roster import parse_roster
from survey.organise.roster_import import apply_roster
from survey.organise.roster_plan import RowAction
from survey.organise.workshops import workshop_by_slug
from survey.text import quantity

roster_cli = AppGroup("roster", help="Import a workshop's participants.")

VERBS = {
    RowAction.ADDED: "add",
    RowAction.UPDATED: "update",
    RowAction.UNCHANGED: "keep",
    RowAction.SKIPPED: "skip",
}


@roster_cli.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change.")
def import_(slug: str, file: Path, dry_run: bool) -> None:
    """Import or update participants from a CSV file (nothing is written if a line is bad)."""
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    plan = parse_roster(workshop, file.read_bytes())
    for problem in plan.problems:
        click.echo(f"{file.name}: {problem}", err=True)
    if not plan.valid:
        raise click.ClickException(
            f"{quantity(len(plan.problems), 'problem')} in {file.name}; nothing was imported"
        )
    for line in plan.lines:
        who = line.public_id or line.name or line.external_id or line.email or "(no name)"
        changes = f" ({', '.join(line.changes)})" if line.changes else ""
        click.echo(f"line {line.line}: {VERBS[line.action]} {who} [{line.group}]{changes}")
    for note in plan.notes:
        click.echo(f"note: {note}")
    counts = plan.counts()
    summary = ", ".join(f"{n} {action}" for action, n in counts.items())
    if dry_run:
        click.echo(f"Dry run, nothing written: would have {summary}.")
        return
    apply_roster(workshop, plan, filename=file.name)
    db.session.commit()
    click.echo(f"Imported into {slug}: {summary}.")
