"""A coder's coding of an answer (its themes, or "no theme"), and the final coding of each
answer (docs/coding.md, "The final coding").

The final coding of an answer is the one its coders settled, if they did; else, when every
coder of the answer gave the same themes (or only one coded it), those themes; else none yet:
the answer waits in the disagreement list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, literal, select, union_all

from survey.extensions import db
from survey.models import Answer, Coding, SettledCoding, StaffUser, Theme, Workshop
from survey.models._types import utcnow
from survey.models.coding import coding_theme, settled_coding_theme


def final_themes(
    coders: Iterable[frozenset[str]], settled: frozenset[str] | None = None
) -> frozenset[str] | None:
    """An answer's final coding from its coders' codings and its settled coding, if any."""
    if settled is not None:
        return settled
    distinct = set(coders)
    return distinct.pop() if len(distinct) == 1 else None


@dataclass(frozen=True)
class CodedAnswer:
    """Who coded an answer how (theme codes), and its settled coding if it has one."""

    answer_id: int
    response_id: int
    question: str
    by_coder: dict[int, frozenset[str]]  # coder id -> themes
    settled: frozenset[str] | None

    @property
    def final(self) -> frozenset[str] | None:
        return final_themes(self.by_coder.values(), self.settled)


def coded_answers(workshop_id: int, question: str | None = None) -> dict[int, CodedAnswer]:
    """Every coded answer of the workshop (of one question), by answer id (two statements)."""
    coders = (
        select(Coding.answer_id, Answer.response_id, Answer.question, Coding.coder_id, Theme.code)
        .join(Answer, Answer.id == Coding.answer_id)
        .outerjoin(coding_theme, coding_theme.c.coding_id == Coding.id)
        .outerjoin(Theme, Theme.id == coding_theme.c.theme_id)
        .where(Coding.workshop_id == workshop_id)
    )
    settled = (
        select(SettledCoding.answer_id, Answer.response_id, Answer.question, Theme.code)
        .join(Answer, Answer.id == SettledCoding.answer_id)
        .outerjoin(
            settled_coding_theme, settled_coding_theme.c.settled_coding_id == SettledCoding.id
        )
        .outerjoin(Theme, Theme.id == settled_coding_theme.c.theme_id)
        .where(SettledCoding.workshop_id == workshop_id)
    )
    if question is not None:
        coders = coders.where(Answer.question == question)
        settled = settled.where(Answer.question == question)
    found: dict[int, _Gathered] = {}
    for answer_id, response_id, code_question, coder_id, theme in db.session.execute(coders):
        entry = found.setdefault(answer_id, _Gathered(response_id, code_question))
        themes = entry.by_coder.setdefault(coder_id, set())
        if theme is not None:
            themes.add(theme)
    for answer_id, response_id, code_question, theme in db.session.execute(settled):
        entry = found.setdefault(answer_id, _Gathered(response_id, code_question))
        if entry.settled is None:
            entry.settled = set()
        if theme is not None:
            entry.settled.add(theme)
    return {
        answer_id: CodedAnswer(
            answer_id=answer_id,
            response_id=entry.response_id,
            question=entry.question,
            by_coder={coder: frozenset(themes) for coder, themes in entry.by_coder.items()},
            settled=None if entry.settled is None else frozenset(entry.settled),
        )
        for answer_id, entry in found.items()
    }


@dataclass
class _Gathered:
    """An answer's codings as the rows give them, theme by theme."""

    response_id: int
    question: str
    by_coder: dict[int, set[str]] = field(default_factory=dict)
    settled: set[str] | None = None


def coding_of(answer_id: int, coder: StaffUser) -> Coding | None:
    """The coder's coding of the answer, if they coded it."""
    return db.session.scalar(
        select(Coding).where(Coding.answer_id == answer_id, Coding.coder_id == coder.id)
    )


def my_themes(answer_ids: Sequence[int], coder: StaffUser) -> dict[int, frozenset[int]]:
    """The coder's own theme ids of each of these answers they coded (one statement)."""
    if not answer_ids:
        return {}
    rows = db.session.execute(
        select(Coding.answer_id, coding_theme.c.theme_id)
        .outerjoin(coding_theme, coding_theme.c.coding_id == Coding.id)
        .where(Coding.coder_id == coder.id, Coding.answer_id.in_(list(answer_ids)))
    )
    found: dict[int, set[int]] = {}
    for answer_id, theme_id in rows:
        themes = found.setdefault(answer_id, set())
        if theme_id is not None:
            themes.add(theme_id)
    return {answer_id: frozenset(themes) for answer_id, themes in found.items()}


def save_coding(
    workshop: Workshop, answer: Answer, coder: StaffUser, themes: Sequence[Theme] | None
) -> Coding | None:
    """Set the coder's coding of the answer: its themes ([] for "no theme"), or None to take
    the coding back. Returns the coding (None when taken back)."""
    coding = coding_of(answer.id, coder)
    if themes is None:
        if coding is not None:
            db.session.delete(coding)
        return None
    if coding is None:
        coding = Coding(workshop_id=workshop.id, answer_id=answer.id, coder_id=coder.id)
        db.session.add(coding)
    coding.themes = list(themes)
    coding.coded_at = utcnow()
    return coding


def settle_answer(
    workshop: Workshop, answer: Answer, themes: Sequence[Theme], by: StaffUser | None
) -> SettledCoding:
    """Make `themes` the answer's final coding, whatever its coders gave."""
    settled = db.session.scalar(select(SettledCoding).where(SettledCoding.answer_id == answer.id))
    if settled is None:
        settled = SettledCoding(workshop_id=workshop.id, answer_id=answer.id)
        db.session.add(settled)
    settled.themes = list(themes)
    settled.settled_by_id = by.id if by is not None else None
    settled.settled_at = utcnow()
    return settled


def unsettle_answer(answer_id: int) -> bool:
    """Take back an answer's settled coding; whether there was one."""
    settled = db.session.scalar(select(SettledCoding).where(SettledCoding.answer_id == answer_id))
    if settled is not None:
        db.session.delete(settled)
    return settled is not None


def coding_signature(workshop_id: int) -> tuple:
    """A summary of the workshop's codings, settled codings and themes that moves whenever a
    final coding or the codebook changes: their counts, greatest ids and latest times (one
    statement over the workshop's indexes)."""
    parts = [
        select(literal(kind), func.count(), func.max(model.id), func.max(stamp)).where(
            model.workshop_id == workshop_id
        )
        for kind, model, stamp in (
            ("c", Coding, Coding.coded_at),
            ("s", SettledCoding, SettledCoding.settled_at),
            ("t", Theme, Theme.updated_at),
        )
    ]
    both = union_all(*parts).subquery()
    return tuple(tuple(row) for row in db.session.execute(select(both).order_by(both.c[0])))


def code_answers(
    workshop: Workshop, coder: StaffUser, codes: dict[int, Sequence[Theme] | None]
) -> int:
    """Set the coder's coding of several answers at once (None: not coded); return how many
    changed. Answers whose coding is already the one given are left as they are."""
    current = my_themes(list(codes), coder)
    answers = {a.id: a for a in db.session.scalars(select(Answer).where(Answer.id.in_(codes)))}
    changed = 0
    for answer_id, themes in codes.items():
        wanted = None if themes is None else frozenset(t.id for t in themes)
        if current.get(answer_id) != wanted:
            save_coding(workshop, answers[answer_id], coder, themes)
            changed += 1
    return changed
