"""The responses file: one row per submitted response with how it was given (docs/exports.md,
"responses"): where from, in which language and questionnaire version, consent, when it was
begun and submitted, and the order in which each of its rankings first listed its items."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from survey.exports.spec import ExportSpec, naive_utc, timestamp
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
    "first_saved_at",
    "submitted_at",
    "seconds_to_submit",
    "display_seed",
)
ORDER_SUFFIX = "_order"
#: What each column holds, for the data package's Table Schema (docs/exports.md, "responses").
DESCRIPTIONS = {
    "workshop": "The workshop's short name (slug).",
    "participant": "Pseudonymous participant id, unique within the workshop; never a name.",
    "group": "The participant's side of the dialogue.",
    "wave": "The wave the response was given in.",
    "source": "web: answered here; import: a paper questionnaire typed in.",
    "language": "The language the participant answered in.",
    "instrument_version": "The questionnaire version (key@version) the response was given in.",
    "consent_version": "The consent text's version, on the response where consent was given.",
    "consent_at": "When the participant agreed, on that response (UTC).",
    "started_at": "When the participant's browser first showed the questionnaire (UTC).",
    "first_saved_at": "The participant's first act: consent, a page saved or the submit (UTC).",
    "submitted_at": "When the response was submitted (UTC).",
    "seconds_to_submit": "Whole seconds from started_at to submitted_at, breaks included.",
    "display_seed": "The seed the response's orders are drawn from (see docs/domain.md).",
}


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
    first_saved_at: datetime | None
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
    return tuple(response_descriptions(spec))


def response_descriptions(spec: ExportSpec) -> dict[str, str]:
    """Each column of the file, in order, with what it holds."""
    orders = {
        q.code + ORDER_SUFFIX: f"The items of {q.code} in the order the ranking first listed "
        "them for this response, separated by spaces."
        for q in ordered_questions(spec)
    }
    return {name: DESCRIPTIONS[name] for name in RESPONSE_COLUMNS} | orders


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
        first_saved_at,
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
            timestamp(first_saved_at) if web else "",
            timestamp(submitted_at),
            _seconds(started_at, submitted_at) if web else "",
            str(seed) if web else "",
            *orders,
        )


def _seconds(started_at: datetime | None, submitted_at: datetime | None) -> str:
    """Whole seconds from the first page opened to the submit (breaks and resumes included)."""
    if started_at is None or submitted_at is None:
        return ""
    seconds = (naive_utc(submitted_at) - naive_utc(started_at)).total_seconds()
    return str(max(0, int(seconds)))
