"""`survey instruments`: list the shipped questionnaires and validate definition files."""

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.instruments import (
    InstrumentError,
    load_instrument,
    shipped_instrument,
    shipped_instruments,
)

instruments_cli = AppGroup("instruments", help="List and validate questionnaire definitions.")


@instruments_cli.command("list")
def list_command() -> None:
    """List the shipped instruments with their languages, waves and question counts."""
    rows = [("KEY", "VERSION", "LANGUAGES", "WAVES", "QUESTIONS")]
    for key in shipped_instruments():
        instrument = shipped_instrument(key)
        per_wave = ", ".join(
            f"{wave} {len(instrument.questions_for_wave(wave))}" for wave in instrument.waves
        )
        rows.append(
            (
                instrument.key,
                instrument.version_label,
                ", ".join(instrument.languages),
                ", ".join(instrument.waves),
                f"{len(instrument.questions)} ({per_wave})",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@instruments_cli.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate_command(file: Path) -> None:
    """Check an instrument FILE (YAML or JSON) and report every problem, one per line."""
    try:
        load_instrument(file, source=str(file))
    except InstrumentError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from None
    click.echo(f"{file}: ok")
