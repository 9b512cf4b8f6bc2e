"""The codings as a CSV file (docs/exports.md, "Codings"), so that coding can also be done in a
spreadsheet and brought back: `participant, wave, question, coder, theme`, one row per theme a
coder gave an answer, one row with an empty `theme` for an answer coded "no theme". `coder` is
a staff user's e-mail, or `final` for the answer's final coding (docs/coding.md).

The file names participants by their pseudonymous id: it is for researchers, like the other
exports. An import replaces, for each answer and coder it names, that coder's coding of the
answer; `final` rows settle the answer, unless they only repeat what its coders agree on.
All or nothing: every problem is reported with its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import literal, select, union_all

from survey.audit import record
from survey.auth.users import normalise_email
from survey.coding.codings import (
    CodedAnswer,
    coded_answers,
    final_themes,
    save_coding,
    settle_answer,
)
from survey.coding.queue import codeable_answers
from survey.coding.samples import may_code
from survey.coding.tables import TableError, table_lines
from survey.coding.themes import workshop_themes
from survey.dashboard.reads.conditions import included_responses
from survey.exports.import_check import ImportProblem
from survey.extensions import db
from survey.instruments import Instrument
from survey.models import (
    Answer,
    Coding,
    Participant,
    Response,
    SettledCoding,
    StaffUser,
    Theme,
    Wave,
    Workshop,
)
from survey.models.coding import coding_theme, settled_coding_theme

CODING_COLUMNS = ("participant", "wave", "question", "coder", "theme")
FINAL = "final"


@dataclass(frozen=True)
class AnswerKey:
    """Who answered which question in which wave: how the file names an answer."""

    participant: str
    wave: str
    question: str


def answer_keys(workshop: Workshop) -> dict[int, AnswerKey]:
    """The key of every codeable answer of the workshop, by answer id (one statement)."""
    waves = {w.id: w.code for w in workshop.waves}
    rows = db.session.execute(
        codeable_answers(workshop).with_only_columns(
            Answer.id, Participant.public_id, Response.wave_id, Answer.question
        )
    )
    return {
        answer_id: AnswerKey(public_id, waves[wave_id], question)
        for answer_id, public_id, wave_id, question in rows
    }


def _coding_records(workshop: Workshop):
    """(answer id, participant, wave, its position, question, coder e-mail or FINAL, theme, its
    position) for every theme of every coding and settled coding of an included answer, one
    row with a NULL theme for "no theme" (one statement: the data package reads it in its
    snapshot)."""

    def part(model, themes, key, coder):
        return (
            select(
                Answer.id,
                Participant.public_id,
                Wave.code,
                Wave.position,
                Answer.question,
                coder,
                Theme.code,
                Theme.position,
            )
            .select_from(model)
            .join(Answer, Answer.id == model.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .join(Participant, Participant.id == Response.participant_id)
            .join(Wave, Wave.id == Response.wave_id)
            .outerjoin(themes, key == model.id)
            .outerjoin(Theme, Theme.id == themes.c.theme_id)
            .where(model.workshop_id == workshop.id, included_responses())
        )

    coders = part(Coding, coding_theme, coding_theme.c.coding_id, StaffUser.email).join(
        StaffUser, StaffUser.id == Coding.coder_id
    )
    settled = part(
        SettledCoding,
        settled_coding_theme,
        settled_coding_theme.c.settled_coding_id,
        literal(FINAL),  # no e-mail address can be "final": it has no @
    )
    return db.session.execute(union_all(coders, settled))


def export_codings(workshop: Workshop, *, spreadsheet: bool) -> list[list[str]]:
    """The codings file's rows, read for a download or the command line, which is an audit
    event (the file names participants by their pseudonymous id)."""
    rows = list(coding_rows(workshop))
    detail = {"rows": len(rows), "spreadsheet": spreadsheet}
    record("coding.export", workshop=workshop, detail=detail)
    return rows


def coding_rows(workshop: Workshop, instrument: Instrument | None = None) -> Iterator[list[str]]:
    """The file's rows: by participant, wave, question (in the order of `instrument`, the
    workshop's by default), then each coder (by e-mail) and the final coding; themes in the
    codebook's order."""
    questions = {q.code: i for i, q in enumerate((instrument or workshop.instrument).questions)}
    keys: dict[int, tuple[str, str, int, str]] = {}
    coders: dict[int, dict[str, dict[str, int]]] = {}  # answer -> coder -> theme -> position
    for (
        answer_id,
        participant,
        wave,
        wave_position,
        question,
        coder,
        theme,
        position,
    ) in _coding_records(workshop):
        keys[answer_id] = (participant, wave, wave_position, question)
        themes = coders.setdefault(answer_id, {}).setdefault(coder, {})
        if theme is not None:
            themes[theme] = position

    def place(answer_id: int) -> tuple:
        participant, _, wave_position, question = keys[answer_id]
        return participant, wave_position, questions.get(question, 0), answer_id

    for answer_id in sorted(keys, key=place):
        participant, wave, _, question = keys[answer_id]
        given = coders[answer_id]
        settled = given.pop(FINAL, None)
        final = final_themes(
            (frozenset(t) for t in given.values()),
            None if settled is None else frozenset(settled),
        )
        positions = {code: p for themes in given.values() for code, p in themes.items()}
        positions |= settled or {}
        by_coder = sorted((coder, frozenset(themes)) for coder, themes in given.items())
        for coder, themes in by_coder + ([(FINAL, final)] if final is not None else []):
            codes = sorted(themes, key=lambda code: (positions[code], code)) or [""]
            for theme in codes:
                yield [participant, wave, question, coder, theme]


