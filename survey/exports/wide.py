"""The wide file: one row per participant, a column per wave and variable, then the scores."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby, islice

from survey.analysis.records import ScoreSpec
from survey.analysis.scores import scores_of
from survey.exports.spec import (
    AnswerValue,
    ExportSpec,
    ResponseRecord,
    WaveInfo,
    id_labels,
    item_codes,
    stored_value,
)
from survey.instruments import Question, ScoreDef

ID_COLUMNS = ("participant", "group", "sector")


@dataclass(frozen=True)
class Variable:
    """A column of the wide file after the id columns: a question (item) or a score of a wave."""

    name: str
    wave: WaveInfo
    question: Question | None = None
    item: str = ""
    score: ScoreDef | None = None


def wide_variables(spec: ExportSpec) -> list[Variable]:
    """`<wave>_<question>[_<item>]` in wave then instrument order, then `<wave>_<score>_score`."""
    variables = [
        Variable(
            f"{wave.code}_{question.code}" + (f"_{item}" if item else ""), wave, question, item
        )
        for wave in spec.waves
        for question in wave.questions
        for item in item_codes(question)
    ]
    variables += [
        Variable(f"{wave.code}_{name}_score", wave, score=score)
        for wave in spec.waves
        for name, score in wave.version.instrument.scores.items()
    ]
    return variables


def wide_header(spec: ExportSpec) -> list[str]:
    return [*ID_COLUMNS, *(variable.name for variable in wide_variables(spec))]


#: Participants held at once: their scores are computed together (numpy over a block of
#: participants costs about what it costs over one).
BLOCK = 256


def wide_rows(
    answered: Iterable[tuple[ResponseRecord, list[AnswerValue]]], spec: ExportSpec
) -> Iterator[list[str]]:
    """One row per participant from the submitted responses with their answers, ordered by
    participant (survey.exports.queries.submitted_responses); a block of participants held."""
    variables = wide_variables(spec)
    scored = [(v, ScoreSpec.of(v.score)) for v in variables if v.score is not None]
    # In a labelled export the group and sector are labelled like any other coded answer; a
    # code without a label (a sector the instrument does not list) stays the code.
    labels = id_labels(spec) if spec.labels else {}
    groups, sectors = labels.get("group", {}), labels.get("sector", {})
    participants = _participants(answered)
    while block := list(islice(participants, BLOCK)):
        scores = {
            variable.name: scores_of(
                [numbers.get(variable.wave.code, {}) for *_, numbers in block],
                score_spec,
                variable.wave.version.instrument.non_response_code,
            )
            for variable, score_spec in scored
        }
        for index, (participant, group, sector, cells, _) in enumerate(block):
            row = [participant, groups.get(group, group), sectors.get(sector, sector or "")]
            for variable in variables:
                if variable.score is not None:
                    value = scores[variable.name][index]
                    row.append(format_number(value) if value is not None else "")
                else:
                    code = (variable.wave.code, variable.question.code, variable.item)
                    value = cells.get(code, "")
                    row.append(_cell(variable, value, spec) if value else "")
            yield row


#: A participant's id columns, their stored values by (wave, question, item), and the numbers
#: the scores read (wave -> question -> value).
ParticipantAnswers = tuple[
    str, str, str | None, dict[tuple[str, str, str], str], dict[str, dict[str, int]]
]


def _participants(
    answered: Iterable[tuple[ResponseRecord, list[AnswerValue]]],
) -> Iterator[ParticipantAnswers]:
    """Each participant's answers, gathered from their responses."""
    for participant, responses in groupby(answered, key=_participant):
        cells: dict[tuple[str, str, str], str] = {}
        numbers: dict[str, dict[str, int]] = {}
        for response, answers in responses:
            _, _, group, sector, wave, *_ = response
            # Unpacked by position: attribute access on a database row costs more than the rest.
            for _, question, item, number, text in answers:
                cells[(wave, question, item)] = stored_value(number, text)
                if number is not None and not item:
                    numbers.setdefault(wave, {})[question] = number
        yield participant, group, sector, cells, numbers


def _participant(pair: tuple[ResponseRecord, list[AnswerValue]]) -> str:
    return pair[0][1]  # the response's participant


def _cell(variable: Variable, value: str, spec: ExportSpec) -> str:
    """The stored value, or in a labelled export the label of a code (ranks and numbers stay
    numbers, -9 of a number too)."""
    if not spec.labels or not variable.question.kind.coded:
        return value
    labels = variable.wave.version.labels(spec.language)[variable.question.code]
    return labels.label(variable.item, value) or value


def format_number(value: float) -> str:
    """A score as text: whole numbers without a decimal point, others in full precision."""
    return str(int(value)) if value.is_integer() else repr(value)
