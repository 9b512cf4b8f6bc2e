"""Starting an export: one snapshot for the count and the rows, the audit event, options."""

import csv
import io

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from survey.exports.downloads import ExportError, ExportFormat, ExportOptions, start_export
from survey.extensions import db
from survey.models import Answer, AuditEvent, Participant, Response
from tests import exports_data


def test_rows_written_later_do_not_change_a_started_export(app, make):
    ws = exports_data.build(make, "snapshot")
    export = start_export(ws, ExportOptions(ExportFormat.LONG))
    response_id = db.session.scalar(
        select(Response.id).join(Participant).where(Participant.public_id == "P-en2")
    )
    # Another connection adds an answer after the count, before the rows are read.
    with Session(db.engine) as other, other.begin():
        other.execute(
            insert(Answer).values(response_id=response_id, question="optimism", item="", number=5)
        )

    data = b"".join(export.chunks)

    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert len(rows) - 1 == export.row_count == 76
    assert b",optimism,,5," not in data.split(b"P-late3")[0]
    again = start_export(ws, ExportOptions(ExportFormat.LONG))
    assert again.row_count == 77
    again.chunks.close()


def test_the_download_is_audited_before_the_first_byte(app, make):
    ws = exports_data.build(make, "audited")
    export = start_export(ws, ExportOptions(ExportFormat.WIDE, labels=True), actor="tester")

    with Session(db.engine) as other:
        event = other.scalar(select(AuditEvent).where(AuditEvent.action == "export.download"))
    assert event.actor == "tester" and event.workshop_id == ws.id
    assert event.detail == {
        "format": "wide",
        "labels": True,
        "language": "en",
        "spreadsheet": False,
        "rows": 3,
    }
    export.chunks.close()


def test_the_data_package_is_never_spreadsheet_safe(app, make):
    ws = make.workshop("package-plain")
    export = start_export(ws, ExportOptions(ExportFormat.DATAPACKAGE, spreadsheet=True))
    b"".join(export.chunks)

    assert export.filename == "package-plain-datapackage.zip"
    assert db.session.scalar(select(AuditEvent.detail))["spreadsheet"] is False


def test_filenames_name_the_options(app, make):
    ws = make.workshop("names")
    options = ExportOptions(ExportFormat.CODEBOOK, labels=True, language="fr", spreadsheet=True)
    export = start_export(ws, options)
    export.chunks.close()
    assert export.filename == "names-codebook-labels-fr-spreadsheet.csv"
    assert export.content_type == "text/csv; charset=utf-8"


def test_an_unknown_language_is_refused_and_not_audited(app, make):
    ws = make.workshop("no-german")
    with pytest.raises(ExportError, match="no language 'de'"):
        start_export(ws, ExportOptions(ExportFormat.LONG, language="de"))
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