@dataclass
class CodingImport:
    """What an import of codings found and did (or, in a dry run, would do)."""

    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0
    added: int = 0  # codings of an answer by a coder who had not coded it
    replaced: int = 0  # codings that change
    unchanged: int = 0
    settled: int = 0  # answers whose final coding the file settles

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.added} codings added, {self.replaced} changed, "
            f"{self.unchanged} unchanged; {self.settled} final codings settled"
        )


class _Check:
    """Checks the lines against the workshop and gathers each answer × coder's themes."""

    def __init__(self, workshop: Workshop, result: CodingImport) -> None:
        self.workshop = workshop
        self.result = result
        self.keys = {key: answer_id for answer_id, key in answer_keys(workshop).items()}
        self.people = {
            public_id: withdrawn
            for public_id, withdrawn in db.session.execute(
                select(Participant.public_id, Participant.withdrawn_at).where(
                    Participant.workshop_id == workshop.id
                )
            )
        }
        self.waves = {w.code for w in workshop.waves}
        instrument = workshop.instrument
        self.questions = {q.code: q for q in instrument.questions}
        self.themes = {t.code: t for t in workshop_themes(workshop)}
        self.coders: dict[str, StaffUser | None] = {}
        # (answer id, coder e-mail or FINAL) -> (themes, lines with an empty theme)
        self.groups: dict[tuple[int, str], tuple[set[str], list[int]]] = {}
        self.seen: set[tuple[str, ...]] = set()

    def problem(self, line: int, message: str) -> None:
        self.result.problems.append(ImportProblem(line, message))

    def line(self, number: int, cells: dict[str, str]) -> None:
        participant, wave, question = cells["participant"], cells["wave"], cells["question"]
        coder, theme = cells["coder"], cells["theme"]
        row = (participant, wave, question, coder.lower(), theme)
        if row in self.seen:
            self.problem(number, "the row is repeated")
            return
        self.seen.add(row)
        problems = [
            message
            for message in (
                self._participant(participant),
                None if wave in self.waves else f"unknown wave {wave!r}",
                self._question(question),
                self._coder(coder),
                None if not theme or theme in self.themes else f"unknown theme {theme!r}",
            )
            if message
        ]
        if problems:
            for message in problems:
                self.problem(number, message)
            return
        answer = self.keys.get(AnswerKey(participant, wave, question))
        if answer is None:
            self.problem(
                number, f"{participant} has no submitted answer to {question} in the {wave} wave"
            )
            return
        who = FINAL if coder.lower() == FINAL else normalise_email(coder)
        themes, empty = self.groups.setdefault((answer, who), (set(), []))
        if theme:
            themes.add(theme)
        else:
            empty.append(number)

    def _participant(self, participant: str) -> str | None:
        if participant not in self.people:
            return f"unknown participant {participant!r}"
        if self.people[participant] is not None:
            return f"{participant} has withdrawn: their answers are deleted"
        return None

    def _question(self, question: str) -> str | None:
        found = self.questions.get(question)
        if found is None:
            return f"unknown question {question!r}"
        if not found.free_text:
            return f"{question} is not a free-text question: only free text is coded"
        return None

    def _coder(self, coder: str) -> str | None:
        if coder.lower() == FINAL:
            return None
        email = normalise_email(coder)
        if email not in self.coders:
            user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
            self.coders[email] = user
        user = self.coders[email]
        if user is None:
            return f"unknown coder {coder!r}: a staff user's e-mail address, or {FINAL}"
        if not may_code(user, self.workshop):
            return (
                f"{email} does not code this workshop's answers (no organiser or researcher role)"
            )
        return None

    def check_groups(self) -> None:
        for themes, empty in self.groups.values():
            if themes and empty:
                self.problem(
                    empty[0],
                    "an empty theme (no theme) beside themes for the same answer and coder",
                )
            elif len(empty) > 1:
                self.problem(empty[1], "the row is repeated")


