"""The long file: one row per answered item of a submitted response (docs/exports.md)."""

from collections.abc import Iterable, Iterator
from operator import itemgetter

from survey.exports.csvfile import LINE_END, Cells
from survey.exports.spec import AnswerValue, ExportSpec, ResponseRecord, timestamp

#: The columns, in this order; also the import format's header.
LONG_COLUMNS = (
    "workshop",
    "participant",
    "group",
    "sector",
    "wave",
    "question",
    "item",
    "value",
    "label",
    "language",
    "instrument_version",
    "submitted_at",
)

_TEXT = itemgetter(3)  # of a written answer (see long_lines)


def long_lines(
    answered: Iterable[tuple[ResponseRecord, list[AnswerValue]]],
    spec: ExportSpec,
    *,
    spreadsheet: bool = False,
) -> Iterator[str]:
    """The file's lines as CSV text (each with its line end; spreadsheet-safe when asked), from
    the submitted responses with their answers (survey.exports.queries.submitted_responses).

    A response's answers are put into instrument order here, which SQL cannot do, while the
    database sorts the responses by participant and wave. What a response's lines share (who,
    which wave, when) is written once per response, and the question, item, value and label
    of an answer that is not free text once per export.
    """
    write = Cells(spreadsheet=spreadsheet)
    language = spec.language
    # (version, question, item, value) -> (position, question, item, text of those four cells)
    written: dict[tuple[int, str, str, str], tuple[int, str, str, str]] = {}
    for response, answers in answered:
        _, participant, group, sector, wave, response_language, version_id, submitted_at = response
        version = spec.versions[version_id]
        order, labels = version.order, version.labels(language)
        unknown = len(order)  # anything not in the instrument sorts last, by code
        start = write((spec.workshop, participant, group, sector or "", wave), starts_line=True)
        end = write((response_language, version.label, timestamp(submitted_at)))
        rows = []
        # Once per answer: rows are unpacked by position (attribute access on a database row
        # costs more than the rest of the row's work).
        for _, question, item, number, text in answers:
            value = str(number) if number is not None else (text or "")  # stored_value
            key = (version_id, question, item, value)
            row = written.get(key)
            if row is None:
                question_labels = labels.get(question)
                label = question_labels.label(item, value) if question_labels else ""
                position = order.get((question, item), unknown)
                row = (position, question, item, write((question, item, value, label)))
                # Free text is seldom written twice: kept, it would only grow the dict.
                if question_labels is not None and not question_labels.kind.free_text:
                    written[key] = row
            rows.append(row)
        # (question, item) is unique within a response: the sort never compares the texts.
        rows.sort()
        yield from (f"{start},{text},{end}{LINE_END}" for text in map(_TEXT, rows))
