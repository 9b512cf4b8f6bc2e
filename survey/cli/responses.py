"""survey responses import SLUG FILE.csv [--dry-run]"""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from survey.exports.importer import import_long
from survey.extensions import db
from survey.organise.workshops import workshop_by_slug
from survey.text import quantity

responses_cli = AppGroup("responses", help="Import responses typed in from paper.")


@responses_cli.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_(slug: str, file: Path, dry_run: bool) -> None:
    """Import responses in the long export format (e.g. paper questionnaires typed in)."""
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    data = file.read_bytes()
    if sys.stderr.isatty():
        lines = data.count(b"\n")
        with click.progressbar(length=lines, label="Checking", file=sys.stderr) as bar:
            result = import_long(workshop, data, dry_run=dry_run, progress=bar.update)
    else:
        result = import_long(workshop, data, dry_run=dry_run)
    if not result.ok:
        db.session.rollback()
        for problem in result.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(
            f"{quantity(len(result.problems), 'problem')} found; nothing was imported."
        )
    if dry_run:
        click.echo(
            f"Dry run: the file is valid and would import {result.described}. Nothing was written."
        )
        return
    db.session.commit()
    click.echo(f"Imported {result.described}.")
