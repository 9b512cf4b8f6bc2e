"""The long file: one row per answered item of a submitted response (docs/exports.md)."""

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from survey.exports.spec import AnswerRecord, ExportSpec, timestamp

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


_RESPONSE_ID = itemgetter(AnswerRecord._fields.index("response_id"))
_ROW = itemgetter(-1)


def long_rows(records: Iterable[AnswerRecord], spec: ExportSpec) -> Iterator[list[str]]:
    """Rows in file order from records ordered by participant, wave order and response.

    Only one response's answers are held at a time: they are put into instrument order here,
    which SQL cannot do, while the database does the sorting by participant and wave.
    """
    language = spec.language
    for _, answers in groupby(records, key=_RESPONSE_ID):
        answers = list(answers)
        first = answers[0]
        participant, group, sector, wave, _, response_language, version_id, submitted_at = first[:8]
        version = spec.versions[version_id]
        order, labels = version.order, version.labels(language)
        unknown = len(order)  # anything not in the instrument sorts last, by code
        # Constant within a response: computed once, not per row.
        head = (spec.workshop, participant, group, sector or "", wave)
        tail = (response_language, version.label, timestamp(submitted_at))
        rows = []
        # Once per answer: records are unpacked by position (attribute access on a database
        # row costs more than the rest of the row's work) and labels come from dicts.
        for *_, question, item, number, text in answers:
            value = str(number) if number is not None else (text or "")  # stored_value
            question_labels = labels.get(question)
            label = question_labels.label(item, value) if question_labels else ""
            # (question, item) is unique within a response: the sort never compares the rows.
            position = order.get((question, item), unknown)
            rows.append((position, question, item, [*head, question, item, value, label, *tail]))
        rows.sort()
        yield from map(_ROW, rows)
