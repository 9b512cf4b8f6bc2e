"""The export's database work: a constant number of statements whatever the size."""

import pytest

from survey.exports.downloads import SYNTAX, ExportFormat, ExportOptions, start_export
from survey.exports.queries import answer_count, respondent_count, side_by_side, submitted_responses
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
    # long: one count and one streamed select of the answers (beside one of their responses);
    # wide, the workbook and the statistics bundles: one streamed select of the answers and one
    # of their responses (their count is of respondents); the package: the long count and a
    # select of the answers per data file (long, wide, and the codings of the free text);
    # the responses file reads no answer: a count and one streamed select of the responses.
    answers = {
        ExportFormat.LONG: 2,
        ExportFormat.WIDE: 1,
        ExportFormat.CODEBOOK: 0,
        ExportFormat.RESPONSES: 0,
        ExportFormat.DATAPACKAGE: 4,
        ExportFormat.XLSX: 1,
        ExportFormat.SPSS: 1,
        ExportFormat.STATA: 1,
        ExportFormat.R: 1,
    }[fmt]
    # The package and the statistics bundles hold the responses file: one select more.
    responses = {
        ExportFormat.CODEBOOK: 0,
        ExportFormat.RESPONSES: 2,
        ExportFormat.DATAPACKAGE: 3,
        **dict.fromkeys(SYNTAX, 2),
    }.get(fmt, 1)
    # The package and the bundles hold the pairs the linking code makes: its match report.
    paired = fmt in (ExportFormat.DATAPACKAGE, *SYNTAX)
    assert len(touching(many.statements, "answer")) == answers, many.statements
    assert len(many.statements) <= answers + responses + paired + 6
    # The export's read transaction and the audit event's own.
    assert many.begins <= 2


def test_counts_match_the_streamed_rows(app, make):
    ws = exports_data.build(make, "counted")
    answered = list(submitted_responses(ws))
    assert answer_count(ws) == sum(len(answers) for _, answers in answered) == 76
    assert respondent_count(ws) == len({response.participant for response, _ in answered}) == 3
    # Each response once, its answers with it.
    assert all(a.response_id == r.response_id for r, answers in answered for a in answers)
    assert len({r.response_id for r, _ in answered}) == len(answered)


def test_the_two_streams_are_paired_by_response():
    responses = [(1, "P-a"), (2, "P-b"), (3, "P-c"), (4, "P-d")]  # 2 and 4: nothing answered
    answers = [(1, "q", "", 1, None), (3, "q", "", 2, None), (3, "r", "", 3, None)]

    assert list(side_by_side(iter(responses), answers)) == [
        ((1, "P-a"), [answers[0]]),
        ((2, "P-b"), []),
        ((3, "P-c"), answers[1:]),
        ((4, "P-d"), []),
    ]
    assert list(side_by_side(iter(responses[:2]), [])) == [((1, "P-a"), []), ((2, "P-b"), [])]
    with pytest.raises(LookupError):  # answers of a response the other select does not have
        list(side_by_side(responses[:1], [*answers[:1], (2, "q", "", 1, None)]))
