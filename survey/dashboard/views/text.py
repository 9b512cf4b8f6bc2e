"""Free-text answers for organisers and researchers, per question and group x wave cell, never
for a cell under min_cell (nor, under a filter, one the other suppression rules withhold:
survey.analysis.suppression)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from survey.dashboard.cache import kept
from survey.dashboard.filters import Filters
from survey.dashboard.reads.cells import cell_sizes
from survey.dashboard.reads.conditions import paired_experience
from survey.dashboard.reads.matching import matching
from survey.dashboard.reads.signature import Signature
from survey.dashboard.reads.text import TEXT_PAGE, text_page
from survey.dashboard.setting import Setting
from survey.models import Workshop


@dataclass
class TextBlock:
    """One question's answers in one group × wave cell."""

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
    links: Mapping[int, int] | None = None,
) -> list[TextBlock]:
    """The text answers of the chosen question(s) and cell(s), grouped by question and cell
    (two statements, and one more under the experience filter when the linking code has
    paired anyone: `links`, later -> earlier participant): all of them, or with `page` (from
    1) that page of each cell."""
    spec = setting.spec
    paired = paired_experience(links) if links and "experience" in filters.applied() else None
    cells = cell_sizes(setting, filters, paired)
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
    answers, totals = text_page(setting, filters, shown, page, per_page, paired)
    for answer in answers:
        block = blocks.get((answer.question, answer.group, answer.wave))
        if block is not None and not block.suppressed:
            block.answers.append(answer.text)
    for key, block in blocks.items():
        if not block.suppressed:
            block.total = totals.get(key, 0)
            block.first = 1 if page is None else (page - 1) * per_page + 1
    return list(blocks.values())


def workshop_free_text(
    setting: Setting,
    workshop: Workshop,
    filters: Filters,
    signature: Signature,
    *,
    question: str | None,
    group: str | None,
    wave: str | None,
    page: int,
    per_page: int,
) -> list[TextBlock]:
    """A page of free text, read again only when the data's Signature has moved: finding a
    workshop's text answers means visiting every response. Under the experience filter the
    linking code's pairs are read too (the match report), as the statistics count them."""
    key = (
        setting.workshop_key,
        setting.instrument.checksum,
        setting.min_cell,
        tuple(setting.wave_ids.items()),
        signature.data,
        tuple(filters.applied().items()),
        (question, group, wave, page, per_page),
    )

    def read() -> list[TextBlock]:
        links = matching(workshop)[1] if "experience" in filters.applied() else None
        return free_text(
            setting,
            filters,
            question=question,
            group=group,
            wave=wave,
            page=page,
            per_page=per_page,
            links=links,
        )

    return kept(lambda cache: cache.texts, key, read)


def text_choices(setting: Setting) -> dict[str, list[tuple[str, str]]]:
    """The questions, groups and waves the free text can be narrowed to, with their labels."""
    labels = setting.labels
    return {
        "questions": [(q.code, labels.questions[q.code]) for q in setting.text_questions()],
        "groups": [(g, labels.group(g)) for g in setting.spec.groups],
        "waves": [(w, labels.wave(w)) for w in setting.spec.waves],
    }


@dataclass(frozen=True)
class Pager:
    """Where a page of free text stands among the pages, with the addresses of its neighbours."""

    number: int
    last: int
    per_page: int
    previous: str | None
    next: str | None


def text_pager(number: int, last: int, per_page: int, address: Callable[[int], str]) -> Pager:
    """The pager of page `number` of `last`; `address` gives the address of a page."""
    return Pager(
        number=number,
        last=last,
        per_page=per_page,
        previous=address(number - 1) if number > 1 else None,
        next=address(number + 1) if number < last else None,
    )
