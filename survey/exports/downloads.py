"""Starting an export: options, the read transaction, the row count, the audit event, the stream.

The web view and the CLI both call `start_export` and only copy its chunks somewhere.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from survey.audit import record
from survey.coding.coding_file import CODING_COLUMNS, coding_rows
from survey.coding.theme_file import THEME_COLUMNS, theme_rows
from survey.coding.themes import workshop_themes
from survey.database import begin_read
from survey.exports.codebook import CODEBOOK_COLUMNS, codebook_rows
from survey.exports.csvfile import csv_lines, encoded_chunks
from survey.exports.datapackage import (
    CODEBOOK_NAME,
    CODINGS_NAME,
    LONG_NAME,
    THEMES_NAME,
    WIDE_NAME,
    package_descriptor,
    zip_chunks,
)
from survey.exports.long import LONG_COLUMNS, long_rows
from survey.exports.queries import answer_count, answer_records, export_spec, respondent_count
from survey.exports.spec import ExportSpec
from survey.exports.wide import wide_header, wide_rows
from survey.extensions import db
from survey.models import StaffUser, Workshop

AUDIT_ACTION = "export.download"


class ExportFormat(enum.StrEnum):
    LONG = "long"
    WIDE = "wide"
    CODEBOOK = "codebook"
    DATAPACKAGE = "datapackage"


class ExportError(ValueError):
    """Options that cannot be exported, with a message for the user."""


@dataclass(frozen=True)
class ExportOptions:
    format: ExportFormat
    labels: bool = False  # wide: labels instead of codes (long keeps codes; see codebook)
    language: str | None = None  # of labels and texts; the instrument's default when None
    spreadsheet: bool = False  # BOM and escaped cells; never for the data package

    @property
    def spreadsheet_safe(self) -> bool:
        return self.spreadsheet and self.format is not ExportFormat.DATAPACKAGE


@dataclass
class Export:
    """A started export: what to call the file, how many rows it has, and its bytes."""

    filename: str
    content_type: str
    row_count: int  # data rows of the file (the long file's for the data package)
    chunks: Iterator[bytes]


def start_export(
    workshop: Workshop,
    options: ExportOptions,
    *,
    actor: StaffUser | str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Export:
    """Open a read transaction, count the rows, record the download and return the stream.

    Ends the session's current transaction first: the count and the streamed select must come
    from one snapshot taken by a reader (a SQLite reader never blocks participants' saves).
    """
    db.session.commit()
    begin_read()
    spec = export_spec(workshop, language=options.language, labels=options.labels)
    _check_language(spec)
    fmt = options.format
    if fmt is ExportFormat.CODEBOOK:
        codebook = list(codebook_rows(spec))
        count = len(codebook)
        chunks = _csv(CODEBOOK_COLUMNS, codebook, options.spreadsheet_safe, progress)
    elif fmt is ExportFormat.WIDE:
        count = respondent_count(workshop)
        rows = wide_rows(answer_records(workshop), spec)
        chunks = _csv(wide_header(spec), rows, options.spreadsheet_safe, progress)
    elif fmt is ExportFormat.LONG:
        count = answer_count(workshop)
        rows = long_rows(answer_records(workshop), spec)
        chunks = _csv(LONG_COLUMNS, rows, options.spreadsheet_safe, progress)
    else:
        count = answer_count(workshop)
        chunks = _package(workshop, spec, progress)
    _record_download(workshop, options, spec, count, actor)
    default = spec.instrument.default_language
    language = f"-{spec.language}" if options.labels or spec.language != default else ""
    suffix = ("-labels" if options.labels else "") + language
    suffix += "-spreadsheet" if options.spreadsheet_safe else ""
    if fmt is ExportFormat.DATAPACKAGE:
        filename, content_type = f"{workshop.slug}-datapackage{suffix}.zip", "application/zip"
    else:
        filename, content_type = f"{workshop.slug}-{fmt}{suffix}.csv", "text/csv; charset=utf-8"
    return Export(filename, content_type, count, _closing(chunks))


def _check_language(spec: ExportSpec) -> None:
    for wave in spec.waves:
        languages = wave.version.instrument.languages
        if spec.language not in languages:
            raise ExportError(
                f"no language {spec.language!r} in the instrument (languages: "
                f"{', '.join(languages)})"
            )


def _csv(header, rows, spreadsheet: bool, progress) -> Iterator[bytes]:
    return encoded_chunks(csv_lines(header, rows, spreadsheet=spreadsheet, progress=progress))


def _package(workshop: Workshop, spec: ExportSpec, progress) -> Iterator[bytes]:
    def members():
        # A generator: each member's select starts once the previous member is written.
        records = answer_records(workshop)
        yield LONG_NAME, _csv(LONG_COLUMNS, long_rows(records, spec), False, progress)
        records = answer_records(workshop)
        yield WIDE_NAME, _csv(wide_header(spec), wide_rows(records, spec), False, None)
        yield CODEBOOK_NAME, _csv(CODEBOOK_COLUMNS, codebook_rows(spec), False, None)
        # The coding of the free text (docs/coding.md), read in the same snapshot.
        yield (
            CODINGS_NAME,
            _csv(CODING_COLUMNS, coding_rows(workshop, spec.instrument), False, None),
        )
        yield THEMES_NAME, _csv(THEME_COLUMNS, theme_rows(workshop_themes(workshop)), False, None)

    return zip_chunks(members(), lambda stats: package_descriptor(spec, stats))


def _closing(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks, then the end of the read transaction (also when the client goes away)."""
    try:
        yield from chunks
    finally:
        db.session.rollback()


def _record_download(
    workshop: Workshop, options: ExportOptions, spec: ExportSpec, rows: int, actor
) -> None:
    """Record the download in a transaction of its own, committed before the first byte.

    The export's own transaction is a reader's snapshot and must stay one; a write in it
    would take SQLite's write lock for the whole download.
    """
    event = record(
        AUDIT_ACTION,
        workshop=workshop,
        actor=actor,
        detail={
            "format": options.format.value,
            "labels": options.labels,
            "language": spec.language,
            "spreadsheet": options.spreadsheet_safe,
            "rows": rows,
        },
    )
    db.session.expunge(event)
    with Session(db.engine) as session, session.begin():
        session.add(event)
