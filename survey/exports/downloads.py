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
from survey.exports.archive import zip_chunks
from survey.exports.codebook import CODEBOOK_COLUMNS, codebook_rows, variable_type
from survey.exports.csvfile import csv_lines, csv_text, encoded_chunks
from survey.exports.datapackage import (
    CODEBOOK_NAME,
    CODINGS_NAME,
    LONG_NAME,
    THEMES_NAME,
    WIDE_NAME,
    descriptor_member,
)
from survey.exports.dictionary import declared_variables
from survey.exports.long import LONG_COLUMNS, long_lines
from survey.exports.pairs import PAIR_COLUMNS, PAIRS_NAME, pair_rows
from survey.exports.queries import (
    answer_count,
    export_spec,
    respondent_count,
    response_count,
    response_paradata,
    submitted_responses,
)
from survey.exports.responses import RESPONSES_NAME, response_header, response_rows
from survey.exports.rscript import r_syntax
from survey.exports.spec import ExportSpec
from survey.exports.spss import spss_rows, spss_syntax
from survey.exports.stata import stata_syntax
from survey.exports.wide import ID_COLUMNS, wide_header, wide_rows, wide_variables
from survey.exports.xlsx import MIME_TYPE, NUMBER, TEXT, Sheet, workbook_chunks
from survey.extensions import db
from survey.models import StaffUser, Workshop

AUDIT_ACTION = "export.download"


class ExportFormat(enum.StrEnum):
    LONG = "long"
    WIDE = "wide"
    CODEBOOK = "codebook"
    RESPONSES = "responses"  # one row per submitted response: how it was given
    DATAPACKAGE = "datapackage"
    XLSX = "xlsx"  # the wide data and the codebook as typed sheets
    SPSS = "spss"  # a zip of the wide CSV, its codebook and the syntax that labels it
    STATA = "stata"
    R = "r"


#: The CSV files a spreadsheet-safe download escapes (the rest keep exact values).
CSV_FORMATS = frozenset(
    {ExportFormat.LONG, ExportFormat.WIDE, ExportFormat.CODEBOOK, ExportFormat.RESPONSES}
)
#: Per statistics package: the syntax file's extension and what writes it.
SYNTAX = {
    ExportFormat.SPSS: ("sps", spss_syntax),
    ExportFormat.STATA: ("do", stata_syntax),
    ExportFormat.R: ("R", r_syntax),
}
#: Codebook columns that hold numbers (the xlsx sheet types them).
CODEBOOK_NUMBERS = frozenset({"minimum", "maximum", "non_response_code"})


class ExportError(ValueError):
    """Options that cannot be exported, with a message for the user."""


@dataclass(frozen=True)
class ExportOptions:
    format: ExportFormat
    labels: bool = False  # wide: labels instead of codes (long keeps codes; see codebook)
    language: str | None = None  # of labels and texts; the instrument's default when None
    spreadsheet: bool = False  # BOM and escaped cells; for the CSV files only

    @property
    def spreadsheet_safe(self) -> bool:
        return self.spreadsheet and self.format in CSV_FORMATS

    @property
    def labelled(self) -> bool:
        """Labels instead of codes: never in the syntax bundles, whose syntax applies them."""
        return self.labels and self.format not in SYNTAX


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
    spec = export_spec(workshop, language=options.language, labels=options.labelled)
    _check_language(spec)
    fmt = options.format
    if fmt is ExportFormat.CODEBOOK:
        codebook = list(codebook_rows(spec))
        count = len(codebook)
        chunks = _csv(CODEBOOK_COLUMNS, codebook, options.spreadsheet_safe, progress)
    elif fmt is ExportFormat.LONG:
        count = answer_count(workshop)
        chunks = _long_csv(workshop, spec, options.spreadsheet_safe, progress)
    elif fmt is ExportFormat.RESPONSES:
        count = response_count(workshop)
        chunks = _responses_csv(workshop, spec, options.spreadsheet_safe, progress)
    elif fmt is ExportFormat.DATAPACKAGE:
        count = answer_count(workshop)
        chunks = _package(workshop, spec, progress)
    else:  # one row per participant: the wide file, alone or with its codebook
        count = respondent_count(workshop)
        if fmt is ExportFormat.WIDE:
            rows = wide_rows(submitted_responses(workshop), spec)
            chunks = _csv(wide_header(spec), rows, options.spreadsheet_safe, progress)
        elif fmt is ExportFormat.XLSX:
            chunks = _workbook(workshop, spec, progress)
        else:
            chunks = _syntax_bundle(workshop, spec, fmt, progress)
    _record_download(workshop, options, spec, count, actor)
    return Export(*_file_name(workshop, options, spec), count, _closing(chunks))


