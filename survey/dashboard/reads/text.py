"""The free-text answers of included responses, a page of each question × group × wave cell at
a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from survey.dashboard.filters import Filters
from survey.dashboard.reads.conditions import (
    filter_conditions,
    included_responses,
    written_text,
)
from survey.dashboard.setting import Setting
from survey.extensions import db
from survey.models import Answer, Participant, Response

# Free-text answers shown per question x group x wave cell on one page of the text dashboard.
TEXT_PAGE = 100


@dataclass(frozen=True)
class TextAnswer:
    question: str
    group: str
    wave: str
    text: str


def text_answers(setting: Setting, filters: Filters, questions: list[str]) -> list[TextAnswer]:
    """The free-text answers of included responses inside the filters (one statement).

    Sorted by question, group, wave and text, so that the order says nothing about who wrote
    what or when.
    """
    return text_page(setting, filters, questions)[0]


def text_page(
    setting: Setting,
    filters: Filters,
    questions: list[str],
    page: int | None = None,
    per_page: int = TEXT_PAGE,
    paired: Mapping[int, str | None] | None = None,
) -> tuple[list[TextAnswer], dict[tuple[str, str, str], int]]:
    """As text_answers, but with `page` (from 1) only that page of each question x group x
    wave cell; and the number of answers in each cell that has any (one statement). `paired`:
    the experience of the linking code's pairs (survey.dashboard.reads.conditions).

    The database numbers and counts each cell's answers (window functions), so that a page
    transfers only its own answers, and the last answer of each cell, which carries the count.
    """
    if not questions:
        return [], {}
    cell = (Answer.question, Participant.group_id, Response.wave_id)
    numbered = (
        select(
            Answer.question,
            Participant.group_id,
            Response.wave_id,
            Answer.text,
            func.row_number()
            .over(partition_by=cell, order_by=(func.lower(Answer.text), Answer.text))
            .label("position"),
            func.count().over(partition_by=cell).label("total"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            Participant.workshop_id == setting.workshop_id,
            included_responses(),
            Answer.question.in_(questions),
            *written_text(),
            *filter_conditions(filters, paired),
        )
        .subquery()
    )
    statement = select(numbered)
    first, last = 1, None
    if page is not None:
        first, last = (page - 1) * per_page + 1, page * per_page
        statement = statement.where(
            or_(
                numbered.c.position.between(first, last),
                numbered.c.position == numbered.c.total,
            )
        )
    rows = db.session.execute(statement).all()
    order = {code: i for i, code in enumerate(questions)}
    groups = {code: i for i, code in enumerate(setting.spec.groups)}
    waves = {code: i for i, code in enumerate(setting.spec.waves)}
    totals: dict[tuple[str, str, str], int] = {}
    answers = []
    for question, group_id, wave_id, text, position, total in rows:
        key = (question, setting.group_ids[group_id], setting.wave_ids[wave_id])
        totals[key] = total
        if last is None or first <= position <= last:
            answers.append((order[question], groups[key[1]], waves[key[2]], position, key, text))
    answers.sort(key=lambda a: a[:4])
    return [TextAnswer(*key, text) for *_, key, text in answers], totals
