"""Double coding: a researcher assigns a sample of a question's answers (a share, or all) to a
second coder, who codes them blind to the first (the coding screen shows each coder only their
own codes).

The sample is drawn within each group × wave cell, so that both sides and both waves are in it:
of a cell's n answers, ceil(share × n / 100) at random. It holds the answers there are when it is
drawn; answers submitted later can go into a new sample.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from survey.audit import record
from survey.auth.access import can_access
from survey.coding.queue import codeable_answers
from survey.extensions import db
from survey.models import (
    Answer,
    Coding,
    CodingSample,
    Grant,
    Participant,
    Response,
    Role,
    StaffUser,
    Workshop,
)
from survey.models.coding import coding_sample_answer

CODER_ROLES = (Role.ORGANISER, Role.RESEARCHER)


class SampleError(ValueError):
    """A sample that cannot be assigned, with a message for the researcher."""


def may_code(user: StaffUser, workshop: Workshop) -> bool:
    """Whether the user codes this workshop's answers: its organisers and researchers, admins."""
    return user.active and (user.is_admin or bool(user.roles_in(workshop) & set(CODER_ROLES)))


def workshop_coders(workshop: Workshop) -> list[StaffUser]:
    """The active staff who may code the workshop's answers, by e-mail (one statement)."""
    granted = select(Grant.user_id).where(
        Grant.workshop_id == workshop.id, Grant.role.in_(CODER_ROLES)
    )
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.active, (StaffUser.id.in_(granted)) | StaffUser.is_admin)
            .order_by(StaffUser.email)
        )
    )


def draw(cells: dict[tuple[int, int], list[int]], share: int, rng: random.Random) -> list[int]:
    """ceil(share % of each cell's answers) at random from each cell, in id order."""
    drawn: list[int] = []
    for key in sorted(cells):
        ids = sorted(cells[key])
        drawn += rng.sample(ids, math.ceil(len(ids) * share / 100))
    return sorted(drawn)


def assign_sample(
    workshop: Workshop,
    question: str,
    coder: StaffUser,
    share: int,
    *,
    by: StaffUser | None = None,
    rng: random.Random | None = None,
) -> CodingSample:
    """Draw `share` per cent of the question's answers for `coder` to code blind."""
    if not 1 <= share <= 100:
        raise SampleError("the share is a whole per cent from 1 to 100")
    if not may_code(coder, workshop):
        raise SampleError(f"{coder.email} does not code this workshop's answers")
    rows = db.session.execute(
        codeable_answers(workshop)
        .where(Answer.question == question)
        .with_only_columns(Answer.id, Participant.group_id, Response.wave_id)
    )
    cells: dict[tuple[int, int], list[int]] = {}
    for answer_id, group_id, wave_id in rows:
        cells.setdefault((group_id, wave_id), []).append(answer_id)
    if not cells:
        raise SampleError("the question has no answers to sample yet")
    chosen = draw(cells, share, rng or random.SystemRandom())
    sample = CodingSample(
        workshop_id=workshop.id,
        question=question,
        coder_id=coder.id,
        share=share,
        assigned_by_id=by.id if by is not None else None,
    )
    db.session.add(sample)
    db.session.flush()
    db.session.execute(
        coding_sample_answer.insert(), [{"sample_id": sample.id, "answer_id": a} for a in chosen]
    )
    record(
        "coding.sample",
        workshop=workshop,
        actor=by,
        detail={"question": question, "coder": coder.email, "share": share, "answers": len(chosen)},
    )
    return sample


@dataclass(frozen=True)
class SampleRow:
    """A sample with its progress."""

    sample: CodingSample
    answers: int
    coded: int  # by its coder


def workshop_samples(workshop: Workshop) -> list[SampleRow]:
    """The workshop's samples, newest first, with how many of their answers their coder has
    coded (one statement)."""
    coded = (
        select(func.count())
        .select_from(coding_sample_answer)
        .join(
            Coding,
            (Coding.answer_id == coding_sample_answer.c.answer_id)
            & (Coding.coder_id == CodingSample.coder_id),
        )
        .where(coding_sample_answer.c.sample_id == CodingSample.id)
        .scalar_subquery()
    )
    size = (
        select(func.count())
        .select_from(coding_sample_answer)
        .where(coding_sample_answer.c.sample_id == CodingSample.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(CodingSample, size, coded)
        .where(CodingSample.workshop_id == workshop.id)
        .order_by(CodingSample.assigned_at.desc(), CodingSample.id.desc())
    )
    return [SampleRow(sample, answers, done) for sample, answers, done in rows]


def may_assign(workshop: Workshop) -> bool:
    """Whether the signed-in user assigns samples and settles codings (researchers, admins)."""
    return can_access(workshop, Role.RESEARCHER)


def coders_by_id(ids: Sequence[int]) -> dict[int, StaffUser]:
    """Staff users by id (one statement)."""
    if not ids:
        return {}
    users = db.session.scalars(select(StaffUser).where(StaffUser.id.in_(list(ids))))
    return {user.id: user for user in users}
