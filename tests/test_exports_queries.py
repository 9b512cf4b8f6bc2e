"""The export's database work: a constant number of statements whatever the size."""

import pytest

from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.queries import answer_count, answer_records, respondent_count
from tests import exports_data


def touching(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if f" {table} " in s.lower() or f"{table}." in s.lower()]


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_the_number_of_statements_does_not_grow_with_the_participants(
    app, make, count_statements, fmt
):
    small, large = make.workshop("small"), make.workshop("large")
    make.submitted_in_bulk(small, 10, exports_data.CORE, submitted_at=exports_data.at(1))
    make.submitted_in_bulk(large, 1000, exports_data.CORE, submitted_at=exports_data.at(1))

    with count_statements() as few:
        assert b"".join(start_export(small, ExportOptions(fmt)).chunks)
    with count_statements() as many:
        assert b"".join(start_export(large, ExportOptions(fmt)).chunks)

    assert len(few.statements) == len(many.statements)
    # long: one count and one streamed select of the answers, beside one of their responses;
    # wide, the workbook and the statistics bundles: one streamed select (their count is of
    # respondents); the package: the long count and a select per data file (long, wide, and
    # the codings of the free text), the long file's responses besides.
    answers = {
        ExportFormat.LONG: 2,
        ExportFormat.WIDE: 1,
        ExportFormat.CODEBOOK: 0,
        ExportFormat.DATAPACKAGE: 4,
        ExportFormat.XLSX: 1,
        ExportFormat.SPSS: 1,
        ExportFormat.STATA: 1,
        ExportFormat.R: 1,
    }[fmt]
    responses = 1 if fmt in (ExportFormat.LONG, ExportFormat.DATAPACKAGE) else 0
    assert len(touching(many.statements, "answer")) == answers, many.statements
    assert len(many.statements) <= answers + responses + 6
    # The export's read transaction and the audit event's own.
    assert many.begins <= 2


def test_counts_match_the_streamed_rows(app, make):
    ws = exports_data.build(make, "counted")
    records = list(answer_records(ws))
    assert answer_count(ws) == len(records) == 76
    assert respondent_count(ws) == len({r.participant for r in records}) == 3
