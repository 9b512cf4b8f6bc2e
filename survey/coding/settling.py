"""Settling the coders' disagreements (docs/coding.md, "Settling"): the answers whose coders
gave different themes, each shown with every coder's themes, and their final coding as the
coders settle it together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, select

from survey.audit import record
from survey.coding.codings import CodedAnswer, coded_answers, settle_answer, unsettle_answer
from survey.coding.queue import QueuedAnswer, queued_answers
from survey.coding.samples import coders_by_id
from survey.extensions import db
from survey.models import Answer, Coding, CodingSample, StaffUser, Theme, Workshop
from survey.models.coding import coding_sample_answer


class SettleError(ValueError):
    """A final coding that cannot be set, with a message for the researcher."""


@dataclass(frozen=True)
class Disagreement:
    """An answer its coders coded differently, with each one's themes and the settled ones."""

    answer: QueuedAnswer
    by_coder: list[tuple[str, frozenset[str]]]  # (e-mail, theme codes), by e-mail
    settled: frozenset[str] | None

    @property
    def agreed(self) -> frozenset[str]:
        """The themes every coder gave."""
        return frozenset.intersection(*(themes for _, themes in self.by_coder))


def disagreements(
    workshop: Workshop, question: str, viewer: StaffUser, *, settled: bool = False
) -> list[Disagreement]:
    """The question's answers whose coders disagree and that are not settled yet, or
    (settled=True) every settled answer, whatever its coders have given since (a settled coding
    stays the final one until it is reopened, so it stays where it can be). An answer the
    viewer still has to code in their double-coding sample is left out: they code it blind to
    the others."""
    answers = coded_answers(workshop.id, question)
    blind = still_to_code(workshop, viewer)
    differing = [
        a
        for a in answers.values()
        if (a.settled is not None if settled else _waiting(a)) and a.answer_id not in blind
    ]
    emails = {
        i: u.email
        for i, u in coders_by_id(sorted({c for a in differing for c in a.by_coder})).items()
    }
    queued = queued_answers(workshop, [coded.answer_id for coded in differing])
    found = []
    for coded in differing:
        answer = queued.get(coded.answer_id)
        if answer is None:  # an answer that no longer counts (a response no longer included)
            continue
        by_coder = sorted((emails[c], themes) for c, themes in coded.by_coder.items())
        found.append(Disagreement(answer, by_coder, coded.settled))
    order = {g.code: g.position for g in workshop.groups}
    waves = {w.code: w.position for w in workshop.waves}
    found.sort(key=lambda d: (order[d.answer.group], waves[d.answer.wave], d.answer.text.lower()))
    return found


def _waiting(answer: CodedAnswer) -> bool:
    """Not settled, and its coders gave different themes."""
    return answer.settled is None and len(set(answer.by_coder.values())) > 1


def still_to_code(workshop: Workshop, coder: StaffUser) -> set[int]:
    """The answers of the coder's samples that they have not coded yet (one statement)."""
    rows = db.session.execute(
        select(coding_sample_answer.c.answer_id)
        .join(CodingSample, CodingSample.id == coding_sample_answer.c.sample_id)
        .where(
            CodingSample.workshop_id == workshop.id,
            CodingSample.coder_id == coder.id,
            ~exists().where(
                Coding.answer_id == coding_sample_answer.c.answer_id,
                Coding.coder_id == coder.id,
            ),
        )
    )
    return {answer_id for (answer_id,) in rows}


def settle(
    workshop: Workshop, answer: QueuedAnswer, themes: Sequence[Theme], by: StaffUser | None
) -> None:
    """Make `themes` the final coding of an answer its coders disagreed on."""

    row = db.session.get(Answer, answer.id)
    settle_answer(workshop, row, themes, by)
    record(
        "coding.settle",
        workshop=workshop,
        actor=by,
        detail={"answer": answer.id, "themes": [t.code for t in themes]},
    )


def reopen(workshop: Workshop, answer: QueuedAnswer, by: StaffUser | None) -> None:
    """Take back an answer's settled coding: it waits in the disagreement list again."""
    if not unsettle_answer(answer.id):
        raise SettleError("this answer has no settled coding")
    record("coding.reopen", workshop=workshop, actor=by, detail={"answer": answer.id})
