"""The obstacles and outlook page: the scale items outside the scores, by instrument page, and
the evaluation of the workshop."""

from __future__ import annotations

from dataclasses import dataclass

from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Section, item_charts


@dataclass(frozen=True)
class ObstaclesView:
    """Item charts by instrument page, and the evaluation of the workshop."""

    sections: list[Section]
    evaluation: Section


def obstacles_view(setting: Setting, results: Results) -> ObstaclesView:
    """Scale items outside the scores: by instrument page, and those asked only after the first
    wave (the workshop evaluation) apart."""
    first = setting.spec.waves[0] if setting.spec.waves else None
    score_items = setting.score_items()
    sections, evaluation = [], []
    scales = set(setting.scale_questions())
    for page in setting.instrument.pages:
        questions = [q for q in page.questions if q in scales and q.code not in score_items]
        asked_first = [q for q in questions if first in q.waves]
        evaluation += [q for q in questions if first not in q.waves]
        if asked_first:
            sections.append(
                Section(
                    f"page-{page.code}",
                    page.title(setting.language, setting.labels.neutral),
                    item_charts(setting, results, asked_first),
                )
            )
    return ObstaclesView(
        sections=sections,
        evaluation=Section(
            "evaluation", "Evaluation of the workshop", item_charts(setting, results, evaluation)
        ),
    )
