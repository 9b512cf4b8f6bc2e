"""The answers a coder codes: the submitted free-text answers of one question, with the group,
wave, sector and language they come from and never who wrote them; narrowed by group, wave and
what is left to do; and the progress of the coding.

Answers are in group, wave, then alphabetical order (as on the dashboards' free-text page), so
that the order says nothing about who wrote what or when, and like answers sit together.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import case, exists, func, select

from survey.dashboard.reads.conditions import included_responses, written_text
from survey.extensions import db
from survey.instruments import Question
from survey.models import Answer, Coding, CodingSample, Participant, Response, StaffUser, Workshop
from survey.models.coding import coding_sample_answer

PER_PAGE = 20


class Show(enum.StrEnum):
    """Which answers of the question the coder sees."""

    ALL = "all"
    UNCODED = "uncoded"  # coded by nobody yet
    MINE = "mine"  # coded by me
    NOT_MINE = "todo"  # not coded by me yet
    SAMPLE = "sample"  # in a double-coding sample assigned to me


@dataclass(frozen=True)
class QueueFilter:
    """The coder's choice of answers: a group, a wave, and which to show."""

    group: str | None = None
    wave: str | None = None
    show: Show = Show.ALL

    def args(self) -> dict[str, str]:
        """The filter as query arguments."""
        found = {"group": self.group, "wave": self.wave}
        args = {key: value for key, value in found.items() if value}
        if self.show is not Show.ALL:
            args["show"] = self.show.value
        return args


@dataclass(frozen=True)
class QueuedAnswer:
    """An answer as the coding screen shows it: where it comes from, never who wrote it."""

    id: int
    question: str
    group: str
    wave: str
    sector: str | None
    language: str
    text: str


@dataclass(frozen=True)
class QueuePage:
    """One page of the chosen answers."""

    answers: list[QueuedAnswer]
    total: int  # chosen answers on every page
    number: int
    per_page: int

    @property
    def last(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class Progress:
    """How far the coding of a question has come."""

    answers: int  # every answer of the question
    coded: int  # coded by anyone
    mine: int  # coded by me
    sample: int  # answers in my samples
    sample_done: int  # of those, coded by me


# What the screen shows of an answer, in QueuedAnswer's order (group and wave as database ids).
QUEUED_COLUMNS = (
    Answer.id,
    Answer.question,
    Participant.group_id,
    Response.wave_id,
    Participant.sector,
    Response.language,
    Answer.text,
)


def free_text_questions(workshop: Workshop) -> list[Question]:
    """The workshop's free-text questions, in instrument order."""
    return [q for q in workshop.instrument.questions if q.free_text]


def free_text_question(workshop: Workshop, code: str) -> Question | None:
    """The workshop's free-text question of this code, if it has one."""
    return next((q for q in free_text_questions(workshop) if q.code == code), None)


def codeable_answers(workshop: Workshop):
    """The select of the workshop's codeable answers: the non-empty texts of included
    responses (of every question: callers narrow it)."""
    return (
        select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            Participant.workshop_id == workshop.id,
            included_responses(),
            *written_text(),
        )
    )


def _mine(coder: StaffUser):
    return exists().where(Coding.answer_id == Answer.id, Coding.coder_id == coder.id)


def _in_my_sample(workshop: Workshop, coder: StaffUser):
    return exists().where(
        coding_sample_answer.c.answer_id == Answer.id,
        coding_sample_answer.c.sample_id == CodingSample.id,
        CodingSample.workshop_id == workshop.id,
        CodingSample.coder_id == coder.id,
    )


def _chosen(workshop: Workshop, question: str, coder: StaffUser, chosen: QueueFilter):
    statement = codeable_answers(workshop).where(Answer.question == question)
    if chosen.group:
        group = workshop.group(chosen.group)
        statement = statement.where(Participant.group_id == (group.id if group else -1))
    if chosen.wave:
        wave = workshop.wave(chosen.wave)
        statement = statement.where(Response.wave_id == (wave.id if wave else -1))
    if chosen.show is Show.UNCODED:
        statement = statement.where(~exists().where(Coding.answer_id == Answer.id))
    elif chosen.show is Show.MINE:
        statement = statement.where(_mine(coder))
    elif chosen.show is Show.NOT_MINE:
        statement = statement.where(~_mine(coder))
    elif chosen.show is Show.SAMPLE:
        statement = statement.where(_in_my_sample(workshop, coder))
    return statement


