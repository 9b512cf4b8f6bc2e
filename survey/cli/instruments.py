"""`survey instruments`: list the shipped and stored questionnaires, validate and import
definition files (YAML, JSON or XLSForm), export any version, and compare two versions."""

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.cli.exports import OutputPath, write_beside
from survey.extensions import db
from survey.instruments import InstrumentError, load_instrument
from survey.instruments.diff import classified_changes
from survey.instruments.exporting import FORMATS, definition_file
from survey.instruments.library import library
from survey.instruments.store import VersionNotFound, find, import_file
from survey.instruments.xlsform import XlsFormLoss
from survey.text import quantity

instruments_cli = AppGroup(
    "instruments", help="List, validate, import, export and compare questionnaires."
)


@instruments_cli.command("list")
def list_command() -> None:
    """List the shipped instruments and the stored versions, with their languages, waves and
    question counts."""
    rows = [("KEY", "VERSION", "LANGUAGES", "WAVES", "QUESTIONS", "SOURCE")]
    for entry in library(None):
        if entry.shipped is not None:
            rows.append(_row(entry.key, entry.shipped, "shipped file"))
        for version in entry.versions:
            source = version.origin.value
            if version.filename:
                source += f" from {version.filename}"
            if version.based_on is not None:
                source += f" from {version.based_on.label}"
            source += f", {version.created_at:%Y-%m-%d}"
            rows.append(_row(version.label, version.instrument, source))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _row(label: str, instrument, source: str) -> tuple[str, ...]:
    per_wave = ", ".join(
        f"{wave} {len(instrument.questions_for_wave(wave))}" for wave in instrument.waves
    )
    return (
        label,
        instrument.version_label,
        ", ".join(instrument.languages),
        ", ".join(instrument.waves),
        f"{len(instrument.questions)} ({per_wave})",
        source,
    )


@instruments_cli.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate_command(file: Path) -> None:
    """Check an instrument FILE (YAML, JSON or XLSForm .xlsx) and report every problem, one
    per line."""
    try:
        load_instrument(file, source=str(file))
    except InstrumentError as error:
        _fail(error)
    click.echo(f"{file}: ok")


@instruments_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Validate an instrument FILE (YAML, JSON or XLSForm .xlsx) and store it as a new
    version; print KEY@VERSION. Nothing is stored unless the whole file is valid."""
    try:
        version, new = import_file(file.read_bytes(), file.name, source=str(file))
    except InstrumentError as error:
        db.session.rollback()
        _fail(error)
    db.session.commit()
    click.echo(version.label if new else f"{version.label} (already stored: unchanged)")


@instruments_cli.command("export")
@click.argument("reference", metavar="KEY[@VERSION]")
@click.option(
    "--format", "file_format", type=click.Choice(list(FORMATS)), required=True, help="File format."
)
@click.option("-o", "--output", type=OutputPath(), required=True)
def export_command(reference: str, file_format: str, output: Path) -> None:
    """Write a stored version (KEY@VERSION) or the shipped file (KEY) as YAML or XLSForm."""
    try:
        found = find(reference)
    except VersionNotFound as error:
        raise click.ClickException(str(error)) from None
    heading = f"{found.label}: exported by Dialogue Survey (docs/instrument-format.md)"
    try:
        data = definition_file(found.instrument.definition, file_format, heading=heading)
    except XlsFormLoss as error:
        raise click.ClickException(f"{found.label}: {error}") from None
    write_beside(output, [data])
    click.echo(f"{found.label} -> {output}")


@instruments_cli.command("diff")
@click.argument("before", metavar="KEY@VERSION")
@click.argument("after", metavar="KEY@VERSION")
def diff_command(before: str, after: str) -> None:
    """List the changes from one version to another, each wording or structural."""
    try:
        old, new = find(before), find(after)
    except VersionNotFound as error:
        raise click.ClickException(str(error)) from None
    changes = classified_changes(old.instrument.definition, new.instrument.definition)
    for change in changes:
        shift = f": {change.before!r} -> {change.after!r}" if change.before or change.after else ""
        click.echo(f"{change.category}\t{change.where}\t{change.what}{shift}")
    structural = sum(change.structural for change in changes)
    click.echo(
        f"{quantity(len(changes), 'change')}, {structural} structural, "
        f"{len(changes) - structural} wording",
        err=True,
    )


def _fail(error: InstrumentError) -> None:
    for problem in error.problems:
        click.echo(problem, err=True)
    raise SystemExit(1)
