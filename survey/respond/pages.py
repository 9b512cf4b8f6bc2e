"""What the participant's pages show, built from the instrument, the language and the group:
the handlers of a page, the form filled from stored answers, and the review of every answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from survey.instruments import Instrument, Page
from survey.respond.fields import FieldHandler, Row, handler_for
from survey.respond.flow import REVIEW, Step
from survey.respond.forms import AnswersForm, answers_form


def page_handlers(
    page: Page,
    instrument: Instrument,
    language: str,
    group: str,
    display_seed: int | None = None,
) -> list[FieldHandler]:
    """The handlers of a page's questions, with the orders drawn from `display_seed`."""
    return [handler_for(q, instrument, language, group, display_seed) for q in page.questions]


def page_form(
    handlers: Sequence[FieldHandler],
    *,
    formdata: Mapping | None = None,
    stored: Mapping[str, Mapping[str, Row]] | None = None,
    enforce_required: bool = False,
) -> AnswersForm:
    """The page's form, parsed from what was posted or filled from what is stored."""
    data = None
    if formdata is None:
        data = {h.question.code: h.data((stored or {}).get(h.question.code, {})) for h in handlers}
    return answers_form(handlers, formdata=formdata, data=data, enforce_required=enforce_required)


@dataclass(frozen=True)
class ReviewItem:
    code: str
    text: str
    answer: list[str]  # empty: not answered
    ordered: bool  # a ranking: show as a numbered list
    url: str  # where to change it (and come back to the review from)


@dataclass(frozen=True)
class ReviewSection:
    title: str
    items: list[ReviewItem]


def review_sections(
    steps: Sequence[Step],
    instrument: Instrument,
    language: str,
    group: str,
    stored: Mapping[str, Mapping[str, Row]],
    url: Callable[[str], str],
) -> list[ReviewSection]:
    """Every question of the wave's pages with the participant's answer, page by page."""
    forms = instrument.forms(language, group)
    sections = []
    for step in steps:
        if step.page is None:
            continue
        items = []
        for handler in page_handlers(step.page, instrument, language, group):
            q = handler.question
            items.append(
                ReviewItem(
                    code=q.code,
                    text=handler.text,
                    answer=handler.describe(handler.data(stored.get(q.code, {}))),
                    ordered=q.kind.ranking,
                    url=f"{url(step.code)}?return={REVIEW}#q-{q.code}",
                )
            )
        sections.append(ReviewSection(step.page.title(language, forms), items))
    return sections


def missing_required(steps: Sequence[Step], stored: Mapping[str, Mapping[str, Row]]) -> Step | None:
    """The first step with a required question left unanswered."""
    for step in steps:
        if step.page and any(q.required and not stored.get(q.code) for q in step.page.questions):
            return step
    return None


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs (separated by blank lines), for texts such as the privacy notice."""
    return [part.strip() for part in text.split("\n\n") if part.strip()]
