"""Scores from answers: reversing, the minimum-answered rule and the non-response code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from survey.analysis.records import AnalysisSpec, Respondent, ScoreSpec


def item_matrix(
    respondents: Sequence[Respondent], codes: Sequence[str], non_response: int
) -> np.ndarray:
    """Answers as a respondents x codes float array, NaN where unanswered or non-response."""
    matrix = np.array(
        [[r.values.get(code, np.nan) for code in codes] for r in respondents], dtype=float
    ).reshape(len(respondents), len(codes))
    matrix[matrix == non_response] = np.nan
    return matrix


def reversed_items(matrix: np.ndarray, score: ScoreSpec) -> np.ndarray:
    """The item matrix (columns in score.items order) with reversed items turned round."""
    out = np.array(matrix, dtype=float, copy=True)
    for column, code in enumerate(score.items):
        if code in score.reversed:
            out[:, column] = (score.scale_min + score.scale_max) - out[:, column]
    return out


def score_array(matrix: np.ndarray, score: ScoreSpec) -> np.ndarray:
    """Per row, the mean of the answered items after reversing, NaN under min_answered."""
    items = reversed_items(matrix, score)
    answered = ~np.isnan(items)
    count = answered.sum(axis=1)
    total = np.where(answered, items, 0.0).sum(axis=1)
    enough = count >= max(score.min_answered, 1)
    # Dividing only where enough items are answered keeps 0/0 (and its warning) out.
    return np.divide(total, count, out=np.full(len(items), np.nan), where=enough)


def score_arrays(respondents: Sequence[Respondent], spec: AnalysisSpec) -> dict[str, np.ndarray]:
    """Every score of spec for every respondent, in input order, NaN where missing."""
    return {
        name: score_array(item_matrix(respondents, score.items, spec.non_response), score)
        for name, score in spec.scores.items()
    }


def score_value(values: Mapping[str, int], score: ScoreSpec, non_response: int) -> float | None:
    """One respondent's score, None when too few items are answered."""
    return scores_of([values], score, non_response)[0]


def scores_of(
    answers: Sequence[Mapping[str, int]], score: ScoreSpec, non_response: int
) -> list[float | None]:
    """Each respondent's score from their answers (question -> value), in order, computed at
    once; None where too few items are answered."""
    matrix = np.array(
        [
            [
                np.nan if values.get(c, non_response) == non_response else values[c]
                for c in score.items
            ]
            for values in answers
        ],
        dtype=float,
    ).reshape(len(answers), len(score.items))
    return [None if np.isnan(value) else float(value) for value in score_array(matrix, score)]


def score_values(
    respondents: Sequence[Respondent], spec: AnalysisSpec
) -> dict[tuple[str, str], dict[str, float | None]]:
    """Scores by (participant, wave); each respondent must appear once per wave."""
    arrays = score_arrays(respondents, spec)
    out: dict[tuple[str, str], dict[str, float | None]] = {}
    for index, respondent in enumerate(respondents):
        key = (respondent.participant, respondent.wave)
        if key in out:
            raise ValueError(
                f"participant {key[0]!r} has more than one response in wave {key[1]!r}"
            )
        out[key] = {
            name: None if np.isnan(values[index]) else float(values[index])
            for name, values in arrays.items()
        }
    return out
