"""The long file: one row per answered item of a submitted response (DESIGN §6)."""

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import attrgetter

from survey.exports.spec import (
    AnswerRecord,
    ExportSpec,
    question_or_none,
    stored_value,
    timestamp,
    value_label,
)

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


def long_rows(records: Iterable[AnswerRecord], spec: ExportSpec) -> Iterator[list[str]]:
    """Rows in file order from records ordered by participant, wave order and response.

    Only one response's answers are held at a time: they are put into instrument order here,
    which SQL cannot do, while the database does the sorting by participant and wave.
    """
    for _, answers in groupby(records, key=attrgetter("response_id")):
        answers = list(answers)
        version = spec.versions[answers[0].version_id]
        instrument, order = version.instrument, version.order
        unknown = len(order)  # anything not in the instrument sorts last, by code
        answers.sort(key=lambda a: (order.get((a.question, a.item), unknown), a.question, a.item))
        first = answers[0]
        # Constant within a response: computed once, not per row.
        head = [spec.workshop, first.participant, first.group, first.sector or "", first.wave]
        tail = [first.language, version.label, timestamp(first.submitted_at)]
        for answer in answers:
            value = stored_value(answer.number, answer.text)
            question = question_or_none(instrument, answer.question)
            label = value_label(instrument, question, answer.item, value, spec.language)
            yield [*head, answer.question, answer.item, value, label, *tail]
