"""survey export SLUG --format long|wide|codebook|datapackage|xlsx|spss|stata|r -o PATH"""

import os
import sys
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from survey.exports.downloads import ExportError, ExportFormat, ExportOptions, start_export
from survey.organise.workshops import workshop_by_slug


@click.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    required=True,
    help="long: one row per answer (also the import format); wide: one row per participant; "
    "codebook; datapackage: a zip of all three with a Frictionless datapackage.json; xlsx: "
    "the wide data and the codebook as typed sheets; spss, stata, r: a zip of the wide file, "
    "its codebook and the syntax that labels it.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--labels", is_flag=True, help="Labels instead of codes in the wide file.")
@click.option("--language", default=None, help="Language of labels and texts (default: en).")
@click.option("--spreadsheet", is_flag=True, help="Spreadsheet-safe CSV: BOM and escaped cells.")
@with_appcontext
def export_command(
    slug: str, fmt: str, output: Path, labels: bool, language: str | None, spreadsheet: bool
) -> None:
    """Export a workshop's submitted responses for analysis."""
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    options = ExportOptions(ExportFormat(fmt), labels, language, spreadsheet)
    bar = _progress_bar()
    try:
        export = start_export(workshop, options, progress=bar.update if bar else None)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    if bar:
        bar.length = export.row_count
    try:
        write_beside(output, export.chunks)
    finally:
        if bar:
            bar.render_finish()
    click.echo(f"Wrote {export.row_count} rows to {output}.", err=True)


def write_beside(output: Path, chunks) -> None:
    """Write the chunks to a file beside `output`, renamed to it when complete: an interrupted
    export leaves no file that looks complete."""
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _terminal():
    """Standard error if it is a terminal: progress is for people, not for logs and pipes."""
    return sys.stderr if sys.stderr.isatty() else None


def _progress_bar():
    terminal = _terminal()
    if terminal is None:
        return None
    bar = click.progressbar(length=1, label="Exporting", file=terminal, show_pos=True)
    bar.__enter__()
    return bar
