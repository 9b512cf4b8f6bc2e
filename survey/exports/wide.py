"""The wide file: one row per participant, a column per wave and variable, then the scores."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from survey.analysis.records import ScoreSpec
from survey.analysis.scores import score_value
from survey.exports.spec import (
    AnswerRecord,
    ExportSpec,
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


_PARTICIPANT = itemgetter(AnswerRecord._fields.index("participant"))


def wide_rows(records: Iterable[AnswerRecord], spec: ExportSpec) -> Iterator[list[str]]:
    """One row per participant from records ordered by participant (one participant held)."""
    variables = wide_variables(spec)
    # In a labelled export the group and sector are labelled like any other coded answer; a
    # code without a label (a sector the instrument does not list) stays the code.
    labels = id_labels(spec) if spec.labels else {}
    groups, sectors = labels.get("group", {}), labels.get("sector", {})
    for _, answers in groupby(records, key=_PARTICIPANT):
        answers = list(answers)
        participant, group, sector = answers[0][:3]
        cells: dict[tuple[str, str, str], str] = {}
        numbers: dict[str, dict[str, int]] = {}  # wave -> question -> value, for the scores
        # Unpacked by position: attribute access on a database row costs more than the rest.
        for _, _, _, wave, _, _, _, _, question, item, number, text in answers:
            cells[(wave, question, item)] = stored_value(number, text)
            if number is not None and not item:
                numbers.setdefault(wave, {})[question] = number
        row = [participant, groups.get(group, group), sectors.get(sector, sector or "")]
        for variable in variables:
            if variable.score is not None:
                row.append(_score_cell(variable, numbers.get(variable.wave.code)))
            else:
                value = cells.get((variable.wave.code, variable.question.code, variable.item), "")
                row.append(_cell(variable, value, spec) if value else "")
        yield row


def _cell(variable: Variable, value: str, spec: ExportSpec) -> str:
    """The stored value, or in a labelled export the label of a code (ranks and numbers stay
    numbers, -9 of a number too)."""
    if not spec.labels or not variable.question.kind.coded:
        return value
    labels = variable.wave.version.labels(spec.language)[variable.question.code]
    return labels.label(variable.item, value) or value


def _score_cell(variable: Variable, values: dict[str, int] | None) -> str:
    if values is None:
        return ""
    score = variable.score
    spec = ScoreSpec(
        name=score.name,
        items=score.items,
        reversed=score.reversed,
        min_answered=score.min_answered,
        scale_min=score.scale_min,
        scale_max=score.scale_max,
    )
    value = score_value(values, spec, variable.wave.version.instrument.non_response_code)
    return format_number(value) if value is not None else ""


def format_number(value: float) -> str:
    """A score as text: whole numbers without a decimal point, others in full precision."""
    return str(int(value)) if value.is_integer() else repr(value)
