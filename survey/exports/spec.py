"""What an export needs to know besides the answers: waves, instrument versions, options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from survey.instruments import Instrument, Option, Question, QuestionKind

#: `submitted_at` in every file: UTC, whole seconds (DESIGN §6).
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class AnswerRecord(NamedTuple):
    """One answer of a submitted response, as the streamed export query returns it."""

    participant: str
    group: str
    sector: str | None
    wave: str
    response_id: int
    language: str
    version_id: int
    submitted_at: datetime | None
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


_ORDERS: dict[str, dict[tuple[str, str], int]] = {}


def instrument_order(instrument: Instrument) -> dict[tuple[str, str], int]:
    """(question, item) -> position in the instrument; items of rankings in their own order."""
    order = _ORDERS.get(instrument.checksum)
    if order is None:
        order = {}
        for question in instrument.questions:
            for item in item_codes(question):
                order[(question.code, item)] = len(order)
        _ORDERS[instrument.checksum] = order
    return order


def item_codes(question: Question) -> tuple[str, ...]:
    """The `item` values a question's answers carry: "" except for rankings."""
    if question.kind is QuestionKind.RANKING:
        return tuple(str(item.code) for item in question.items)
    return ("",)


def timestamp(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT) if moment else ""


def stored_value(number: int | None, text: str | None) -> str:
    """The `value` cell: the stored integer (code, number, rank, -9) or text (code, free text)."""
    return str(number) if number is not None else (text or "")


def _option(options: tuple[Option, ...], code: str) -> Option | None:
    return next((option for option in options if str(option.code) == code), None)


def value_label(
    instrument: Instrument, question: Question | None, item: str, value: str, language: str
) -> str:
    """The label of a coded value in `language` (a ranking's: its item's); "" when uncoded.

    A multiple choice is stored as its codes separated by spaces: its label lists their labels.
    """
    if question is None:
        return ""
    if question.allows_non_response and value == str(instrument.non_response_code):
        return instrument.non_response_label(language)
    if question.kind is QuestionKind.RANKING:
        option = _option(question.items, item)
    elif question.kind is QuestionKind.MULTI:
        chosen = [_option(question.options, code) for code in value.split()]
        return "; ".join(option.label(language) for option in chosen if option)
    elif question.kind in (QuestionKind.SCALE, QuestionKind.CHOICE, QuestionKind.YES_NO):
        option = _option(question.options, value)
    else:
        option = None
    return option.label(language) if option else ""


def question_or_none(instrument: Instrument, code: str) -> Question | None:
    try:
        return instrument.question(code)
    except KeyError:
        return None