def _ordered(workshop: Workshop, statement):
    groups = {g.id: g.position for g in workshop.groups}
    waves = {w.id: w.position for w in workshop.waves}
    return statement.order_by(
        case(groups, value=Participant.group_id, else_=len(groups)),
        case(waves, value=Response.wave_id, else_=len(waves)),
        func.lower(Answer.text),
        Answer.text,
        Answer.id,
    )


def coding_queue(
    workshop: Workshop,
    question: str,
    coder: StaffUser,
    chosen: QueueFilter,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> QueuePage:
    """A page of the chosen answers of the question (two statements)."""
    statement = _chosen(workshop, question, coder, chosen)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    last = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), last)
    rows = db.session.execute(
        _ordered(
            workshop,
            statement.with_only_columns(*QUEUED_COLUMNS),
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return QueuePage([_queued(workshop, *row) for row in rows], total, page, per_page)


def _queued(workshop: Workshop, answer_id, question, group_id, wave_id, sector, language, text):
    groups = {g.id: g.code for g in workshop.groups}
    waves = {w.id: w.code for w in workshop.waves}
    return QueuedAnswer(
        answer_id, question, groups[group_id], waves[wave_id], sector, language, text
    )


def queued_answer(workshop: Workshop, answer_id: int) -> QueuedAnswer | None:
    """A codeable answer of the workshop to a free-text question, if this id is one."""
    return queued_answers(workshop, [answer_id]).get(answer_id)


def queued_answers(workshop: Workshop, answer_ids: Collection[int]) -> dict[int, QueuedAnswer]:
    """Those of these ids that are codeable answers of the workshop to a free-text question,
    by id (one statement)."""
    if not answer_ids:
        return {}
    questions = [q.code for q in free_text_questions(workshop)]
    rows = db.session.execute(
        codeable_answers(workshop)
        .where(Answer.id.in_(answer_ids), Answer.question.in_(questions))
        .with_only_columns(*QUEUED_COLUMNS)
    )
    return {row[0]: _queued(workshop, *row) for row in rows}


def chosen_ids(
    workshop: Workshop, question: str, coder: StaffUser, chosen: QueueFilter
) -> list[int]:
    """The ids of the chosen answers, in order (one statement): to step from one to the next."""
    statement = _chosen(workshop, question, coder, chosen).with_only_columns(Answer.id)
    return list(db.session.scalars(_ordered(workshop, statement)))


def neighbours(
    ids: list[int], answer_id: int, *, back: int | None = None
) -> tuple[int | None, int | None, int | None]:
    """An answer's place among the chosen ids (None: outside the filter), the answer before it
    and the one after. Before it is the answer saved just before (`back`) if there is one, even
    if saving took it out of the filter ("not coded by me"); after an answer outside the filter
    comes the first the filter shows."""
    position = ids.index(answer_id) if answer_id in ids else None
    if back is not None and back != answer_id:
        previous = back
    else:
        previous = ids[position - 1] if position else None
    if position is None:
        following = ids[0] if ids else None
    else:
        following = ids[position + 1] if position + 1 < len(ids) else None
    return position, previous, following


def progress(workshop: Workshop, question: str, coder: StaffUser) -> Progress:
    """The question's answers, those coded by anyone and by the coder, and the coder's sample
    (one statement)."""
    answers = codeable_answers(workshop).where(Answer.question == question).subquery()
    anyone = exists().where(Coding.answer_id == answers.c.id)
    mine = exists().where(Coding.answer_id == answers.c.id, Coding.coder_id == coder.id)
    sampled = exists().where(
        coding_sample_answer.c.answer_id == answers.c.id,
        coding_sample_answer.c.sample_id == CodingSample.id,
        CodingSample.workshop_id == workshop.id,
        CodingSample.coder_id == coder.id,
    )

    def count(condition):
        return func.coalesce(func.sum(_flag(condition)), 0)

    row = db.session.execute(
        select(
            func.count(),
            count(anyone),
            count(mine),
            count(sampled),
            count(sampled & mine),
        ).select_from(answers)
    ).one()
    return Progress(*(int(v) for v in row))


def _flag(condition):
    return case((condition, 1), else_=0)
