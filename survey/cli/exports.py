"""survey export SLUG --format long|wide|codebook|responses|datapackage|xlsx|spss|stata|r -o PATH"""

import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click
from flask.cli import with_appcontext

from survey.exports.downloads import ExportError, ExportFormat, ExportOptions, start_export
from survey.organise.workshops import workshop_by_slug
from survey.text import quantity


class OutputPath(click.Path):
    """A file to write, in a folder that exists and can be written to. Checked as the arguments
    are read: a mistyped folder is a bad argument (exit status 2) found before the export
    starts, so no download is recorded for a file that could not be written."""

    def __init__(self, **options) -> None:
        super().__init__(dir_okay=False, path_type=Path, **options)

    def convert(self, value, param, ctx) -> Path:
        if not str(value).strip():
            self.fail("An empty name is not a file.", param, ctx)
        path = super().convert(value, param, ctx)
        # The file is written beside its target and renamed over it: a pipe or a device (a FIFO,
        # /dev/null) would be replaced by a file, not written to.
        if path.exists() and not path.is_file():
            self.fail(f"{click.format_filename(path)!r} is not a file.", param, ctx)
        folder = path.parent
        if not folder.is_dir():
            self.fail(f"Folder {click.format_filename(folder)!r} does not exist.", param, ctx)
        if not os.access(folder, os.W_OK):
            self.fail(f"Folder {click.format_filename(folder)!r} is not writable.", param, ctx)
        return path


@click.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    required=True,
    help="long: one row per answer (also the import format); wide: one row per participant; "
    "codebook; responses: one row per submitted response, how it was given (source, "
    "language, consent, times, the orders drawn for it); datapackage: a zip of the long, wide, "
    "codebook, responses, codings, themes and pairs files with a Frictionless "
    "datapackage.json; xlsx: the wide data and the codebook as typed sheets; spss, stata, r: "
    "a zip of the wide file, its codebook, the pairs, the responses file and the syntax that "
    "labels the wide file.",
)
@click.option("-o", "--output", type=OutputPath(), required=True)
@click.option(
    "--labels",
    is_flag=True,
    help="Labels instead of codes in the wide data (the wide file, the workbook's data sheet, "
    "the data package's wide file); the spss, stata and r bundles keep codes.",
)
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
        # The file is made before the export starts, and records the download: a file that
        # cannot be made is no download.
        with file_beside(output) as file:
            try:
                export = start_export(workshop, options, progress=bar.update if bar else None)
            except ExportError as error:  # an option the workshop cannot be exported with
                raise click.BadParameter(str(error)) from None
            if bar:
                bar.length = export.row_count
            for chunk in export.chunks:
                file.write(chunk)
    finally:
        if bar:
            bar.render_finish()
    click.echo(f"Wrote {quantity(export.row_count, 'row')} to {output}.", err=True)


def write_beside(output: Path, chunks: Iterable[bytes]) -> None:
    """Write the chunks to `output` through a file beside it (file_beside)."""
    with file_beside(output) as file:
        for chunk in chunks:
            file.write(chunk)


@contextmanager
def file_beside(output: Path) -> Iterator[BinaryIO]:
    """A new file beside `output`, renamed to it when the block completes and removed if the
    block fails: an interrupted export leaves no file that looks complete."""
    try:
        handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    except OSError as error:  # e.g. the folder removed since OutputPath checked it
        raise _cannot_write(output, error) from None
    try:
        with os.fdopen(handle, "wb") as file:
            yield file
        os.replace(temporary, output)
    except OSError as error:  # e.g. a full disk
        Path(temporary).unlink(missing_ok=True)
        raise _cannot_write(output, error) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cannot_write(output: Path, error: OSError) -> click.ClickException:
    return click.ClickException(f"cannot write {output}: {error.strerror or error}")


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
