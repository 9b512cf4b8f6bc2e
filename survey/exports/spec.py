"""What an export needs to know besides the answers: waves, instrument versions, options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from survey.instruments import Instrument, Question, QuestionKind
from survey.memo import Kept

#: `submitted_at` in every file: UTC, whole seconds (docs/exports.md).
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
#: The profile question whose options are the codes of the `sector` column.
SECTOR_QUESTION = "sector"


class ResponseRecord(NamedTuple):
    """A submitted response as the export's stream of responses has it, with what its answers
    share (queries.response_records); its answers come apart, as AnswerValue.

    The select's rows are not converted to these classes (that would cost a call per row):
    the serializers unpack them by position, so the order here is the select's order.
    `submitted_at` comes as the database returns it: naive on SQLite, meaning UTC.
    """

    response_id: int
    participant: str
    group: str
    sector: str | None
    wave: str
    language: str
    version_id: int
    submitted_at: datetime | None


class AnswerValue(NamedTuple):
    """One answer as the export's stream of answers has it (queries.answer_values)."""

    response_id: int
    question: str
    item: str
    number: int | None
    text: str | None


@dataclass(frozen=True)
class VersionInfo:
    """A stored instrument version: its label (key@version), the instrument, its item order."""

    label: str
    instrument: Instrument

    @property
    def order(self) -> Mapping[tuple[str, str], int]:
        return instrument_order(self.instrument)

    def labels(self, language: str) -> Mapping[str, QuestionLabels]:
        """Question code -> its labels in `language` (built once per instrument and language)."""
        return question_labels(self.instrument, language)


@dataclass(frozen=True)
class WaveInfo:
    code: str
    version: VersionInfo

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.version.instrument.questions_for_wave(self.code)


@dataclass(frozen=True)
class ExportSpec:
    """One workshop's export settings; the serializers need nothing else."""

    workshop: str  # the slug
    title: str
    groups: tuple[str, ...]
    waves: tuple[WaveInfo, ...]
    versions: Mapping[int, VersionInfo]  # by InstrumentVersion.id
    language: str = "en"
    labels: bool = False

    @property
    def instrument(self) -> Instrument:
        """The first wave's instrument: groups, languages and sectors come from it."""
        return self.waves[0].version.instrument


_ORDERS: Kept[str, dict[tuple[str, str], int]] = Kept(64)


def instrument_order(instrument: Instrument) -> dict[tuple[str, str], int]:
    """(question, item) -> position in the instrument; items of rankings in their own order."""
    return _ORDERS.get(instrument.checksum, lambda: _order(instrument))


def _order(instrument: Instrument) -> dict[tuple[str, str], int]:
    order: dict[tuple[str, str], int] = {}
    for question in instrument.questions:
        for item in item_codes(question):
            order[(question.code, item)] = len(order)
    return order


def item_codes(question: Question) -> tuple[str, ...]:
    """The `item` values a question's answers carry: "" except for rankings."""
    return question.kind.item_codes(question)


def timestamp(moment: datetime | None) -> str:
    """`submitted_at` as the files write it; a naive moment is UTC (as models.UTCDateTime reads
    what SQLite stores)."""
    if moment is None:
        return ""
    # TIMESTAMP_FORMAT's text, written four times faster than strftime writes it.
    return naive_utc(moment).isoformat(timespec="seconds") + "Z"


def naive_utc(moment: datetime) -> datetime:
    """The moment in UTC without its zone; a naive one is UTC already (as models.UTCDateTime
    reads what SQLite stores)."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def stored_value(number: int | None, text: str | None) -> str:
    """The `value` cell: the stored integer (code, number, rank, -9) or text (code, free text)."""
    return str(number) if number is not None else (text or "")


@dataclass(frozen=True)
class QuestionLabels:
    """One question's labels in one language, looked up in dicts built once per export."""

    kind: QuestionKind
    non_response: str | None  # the non-response code as the `value` cell has it, if allowed
    non_response_label: str
    codes: Mapping[str, str]  # option code -> label; a ranking's item code -> label

    def label(self, item: str, value: str) -> str:
        """The label of a coded value (a ranking's: its item's); "" when uncoded."""
        if value == self.non_response:
            return self.non_response_label
        return self.kind.value_label(self.codes, item, value)


_LABELS: Kept[tuple[str, str], dict[str, QuestionLabels]] = Kept(64)


def question_labels(instrument: Instrument, language: str) -> dict[str, QuestionLabels]:
    """Question code -> its labels in `language`; the dicts replace a scan of the options."""
    return _LABELS.get((instrument.checksum, language), lambda: _labels(instrument, language))


def _labels(instrument: Instrument, language: str) -> dict[str, QuestionLabels]:
    non_response = str(instrument.non_response_code)
    labels = {}
    for question in instrument.questions:
        codes: dict[str, str] = {}
        # The first option of a code wins, as a scan would find.
        for option in question.kind.labelled_options(question):
            codes.setdefault(str(option.code), option.label(language))
        allowed = question.allows_non_response
        labels[question.code] = QuestionLabels(
            kind=question.kind,
            non_response=non_response if allowed else None,
            non_response_label=instrument.non_response_label(language) if allowed else "",
            codes=codes,
        )
    return labels


def question_or_none(instrument: Instrument, code: str) -> Question | None:
    try:
        return instrument.question(code)
    except KeyError:
        return None


def id_labels(spec: ExportSpec) -> dict[str, dict[str, str]]:
    """Code -> label in the export's language, in the codes' order, for each id column that
    holds codes: `group` (the groups' names) and `sector` (the sector question's options; no
    codes when the instrument has none). `participant` is an id, not a code."""
    instrument = spec.instrument
    sector = question_or_none(instrument, SECTOR_QUESTION)
    return {
        "group": {code: instrument.group(code).name(spec.language) for code in spec.groups},
        "sector": {str(o.code): o.label(spec.language) for o in sector.options} if sector else {},
    }
