"""The long format in: paper questionnaires typed in after the workshop (DESIGN §6).

The whole file is checked against the workshop's groups, waves and instrument versions before
anything is written; every problem is reported with the line it starts on. Participants are
matched by their pseudonymous id or created; each (participant, wave) becomes a submitted
response with source "import" and the file's `submitted_at`, so that exporting the imported
data gives back the same file. The `label` column is ignored: it is derived from the codes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from survey.audit import record
from survey.exports.codebook import SECTOR_QUESTION
from survey.exports.long import LONG_COLUMNS
from survey.exports.spec import TIMESTAMP_FORMAT, question_or_none
from survey.exports.spreadsheet import BOM, looks_spreadsheet_safe
from survey.extensions import db
from survey.instruments import Instrument, Question, QuestionKind
from survey.models import (
    Answer,
    Participant,
    ParticipantSource,
    Response,
    ResponseSource,
    ResponseStatus,
    StaffUser,
    Wave,
    Workshop,
)

AUDIT_ACTION = "responses.import"
#: A pseudonymous id as the roster and join links make them (and as a typist can copy one).
PUBLIC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
INTEGER = re.compile(r"-?[0-9]{1,9}")
PLAIN_FILE_ADVICE = (
    "import the plain long file instead (download it with 'spreadsheet-safe' unticked, or "
    "`survey export SLUG --format long` without --spreadsheet)"
)
ANSWER_BATCH = 5000
PROGRESS_STEP = 500

_C = {name: index for index, name in enumerate(LONG_COLUMNS)}


@dataclass(frozen=True, order=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    """What an import found and did (or, in a dry run, would do)."""

    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0
    participants_created: int = 0
    participants_matched: int = 0
    responses: int = 0
    replaced: int = 0  # unfinished online responses replaced by the imported ones
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "participants_created": self.participants_created,
            "participants_matched": self.participants_matched,
            "responses": self.responses,
            "replaced": self.replaced,
        }


@dataclass
class _Answer:
    line: int
    question: Question
    item: str
    number: int | None
    text: str | None


@dataclass
class _Response:
    line: int
    participant: str
    wave: Wave
    language: str
    submitted_at: datetime
    stamp: str
    answers: list[_Answer] = field(default_factory=list)


@dataclass
class _Person:
    line: int
    group: str
    sector: str


class _Reader:
    """Checks the rows one by one and collects people, responses and problems."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self.problems: list[ImportProblem] = []
        self.groups = {group.code: group for group in workshop.groups}
        self.waves = {wave.code: wave for wave in workshop.waves}
        self.people: dict[str, _Person] = {}
        self.responses: dict[tuple[str, str], _Response] = {}
        self.seen: dict[tuple[str, str, str, str], int] = {}
        self.workshop_cell: tuple[int, str] | None = None
        self.rows = 0
        sector = question_or_none(workshop.waves[0].instrument_version.instrument, SECTOR_QUESTION)
        self.sectors = [str(option.code) for option in sector.options] if sector else []
        self.existing: dict[str, Participant] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(ImportProblem(line, message))

    def read(self, line: int, row: list[str]) -> None:
        self.rows += 1
        if len(row) != len(LONG_COLUMNS):
            self.problem(line, f"expected {len(LONG_COLUMNS)} cells, found {len(row)}")
            return
        cells = dict(zip(LONG_COLUMNS, row, strict=True))
        if self.workshop_cell is None:
            self.workshop_cell = (line, cells["workshop"])
        elif cells["workshop"] != self.workshop_cell[1]:
            first_line, first = self.workshop_cell
            self.problem(
                line,
                f"workshop {cells['workshop']!r} differs from {first!r} on line {first_line}: "
                "a file holds one workshop",
            )
        participant = cells["participant"]
        if not PUBLIC_ID.fullmatch(participant):
            self.problem(
                line,
                f"participant {participant!r} is not a pseudonymous id (letters, digits, "
                "'.', '_' or '-', at most 32)",
            )
            return
        self._person(line, participant, cells["group"], cells["sector"])
        wave = self.waves.get(cells["wave"])
        if wave is None:
            self.problem(line, f"unknown wave {cells['wave']!r} (waves: {', '.join(self.waves)})")
            return
        version = wave.instrument_version
        if cells["instrument_version"] != version.label:
            self.problem(
                line,
                f"instrument_version {cells['instrument_version']!r} is not wave {wave.code}'s "
                f"version {version.label!r}",
            )
            return
        instrument = version.instrument
        response = self._response(line, participant, wave, instrument, cells)
        question = question_or_none(instrument, cells["question"])
        if question is None:
            self.problem(line, f"unknown question {cells['question']!r}")
            return
        if wave.code not in question.waves:
            self.problem(line, f"question {question.code!r} is not asked in wave {wave.code}")
            return
        key = (participant, wave.code, question.code, cells["item"])
        if key in self.seen:
            self.problem(line, f"the same answer as line {self.seen[key]}")
            return
        self.seen[key] = line
        answer = self._answer(line, instrument, question, cells["item"], cells["value"])
        if answer is not None and response is not None:
            response.answers.append(answer)

    def _person(self, line: int, participant: str, group: str, sector: str) -> None:
        if group not in self.groups:
            self.problem(line, f"unknown group {group!r} (groups: {', '.join(self.groups)})")
        if sector and self.sectors and sector not in self.sectors:
            self.problem(line, f"unknown sector {sector!r} (sectors: {', '.join(self.sectors)})")
        person = self.people.get(participant)
        if person is None:
            self.people[participant] = _Person(line, group, sector)
        elif (person.group, person.sector) != (group, sector):
            what = "group" if person.group != group else "sector"
            self.problem(
                line,
                f"participant {participant} has {what} "
                f"{group if what == 'group' else sector!r} here but "
                f"{person.group if what == 'group' else person.sector!r} on line {person.line}",
            )

    def _response(
        self, line: int, participant: str, wave: Wave, instrument: Instrument, cells: dict
    ) -> _Response | None:
        language, stamp = cells["language"], cells["submitted_at"]
        if language not in instrument.languages:
            self.problem(
                line,
                f"unknown language {language!r} (languages: {', '.join(instrument.languages)})",
            )
            return None
        try:
            submitted_at = datetime.strptime(stamp, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            self.problem(
                line, f"submitted_at {stamp!r} is not a UTC time like 2014-05-01T09:30:00Z"
            )
            return None
        response = self.responses.get((participant, wave.code))
        if response is None:
            response = _Response(line, participant, wave, language, submitted_at, stamp)
            self.responses[(participant, wave.code)] = response
        elif (response.language, response.stamp) != (language, stamp):
            self.problem(
                line,
                f"participant {participant}'s {wave.code} response has language {language} and "
                f"submitted_at {stamp} here but {response.language} and {response.stamp} on "
                f"line {response.line}",
            )
        return response

    def _answer(
        self, line: int, instrument: Instrument, question: Question, item: str, value: str
    ) -> _Answer | None:
        kind = question.kind
        codes = [str(item.code) for item in question.items]
        if codes and item not in codes:
            self.problem(
                line, f"unknown item {item!r} of {question.code} (items: {', '.join(codes)})"
            )
            return None
        if not codes and item:
            self.problem(line, f"{question.code} has no items: leave item empty (got {item!r})")
            return None
        if kind is QuestionKind.TEXT:
            return self._text(line, question, value)
        if kind is QuestionKind.MULTI:
            return self._multi(line, question, value)
        if kind in (QuestionKind.CHOICE, QuestionKind.YES_NO):
            options = [str(option.code) for option in question.options]
            if value not in options:
                self.problem(
                    line,
                    f"{value!r} is not a code of {question.code} (codes: {', '.join(options)})",
                )
                return None
            return _Answer(line, question, item, None, value)
        number = int(value) if INTEGER.fullmatch(value) else None
        if number is None:
            self.problem(line, f"{question.code} needs a whole number, got {value!r}")
            return None
        if question.allows_non_response and number == instrument.non_response_code:
            return _Answer(line, question, item, number, None)
        low, high = _range(question)
        if not low <= number <= high:
            non_response = (
                f" or {instrument.non_response_code}" if question.allows_non_response else ""
            )
            self.problem(
                line, f"{number} is out of range for {question.code} ({low}–{high}{non_response})"
            )
            return None
        return _Answer(line, question, item, number, None)

    def _multi(self, line: int, question: Question, value: str) -> _Answer | None:
        """Codes separated by spaces, stored in the options' order (as the questionnaire does)."""
        options = [str(option.code) for option in question.options]
        chosen = value.split(" ")
        unknown = [code for code in chosen if code not in options]
        if unknown or len(set(chosen)) != len(chosen):
            self.problem(
                line,
                f"{value!r} is not a list of different codes of {question.code} separated by "
                f"spaces (codes: {', '.join(options)})",
            )
            return None
        return _Answer(line, question, "", None, " ".join(c for c in options if c in chosen))

    def _text(self, line: int, question: Question, value: str) -> _Answer | None:
        if not value:
            self.problem(line, f"{question.code} is empty: leave out unanswered items")
        elif "\x00" in value:
            self.problem(line, f"{question.code} contains a NUL character, which cannot be stored")
        elif question.max_length and len(value) > question.max_length:
            self.problem(
                line,
                f"{question.code} has {len(value)} characters; at most {question.max_length}",
            )
        else:
            return _Answer(line, question, "", None, value)
        return None

    def check_rankings(self) -> None:
        for response in self.responses.values():
            by_question: dict[str, list[_Answer]] = {}
            for answer in response.answers:
                if answer.question.kind is QuestionKind.RANKING:
                    by_question.setdefault(answer.question.code, []).append(answer)
            for answers in by_question.values():
                self._ranking(response, answers[0].question, answers)

    def _ranking(self, response: _Response, question: Question, answers: list[_Answer]) -> None:
        where = f"{question.code} of {response.participant} in {response.wave.code}"
        items = [str(item.code) for item in question.items]
        missing = [item for item in items if item not in {a.item for a in answers}]
        if missing:
            self.problem(
                answers[0].line, f"incomplete ranking {where}: no rank for {', '.join(missing)}"
            )
        ranks: dict[int, int] = {}
        for answer in answers:
            if answer.number in ranks:
                self.problem(
                    answer.line,
                    f"broken ranking {where}: rank {answer.number} also on line "
                    f"{ranks[answer.number]}",
                )
            ranks.setdefault(answer.number, answer.line)


def _range(question: Question) -> tuple[int, int]:
    if question.kind is QuestionKind.RANKING:
        return 1, len(question.items)
    return question.minimum, question.maximum


class _Malformed(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _rows(text: str):
    """(line the record starts on, cells); quoted line breaks make records span lines.

    Blank lines and rows of empty cells (what spreadsheets leave at the end) are skipped.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _Malformed(end + 1, f"the CSV is malformed: {error}") from None
        if any(row):
            yield end + 1, row
        end = reader.line_num


def import_long(
    workshop: Workshop,
    data: bytes,
    *,
    dry_run: bool = False,
    actor: StaffUser | str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check a long file and, unless dry_run or anything is wrong, add its responses.

    Adds to the session (the caller commits); nothing is added when a problem is found.
    """
    result = ImportResult()
    if data.startswith(BOM.encode("utf-8")):
        result.problems.append(
            ImportProblem(
                1,
                f"this is a spreadsheet-safe export (it starts with a byte-order "
                f"mark): {PLAIN_FILE_ADVICE}",
            )
        )
        return result
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        result.problems.append(ImportProblem(line, "the file is not UTF-8 text"))
        return result
    reader = _Reader(workshop)
    try:
        rows = _rows(text)
        first = next(rows, None)
        if first is None or first[1] != list(LONG_COLUMNS):
            got = ",".join(first[1]) if first else "an empty file"
            result.problems.append(
                ImportProblem(1, f"the header must be {','.join(LONG_COLUMNS)} (got {got})")
            )
            return result
        done = 0
        for line, row in rows:
            suspicious = next((cell for cell in row if looks_spreadsheet_safe(cell)), None)
            if suspicious is not None:
                message = (
                    f"the cell {suspicious[:20]!r} starts with an apostrophe as in a "
                    f"spreadsheet-safe export: {PLAIN_FILE_ADVICE}"
                )
                result.problems.append(ImportProblem(line, message))
                return result
            reader.read(line, row)
            done += 1
            if progress and done == PROGRESS_STEP:
                progress(done)
                done = 0
        if progress:
            progress(done)
    except _Malformed as error:
        result.problems.append(ImportProblem(error.line, str(error)))
        return result
    reader.check_rankings()
    result.rows = reader.rows
    _check_existing(workshop, reader, result)
    result.problems = sorted(reader.problems)
    if result.problems or dry_run:
        return result
    return _write(workshop, reader, result, actor)


def _check_existing(workshop: Workshop, reader: _Reader, result: ImportResult) -> None:
    """Match participants by public id; refuse what would overwrite submitted answers."""
    existing = reader.existing = {
        p.public_id: p
        for p in db.session.scalars(
            select(Participant).where(Participant.workshop_id == workshop.id)
        )
        if p.public_id in reader.people
    }
    statuses = {
        (public_id, wave): status
        for public_id, wave, status in db.session.execute(
            select(Participant.public_id, Wave.code, Response.status)
            .join(Response, Response.participant_id == Participant.id)
            .join(Wave, Response.wave_id == Wave.id)
            .where(Participant.workshop_id == workshop.id)
        )
    }
    for public_id in reader.people:
        person, participant = reader.people[public_id], existing.get(public_id)
        if participant is None:
            result.participants_created += 1
            continue
        result.participants_matched += 1
        if participant.withdrawn:
            reader.problem(person.line, f"participant {public_id} has withdrawn")
        elif participant.group.code != person.group:
            reader.problem(
                person.line,
                f"participant {public_id} is in group {participant.group.code}, not {person.group}",
            )
        elif participant.sector and person.sector and participant.sector != person.sector:
            reader.problem(
                person.line,
                f"participant {public_id} has sector {participant.sector}, not {person.sector}",
            )
    for (public_id, wave), response in reader.responses.items():
        status = statuses.get((public_id, wave))
        if status is ResponseStatus.SUBMITTED:
            reader.problem(
                response.line, f"participant {public_id} has already submitted wave {wave}"
            )
        elif status is not None:
            result.replaced += 1
    result.responses = len(reader.responses)


def _write(workshop: Workshop, reader: _Reader, result: ImportResult, actor) -> ImportResult:
    participants = dict(reader.existing)
    first_language = {}
    for response in sorted(reader.responses.values(), key=lambda r: r.wave.position):
        first_language.setdefault(response.participant, response.language)
    for public_id, person in reader.people.items():
        participant = participants.get(public_id)
        if participant is None:
            participant = Participant(
                workshop=workshop,
                group=reader.groups[person.group],
                public_id=public_id,
                sector=person.sector or None,
                language=first_language.get(public_id, "en"),
                source=ParticipantSource.IMPORT,
            )
            db.session.add(participant)
            participants[public_id] = participant
        elif person.sector and not participant.sector:
            participant.sector = person.sector
    try:
        db.session.flush()
        keys = {(participants[r.participant].id, r.wave.id) for r in reader.responses.values()}
        unfinished = [
            response_id
            for response_id, participant_id, wave_id in db.session.execute(
                select(Response.id, Response.participant_id, Response.wave_id)
                .join(Wave)
                .where(Wave.workshop_id == workshop.id)
            )
            if (participant_id, wave_id) in keys
        ]
        if unfinished:
            # Only unfinished online responses are left here (submitted ones were refused).
            db.session.execute(delete(Response).where(Response.id.in_(unfinished)))
        responses = []
        for item in reader.responses.values():
            response = Response(
                participant_id=participants[item.participant].id,
                wave_id=item.wave.id,
                instrument_version_id=item.wave.instrument_version_id,
                status=ResponseStatus.SUBMITTED,
                source=ResponseSource.IMPORT,
                language=item.language,
                started_at=item.submitted_at,
                updated_at=item.submitted_at,
                submitted_at=item.submitted_at,
            )
            db.session.add(response)
            responses.append((response, item))
        db.session.flush()
        rows = [
            {
                "response_id": response.id,
                "question": answer.question.code,
                "item": answer.item,
                "number": answer.number,
                "text": answer.text,
            }
            for response, item in responses
            for answer in item.answers
        ]
        for start in range(0, len(rows), ANSWER_BATCH):
            db.session.execute(insert(Answer), rows[start : start + ANSWER_BATCH])
        record(AUDIT_ACTION, workshop=workshop, actor=actor, detail=result.summary())
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        result.problems.append(
            ImportProblem(
                1,
                "the workshop changed while the file was imported (a participant or response "
                "was added at the same time); nothing was written: try again",
            )
        )
        return result
    result.written = True
    return result
