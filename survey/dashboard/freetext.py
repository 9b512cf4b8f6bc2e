"""Free-text answers for organisers and researchers, per question and group x wave cell, never
for a cell under min_cell (nor, under a filter, one whose complement is under min_cell)."""

from __future__ import annotations

from dataclasses import dataclass, field

from survey.dashboard.data import TEXT_PAGE, Filters, Setting, cell_sizes, text_page


@dataclass
class TextBlock:
    question: str
    question_text: str
    group: str
    wave: str
    respondents: int  # submitted responses in the cell (inside the filters)
    suppressed: bool
    answers: list[str] = field(default_factory=list)  # this page's; empty when suppressed
    total: int = 0  # answers in the cell, on every page
    first: int = 1  # the position of answers[0] among them


def page_count(blocks: list[TextBlock], per_page: int = TEXT_PAGE) -> int:
    """The number of pages needed for the cell with the most answers (at least one)."""
    most = max((b.total for b in blocks if not b.suppressed), default=0)
    return max(1, -(-most // per_page))


def free_text(
    setting: Setting,
    filters: Filters,
    *,
    question: str | None = None,
    group: str | None = None,
    wave: str | None = None,
    page: int | None = None,
    per_page: int = TEXT_PAGE,
) -> list[TextBlock]:
    """The text answers of the chosen question(s) and cell(s), grouped by question and cell
    (two statements): all of them, or with `page` (from 1) that page of each cell."""
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
    answers, totals = text_page(setting, filters, shown, page, per_page)
    for answer in answers:
        block = blocks.get((answer.question, answer.group, answer.wave))
        if block is not None and not block.suppressed:
            block.answers.append(answer.text)
    for key, block in blocks.items():
        if not block.suppressed:
            block.total = totals.get(key, 0)
            block.first = 1 if page is None else (page - 1) * per_page + 1
    return list(blocks.values())
