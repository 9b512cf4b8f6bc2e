"""The responses file: one row per submitted response with how it was given (docs/exports.md,
"responses"): where from, in which language and questionnaire version, consent, when it was
begun and submitted, and the order in which each of its rankings first listed its items."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import NamedTuple

from survey.exports.spec import ExportSpec, timestamp
from survey.instruments import Question
from survey.models import ResponseSource

RESPONSES_NAME = "responses"
#: The columns every responses file has, in this order; `<question>_order` columns follow.
RESPONSE_COLUMNS = (
    "workshop",
    "participant",
    "group",
    "wave",
    "source",
    "language",
    "instrument_version",
    "consent_version",
    "consent_at",
    "started_at",
    "submitted_at",
    "seconds_to_submit",
    "display_seed",
)
ORDER_SUFFIX = "_order"


class ResponseParadata(NamedTuple):
    """A submitted response as survey.exports.queries.response_paradata selects it (rows are
    unpacked by position, not converted: the order here is the select's). Moments come as
    the database returns them: naive on SQLite, meaning UTC."""

    participant: str
    group: str
    wave: str
    source: ResponseSource
    language: str
    version_id: int
    consent_version: str | None
    consent_at: datetime | None
    started_at: datetime | None
    submitted_at: datetime | None
    display_seed: int


def ordered_questions(spec: ExportSpec) -> list[Question]:
    """The questions whose items a response lists in an order drawn for it, each once, in
    wave then instrument order."""
    found: dict[str, Question] = {}
    for wave in spec.waves:
        for question in wave.questions:
            if question.kind.draws_order:
                found.setdefault(question.code, question)
    return list(found.values())


def response_header(spec: ExportSpec) -> tuple[str, ...]:
    return RESPONSE_COLUMNS + tuple(q.code + ORDER_SUFFIX for q in ordered_questions(spec))


def response_rows(paradata: Iterable[ResponseParadata], spec: ExportSpec) -> Iterator[tuple]:
    """The file's rows from the submitted responses' paradata
    (survey.exports.queries.response_paradata).

    A response given on the web has its display seed and the orders drawn from it, as its
    questionnaire showed them; an imported (paper) one has neither, nor a consent time or a
    duration: it was typed in, not answered here.
    """
    codes = [q.code for q in ordered_questions(spec)]
    asked: dict[tuple[int, str], dict[str, Question]] = {}  # (version, wave) -> its questions
    for (
        participant,
        group,
        wave,
        source,
        language,
        version_id,
        consent_version,
        consent_at,
        started_at,
        submitted_at,
        seed,
    ) in paradata:
        version = spec.versions[version_id]
        questions = asked.get((version_id, wave))
        if questions is None:
            questions = {q.code: q for q in version.instrument.questions_for_wave(wave)}
            asked[version_id, wave] = questions
        web = source == ResponseSource.WEB
        orders = [
            " ".join(questions[code].kind.drawn_order(questions[code], seed))
            if web and code in questions
            else ""
            for code in codes
        ]
        yield (
            spec.workshop,
            participant,
            group,
            wave,
            str(source),
            language,
            version.label,
            consent_version or "",
            timestamp(consent_at),
            timestamp(started_at) if web else "",
            timestamp(submitted_at),
            _seconds(started_at, submitted_at) if web else "",
            str(seed) if web else "",
            *orders,
        )


def _seconds(started_at: datetime | None, submitted_at: datetime | None) -> str:
    """Whole seconds from the first page opened to the submit (breaks and resumes included)."""
    if started_at is None or submitted_at is None:
        return ""
    return str(max(0, int((_utc(submitted_at) - _utc(started_at)).total_seconds())))


def _utc(moment: datetime) -> datetime:
    """A naive UTC moment (SQLite's are naive, meaning UTC)."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