def import_codings(
    workshop: Workshop, data: bytes, *, dry_run: bool = False, actor: StaffUser | None = None
) -> CodingImport:
    """Check a codings file and, unless dry_run or anything is wrong, apply it (the caller
    commits; nothing is added when a problem is found)."""
    result = CodingImport()
    check = _Check(workshop, result)
    try:
        for line in table_lines(data, CODING_COLUMNS):
            result.rows += 1
            check.line(line.number, line.cells)
    except TableError as error:
        result.problems.append(error.problem)
        return result
    check.check_groups()
    if not result.rows and not result.problems:
        result.problems.append(ImportProblem(1, "the file has a header but no codings"))
    result.problems.sort()
    if result.problems:
        return result
    existing = coded_answers(workshop.id)
    after = _after(existing, check, result)
    finals = {answer: themes for (answer, who), (themes, _) in check.groups.items() if who == FINAL}
    settle = {}
    for answer, themes in finals.items():
        coded = existing.get(answer)
        settled = coded.settled if coded else None
        derived = final_themes(after.get(answer, {}).values())
        if frozenset(themes) != (settled if settled is not None else derived):
            settle[answer] = themes
    result.settled = len(settle)
    if not dry_run:
        _write(workshop, check, settle, actor, result)
    return result


def _after(
    existing: dict[int, CodedAnswer], check: _Check, result: CodingImport
) -> dict[int, dict[int, frozenset[str]]]:
    """Every answer's coders' themes once the file is applied; counts what changes."""
    after = {answer: dict(coded.by_coder) for answer, coded in existing.items()}
    for (answer, who), (themes, _) in check.groups.items():
        if who == FINAL:
            continue
        coder = check.coders[who]
        before = after.setdefault(answer, {}).get(coder.id)
        if before is None:
            result.added += 1
        elif before == frozenset(themes):
            result.unchanged += 1
        else:
            result.replaced += 1
        after[answer][coder.id] = frozenset(themes)
    return after


def _write(workshop: Workshop, check: _Check, settle: dict, actor, result: CodingImport) -> None:
    answers = {
        a.id: a
        for a in db.session.scalars(
            select(Answer).where(Answer.id.in_(sorted({answer for answer, _ in check.groups})))
        )
    }
    for (answer, who), (themes, _) in check.groups.items():
        if who != FINAL:
            chosen = [check.themes[code] for code in sorted(themes)]
            save_coding(workshop, answers[answer], check.coders[who], chosen)
    for answer, themes in settle.items():
        settle_answer(workshop, answers[answer], [check.themes[c] for c in sorted(themes)], actor)
    record(
        "coding.import",
        workshop=workshop,
        actor=actor,
        detail={
            "rows": result.rows,
            "added": result.added,
            "replaced": result.replaced,
            "settled": result.settled,
        },
    )