def _file_name(workshop: Workshop, options: ExportOptions, spec: ExportSpec) -> tuple[str, str]:
    """The download's file name and content type."""
    fmt = options.format
    default = spec.instrument.default_language
    labelled = options.labelled
    language = f"-{spec.language}" if labelled or spec.language != default else ""
    suffix = ("-labels" if labelled else "") + language
    suffix += "-spreadsheet" if options.spreadsheet_safe else ""
    if fmt is ExportFormat.XLSX:
        return f"{workshop.slug}-data{suffix}.xlsx", MIME_TYPE
    if fmt in CSV_FORMATS:
        return f"{workshop.slug}-{fmt}{suffix}.csv", "text/csv; charset=utf-8"
    return f"{workshop.slug}-{fmt}{suffix}.zip", "application/zip"


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


def _long_csv(workshop: Workshop, spec: ExportSpec, spreadsheet: bool, progress) -> Iterator[bytes]:
    lines = long_lines(submitted_responses(workshop), spec, spreadsheet=spreadsheet)
    return encoded_chunks(csv_text(LONG_COLUMNS, lines, spreadsheet=spreadsheet, progress=progress))


def _responses_csv(
    workshop: Workshop, spec: ExportSpec, spreadsheet: bool, progress
) -> Iterator[bytes]:
    rows = response_rows(response_paradata(workshop), spec)
    return _csv(response_header(spec), rows, spreadsheet, progress)


def _package(workshop: Workshop, spec: ExportSpec, progress) -> Iterator[bytes]:
    def members():
        # A generator: each member's select starts once the previous member is written.
        yield f"{LONG_NAME}.csv", _long_csv(workshop, spec, False, progress)
        rows = wide_rows(submitted_responses(workshop), spec)
        yield f"{WIDE_NAME}.csv", _csv(wide_header(spec), rows, False, None)
        yield f"{CODEBOOK_NAME}.csv", _csv(CODEBOOK_COLUMNS, codebook_rows(spec), False, None)
        yield f"{RESPONSES_NAME}.csv", _responses_csv(workshop, spec, False, None)
        # The coding of the free text (docs/coding.md), read in the same snapshot.
        yield (
            f"{CODINGS_NAME}.csv",
            _csv(CODING_COLUMNS, coding_rows(workshop, spec.instrument), False, None),
        )
        yield (
            f"{THEMES_NAME}.csv",
            _csv(THEME_COLUMNS, theme_rows(workshop_themes(workshop)), False, None),
        )
        yield _pairs_member(workshop, spec)

    return zip_chunks(members(), closing=descriptor_member(spec))


def _pairs_member(workshop: Workshop, spec: ExportSpec) -> tuple[str, Iterator[bytes]]:
    """`pairs.csv`: the participants the linking code pairs, whom the statistics count as one
    person (docs/exports.md, "pairs")."""
    rows = pair_rows(workshop, [wave.code for wave in spec.waves])
    return f"{PAIRS_NAME}.csv", _csv(PAIR_COLUMNS, rows, False, None)


def _workbook(workshop: Workshop, spec: ExportSpec, progress) -> Iterator[bytes]:
    """The wide data and the codebook as typed sheets (docs/exports.md, "xlsx")."""
    types = [TEXT] * len(ID_COLUMNS) + [
        variable_type(variable, spec.labels) for variable in wide_variables(spec)
    ]
    data = _counted(wide_rows(submitted_responses(workshop), spec), progress)
    codebook_types = [NUMBER if name in CODEBOOK_NUMBERS else TEXT for name in CODEBOOK_COLUMNS]
    return workbook_chunks(
        [
            Sheet("data", wide_header(spec), types, data),
            Sheet("codebook", CODEBOOK_COLUMNS, codebook_types, codebook_rows(spec)),
        ]
    )


def _syntax_bundle(
    workshop: Workshop, spec: ExportSpec, fmt: ExportFormat, progress
) -> Iterator[bytes]:
    """The plain wide CSV, its codebook, the pairs, the responses file and the syntax that
    reads and labels the wide file, zipped."""
    extension, syntax = SYNTAX[fmt]
    data_file = f"{WIDE_NAME}.csv"
    text = syntax(declared_variables(spec), data_file=data_file, title=spec.title)

    def members():
        rows = wide_rows(submitted_responses(workshop), spec)
        if fmt is ExportFormat.SPSS:
            rows = spss_rows(rows)  # SPSS reads a value within one line
        yield data_file, _csv(wide_header(spec), rows, False, progress)
        yield f"{CODEBOOK_NAME}.csv", _csv(CODEBOOK_COLUMNS, codebook_rows(spec), False, None)
        yield _pairs_member(workshop, spec)
        yield f"{RESPONSES_NAME}.csv", _responses_csv(workshop, spec, False, None)
        yield f"{WIDE_NAME}.{extension}", [text.encode("utf-8")]

    return zip_chunks(members())


def _counted(rows, progress):
    """The rows, telling `progress` of each (as csv_lines does for the CSV files)."""
    for row in rows:
        yield row
        if progress:
            progress(1)


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
            "labels": options.labelled,
            "language": spec.language,
            "spreadsheet": options.spreadsheet_safe,
            "rows": rows,
        },
    )
    db.session.expunge(event)
    with Session(db.engine) as session, session.begin():
        session.add(event)
