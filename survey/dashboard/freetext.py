"""Free-text answers for organisers and researchers, per question and group x wave cell, never
for a cell under min_cell (nor, under a filter, one whose complement is under min_cell)."""

from __future__ import annotations

from dataclasses import dataclass, field

from survey.dashboard.data import Filters, Setting, cell_sizes, text_answers


@dataclass
class TextBlock:
    question: str
    question_text: str
    group: str
    wave: str
    respondents: int  # submitted responses in the cell (inside the filters)
    suppressed: bool
    answers: list[str] = field(default_factory=list)  # empty when suppressed


def free_text(
    setting: Setting,
    filters: Filters,
    *,
    question: str | None = None,
    group: str | None = None,
    wave: str | None = None,
) -> list[TextBlock]:
    """The text answers of the chosen question(s) and cell(s), grouped by question and cell
    (two statements)."""
    spec = setting.spec
    cells = cell_sizes(setting, filters)
    questions = [q for q in setting.text_questions() if question in (None, q.code)]
    blocks: dict[tuple[str, str, str], TextBlock] = {}
    for q in questions:
        for g in spec.groups:
            for w in spec.waves:
                if group not in (None, g) or wave not in (None, w) or w not in q.waves:
                    continue
                cell = cells[g, w]
                blocks[q.code, g, w] = TextBlock(
                    question=q.code,
                    question_text=setting.labels.questions[q.code],
                    group=g,
                    wave=w,
                    respondents=cell.n,
                    suppressed=cell.suppressed,
                )
    # Only texts of cells that may be shown are read at all.
    shown = sorted({q for (q, g, w), b in blocks.items() if not b.suppressed})
    for answer in text_answers(setting, filters, shown):
        block = blocks.get((answer.question, answer.group, answer.wave))
        if block is not None and not block.suppressed:
            block.answers.append(answer.text)
    return list(blocks.values())
