"""A workshop's included responses with their numeric answers: in full, or those new since a
watermark, and the participants they belong to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import aliased

from survey.dashboard.filters import EXPERIENCE
from survey.dashboard.reads.conditions import included_responses
from survey.dashboard.setting import Setting
from survey.extensions import db
from survey.models import Answer, Participant, Response

# What a read response carries, first in every row: its id, its participant (id, public id,
# group), its wave, its language and the participant's sector.
RESPONSE_COLUMNS = (
    Response.id,
    Participant.id,
    Participant.public_id,
    Participant.group_id,
    Response.wave_id,
    Response.language,
    Participant.sector,
)


@dataclass(frozen=True)
class Loaded:
    """The raw material of a Dataset: what survey.dashboard.loading keeps between requests and
    extends with new responses."""

    ids: np.ndarray  # response ids, ascending
    responses: tuple[tuple, ...]  # (participant id, wave id, language, experience) per id
    matrix: np.ndarray  # ids x (Setting.numeric + ranking items), NaN where unanswered
    people: Mapping[int, tuple]  # participant id -> (public id, group id, sector)

    def __len__(self) -> int:
        return len(self.ids)


def answer_columns(setting: Setting) -> dict[tuple[str, str], int]:
    """(question, item) -> column of Loaded.matrix: numeric questions, then ranking items."""
    width = len(setting.numeric)
    columns = {(code, ""): j for j, code in enumerate(setting.numeric)}
    ranking = setting.ranking
    for k, item in enumerate(setting.spec.ranking_items):
        columns[ranking, item] = width + k
    return columns


def _read_questions(setting: Setting) -> list[str]:
    """The questions whose numbers a dataset holds: the numeric ones and the ranking."""
    return [*setting.numeric, *([setting.ranking] if setting.ranking else [])]


def load_raw(setting: Setting) -> Loaded:
    """Every included response and its numeric answers, in two statements.

    The first lists the responses (with the experience answer, if the response holds it); the
    second streams (response, column, value) triples, the column computed in SQL, which numpy
    scatters into a respondents x columns matrix. Pivoting with one MAX(CASE ...) per column
    in SQL was twice as slow on SQLite.
    """
    spec = setting.spec
    ranking, width = setting.ranking, len(setting.numeric)
    experience = aliased(Answer)
    rows = db.session.execute(
        select(*RESPONSE_COLUMNS, experience.text)
        .join(Participant, Participant.id == Response.participant_id)
        .outerjoin(
            experience,
            and_(experience.response_id == Response.id, experience.question == EXPERIENCE),
        )
        .where(Participant.workshop_id == setting.workshop_id, included_responses())
        .order_by(Response.id)
    ).all()
    column = case({code: j for j, code in enumerate(setting.numeric)}, value=Answer.question)
    if ranking:
        ranked = case({item: k for k, item in enumerate(spec.ranking_items)}, value=Answer.item)
        column = case((Answer.question == ranking, width + ranked), else_=column)
    # Core execution (no ORM row processing): this is the one statement that grows with the
    # number of answers.
    triples = (
        db.session.connection()
        .execute(
            select(Answer.response_id, column, Answer.number)
            .join(Response, Response.id == Answer.response_id)
            .join(Participant, Participant.id == Response.participant_id)
            .where(
                Participant.workshop_id == setting.workshop_id,
                included_responses(),
                Answer.question.in_(_read_questions(setting)),
                Answer.number.is_not(None),
            )
        )
        .all()
    )
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.full((len(rows), width + len(spec.ranking_items)), np.nan)
    if triples:
        flat = (value for triple in triples for value in triple)
        found = np.fromiter(flat, dtype=np.int64, count=3 * len(triples)).reshape(-1, 3)
        found = found[found[:, 1] >= 0]  # an unknown ranking item has no column
        matrix[np.searchsorted(ids, found[:, 0]), found[:, 1]] = found[:, 2]
    return Loaded(
        ids=ids,
        responses=tuple((row[1], row[4], row[5], row[7]) for row in rows),
        matrix=matrix,
        people={row[1]: (row[2], row[3], row[6]) for row in rows},
    )


def new_responses(setting: Setting, after: int, since: datetime) -> list:
    """Included responses with an id above `after` or submitted at or after `since`, each with
    its participant and its numeric and experience answers: one row per answer (one
    statement, over the primary key and ix_response_submitted_at)."""
    wanted = [*_read_questions(setting), EXPERIENCE]
    return (
        db.session.connection()
        .execute(
            select(*RESPONSE_COLUMNS, Answer.question, Answer.item, Answer.number, Answer.text)
            .join(Participant, Participant.id == Response.participant_id)
            .outerjoin(Answer, and_(Answer.response_id == Response.id, Answer.question.in_(wanted)))
            .where(
                or_(Response.id > after, Response.submitted_at >= since),
                Response.wave_id.in_(list(setting.wave_ids)),
                included_responses(),
            )
        )
        .all()
    )


def included_people(setting: Setting) -> dict[int, tuple]:
    """Participant id -> (public id, group id, sector) of those who have not withdrawn (one
    statement)."""
    rows = db.session.execute(
        select(
            Participant.id, Participant.public_id, Participant.group_id, Participant.sector
        ).where(Participant.workshop_id == setting.workshop_id, Participant.withdrawn_at.is_(None))
    ).all()
    return {pid: (public_id, group_id, sector) for pid, public_id, group_id, sector in rows}
