"""survey themes import|export SLUG FILE.csv: a workshop's theme codebook (docs/exports.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.cli.exports import OutputPath, write_beside
from survey.coding.theme_file import import_themes, theme_file
from survey.coding.themes import workshop_themes
from survey.extensions import db
from survey.models import Workshop
from survey.organise.workshops import workshop_by_slug
from survey.text import quantity

themes_cli = AppGroup("themes", help="A workshop's theme codebook for coding the free text.")


def found_workshop(slug: str) -> Workshop:
    """The workshop of this slug, or the command's error."""
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    return workshop


def finish_import(file: Path, result, dry_run: bool, done: str) -> None:
    """Report an import's result (`problems`, `summary()`): every problem with its line and
    nothing written, or what a dry run would do, or commit it and say `done`."""
    if result.problems:
        db.session.rollback()
        for problem in result.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        count = len(result.problems)
        raise click.ClickException(f"{quantity(count, 'problem')} found; nothing was imported.")
    if dry_run:
        click.echo(f"Dry run: the file is valid: {result.summary()}. Nothing was written.")
        return
    db.session.commit()
    click.echo(f"{done}: {result.summary()}.")


@themes_cli.command("export")
@click.argument("slug")
@click.argument("file", type=OutputPath())
def export_(slug: str, file: Path) -> None:
    """Write the codebook: theme, label, description, parent."""
    workshop = found_workshop(slug)
    text = theme_file(workshop)
    write_beside(file, [text.encode("utf-8")])
    # Counted, not read off the lines: a description may hold line breaks.
    themes = quantity(len(workshop_themes(workshop)), "theme")
    click.echo(f"Wrote {themes} to {file}.", err=True)


@themes_cli.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_(slug: str, file: Path, dry_run: bool) -> None:
    """Add the file's themes and update those it names (nothing is written if a line is bad)."""
    workshop = found_workshop(slug)
    result = import_themes(workshop, file.read_bytes(), dry_run=dry_run)
    finish_import(file, result, dry_run, "Imported the codebook")
