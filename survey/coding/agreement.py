"""Agreement between coders (docs/coding.md, "Agreement"): for each free-text question and each
pair of coders who coded the same answers, per theme, over those answers, the agreement on the
theme's presence (survey.analysis.agreement). A theme counts as present where the coding has it
or a theme below it, as in the theme shares.

This is the document of `survey coding agreement --json` and of the agreement page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from survey.analysis.agreement import theme_agreement
from survey.analysis.records import ThemeSpec
from survey.analysis.themes import with_ancestors
from survey.coding.codings import CodedAnswer, coded_answers
from survey.coding.queue import free_text_questions
from survey.coding.samples import coders_by_id
from survey.coding.themes import codebook_codes, workshop_themes
from survey.models import Workshop


@dataclass(frozen=True)
class PairAgreement:
    """Two coders' agreement on one question, theme by theme."""

    question: str
    coders: tuple[str, str]  # e-mail addresses, in order
    n: int  # answers both coded
    themes: list[dict[str, Any]]  # {"theme", "n", "percent_agreement", ...} per theme

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "coders": list(self.coders),
            "n": self.n,
            "themes": self.themes,
        }


def theme_spec(workshop: Workshop) -> ThemeSpec:
    """The workshop's codebook and free-text questions, as the analysis takes them."""
    codes, parents = codebook_codes(workshop_themes(workshop))
    return ThemeSpec(
        themes=codes,
        parents=parents,
        questions={
            q.code: tuple(w.code for w in workshop.waves if w.code in q.waves)
            for q in free_text_questions(workshop)
        },
    )


def workshop_agreement(workshop: Workshop) -> list[PairAgreement]:
    """Every pair of coders' agreement on every question they both coded answers of."""
    spec = theme_spec(workshop)
    answers = coded_answers(workshop.id)
    coder_ids = sorted({c for a in answers.values() for c in a.by_coder})
    emails = {i: user.email for i, user in coders_by_id(coder_ids).items()}
    found = []
    for question in spec.questions:
        of_question = [a for a in answers.values() if a.question == question]
        coders = sorted({c for a in of_question for c in a.by_coder}, key=lambda c: emails[c])
        for first, second in combinations(coders, 2):
            both = sorted(
                (a for a in of_question if first in a.by_coder and second in a.by_coder),
                key=lambda a: a.answer_id,
            )
            if both:
                found.append(_pair(question, spec, both, (first, second), emails))
    return found


def _pair(
    question: str,
    spec: ThemeSpec,
    both: list[CodedAnswer],
    pair: tuple[int, int],
    emails: dict[int, str],
) -> PairAgreement:
    first = [with_ancestors(a.by_coder[pair[0]], spec) for a in both]
    second = [with_ancestors(a.by_coder[pair[1]], spec) for a in both]
    themes = [
        {"theme": theme}
        | theme_agreement([theme in c for c in first], [theme in c for c in second])
        for theme in spec.themes
    ]
    return PairAgreement(question, (emails[pair[0]], emails[pair[1]]), len(both), themes)


def agreement_json(pairs: list[PairAgreement]) -> str:
    """The agreement document (never NaN: allow_nan=False fails loudly instead)."""
    document = {"questions": [pair.as_dict() for pair in pairs]}
    return json.dumps(document, allow_nan=False, ensure_ascii=False, indent=2)
