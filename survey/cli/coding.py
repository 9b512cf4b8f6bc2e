"""survey coding export|import|agreement: the codings of the free text (docs/coding.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.cli.exports import OutputPath, file_beside
from survey.cli.themes import finish_import, found_workshop
from survey.coding.agreement import agreement_json, workshop_agreement
from survey.coding.coding_file import CODING_COLUMNS, export_codings, import_codings
from survey.exports.csvfile import csv_lines, encoded_chunks
from survey.extensions import db
from survey.text import quantity

coding_cli = AppGroup("coding", help="Codings of the free-text answers, and their agreement.")


@coding_cli.command("export")
@click.argument("slug")
@click.option("-o", "--output", type=OutputPath(), required=True)
def export_(slug: str, output: Path) -> None:
    """Write every coder's codings and the final ones: participant, wave, question, coder,
    theme."""
    workshop = found_workshop(slug)
    with file_beside(output) as file:  # made first: a file that cannot be made is no export
        rows = export_codings(workshop, spreadsheet=False)
        db.session.commit()
        for chunk in encoded_chunks(csv_lines(CODING_COLUMNS, rows)):
            file.write(chunk)
    click.echo(f"Wrote {quantity(len(rows), 'row')} to {output}.", err=True)


@coding_cli.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_(slug: str, file: Path, dry_run: bool) -> None:
    """Bring codings back (e.g. coded in a spreadsheet); all or nothing."""
    workshop = found_workshop(slug)
    result = import_codings(workshop, file.read_bytes(), dry_run=dry_run)
    finish_import(file, result, dry_run, "Imported")


@coding_cli.command("agreement")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the agreement as JSON.")
def agreement(slug: str, as_json: bool) -> None:
    """Agreement per theme of each pair of coders who coded the same answers."""
    pairs = workshop_agreement(found_workshop(slug))
    if as_json:
        click.echo(agreement_json(pairs))
        return
    if not pairs:
        click.echo("No two coders have coded the same answers yet.")
    for pair in pairs:
        click.echo(f"{pair.question}: {pair.coders[0]} and {pair.coders[1]}, n = {pair.n}")
        for t in pair.themes:
            numbers = "  ".join(
                f"{name} {_number(t[key])}"
                for name, key in (
                    ("agreement %", "percent_agreement"),
                    ("kappa", "cohen_kappa"),
                    ("alpha", "krippendorff_alpha"),
                )
            )
            note = f"  ({t['reason'].replace('_', ' ')})" if t["reason"] else ""
            click.echo(f"  {t['theme']}: {numbers}{note}")


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
