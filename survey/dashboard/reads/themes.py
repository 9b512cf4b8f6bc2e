"""The final codings of the free text (docs/coding.md), aligned with a dataset's respondents for
the theme shares, with the codebook and the signature that keys them in the cache."""

from __future__ import annotations

from collections.abc import Mapping

from survey.analysis.records import ThemeCodings, ThemeSpec
from survey.coding.codings import coded_answers, coding_signature
from survey.coding.themes import codebook_codes, workshop_themes
from survey.dashboard.dataset import Dataset
from survey.dashboard.setting import Setting


def coding_version(setting: Setting) -> tuple:
    """A summary that moves whenever a final coding or the codebook does (one statement)."""
    return coding_signature(setting.workshop_id)


def theme_labels(setting: Setting) -> dict[str, str]:
    """Theme code -> label, in the codebook's order (one statement)."""
    return {t.code: t.label for t in workshop_themes(setting.workshop_id)}


def theme_codings(setting: Setting, dataset: Dataset) -> ThemeCodings:
    """The codebook and each respondent's final codings, aligned with the dataset (three
    statements)."""
    codes, parents = codebook_codes(workshop_themes(setting.workshop_id))
    spec = ThemeSpec(
        themes=codes,
        parents=parents,
        questions={
            q.code: tuple(w for w in setting.spec.waves if w in q.waves)
            for q in setting.text_questions()
        },
    )
    by_response: dict[int, dict[str, frozenset[str]]] = {}
    for coded in coded_answers(setting.workshop_id).values():
        final = coded.final
        if final is not None:
            by_response.setdefault(coded.response_id, {})[coded.question] = final
    empty: Mapping[str, frozenset[str]] = {}
    return ThemeCodings(
        spec, tuple(by_response.get(response, empty) for response in dataset.response_ids)
    )
