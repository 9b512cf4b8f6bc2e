"""Checking a long file line by line before it is imported (docs/exports.md): nothing is
written here.

Each line is checked against the workshop's groups, waves and instrument versions, and each
value by its question's kind (the one check the questionnaire and the tests use too); every
problem is kept with the line its record starts on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from survey.exports.long import LONG_COLUMNS
from survey.exports.spec import SECTOR_QUESTION, TIMESTAMP_FORMAT, question_or_none
from survey.instruments import Instrument, Question
from survey.models import Participant, Wave, Workshop
from survey.text import MalformedCsv, csv_records

#: A pseudonymous id as the roster and join links make them (and as a typist can copy one).
PUBLIC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")


@dataclass(frozen=True, order=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class FileAnswer:
    """One checked answer row of the file."""

    line: int
    question: Question
    item: str
    number: int | None
    text: str | None


@dataclass
class FileResponse:
    """One participant's answers to one wave, as the file gives them."""

    line: int
    participant: str
    wave: Wave
    language: str
    submitted_at: datetime
    stamp: str
    answers: list[FileAnswer] = field(default_factory=list)


@dataclass
class FilePerson:
    """A participant as the file first gives them."""

    line: int
    group: str
    sector: str


class MalformedFile(Exception):
    """A file the CSV reader cannot read past: reported alone, at its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def records(text: str, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, cells); quoted line breaks make records span lines.

    Blank lines and rows of empty cells (what spreadsheets leave at the end) are skipped.
    """
    try:
        for start, _end, row in csv_records(text, delimiter):
            if any(row):
                yield start, row
    except MalformedCsv as error:
        raise MalformedFile(error.line, f"the CSV is malformed: {error}") from None


class LongFileCheck:
    """Checks the rows one by one and collects people, responses and problems."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self.problems: list[ImportProblem] = []
        self.groups = {group.code: group for group in workshop.groups}
        self.waves = {wave.code: wave for wave in workshop.waves}
        self.people: dict[str, FilePerson] = {}
        self.responses: dict[tuple[str, str], FileResponse] = {}
        self.seen: dict[tuple[str, str, str, str], int] = {}
        self.workshop_cell: tuple[int, str] | None = None
        self.rows = 0
        sector = question_or_none(workshop.instrument, SECTOR_QUESTION)
        self.sectors = [str(option.code) for option in sector.options] if sector else []
        self.existing: dict[str, Participant] = {}  # filled by the importer

    def problem(self, line: int, message: str) -> None:
        self.problems.append(ImportProblem(line, message))

    def read(self, line: int, row: list[str]) -> None:
        """Check one record of the file and keep what it says."""
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
        answer = self._answer(line, question, cells["item"], cells["value"])
        if answer is not None and response is not None:
            response.answers.append(answer)

    def _person(self, line: int, participant: str, group: str, sector: str) -> None:
        if group not in self.groups:
            self.problem(line, f"unknown group {group!r} (groups: {', '.join(self.groups)})")
        if sector and self.sectors and sector not in self.sectors:
            self.problem(line, f"unknown sector {sector!r} (sectors: {', '.join(self.sectors)})")
        person = self.people.get(participant)
        if person is None:
            self.people[participant] = FilePerson(line, group, sector)
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
    ) -> FileResponse | None:
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
            response = FileResponse(line, participant, wave, language, submitted_at, stamp)
            self.responses[(participant, wave.code)] = response
        elif (response.language, response.stamp) != (language, stamp):
            self.problem(
                line,
                f"participant {participant}'s {wave.code} response has language {language} and "
                f"submitted_at {stamp} here but {response.language} and {response.stamp} on "
                f"line {response.line}",
            )
        return response

    def _answer(self, line: int, question: Question, item: str, cell: str) -> FileAnswer | None:
        kind = question.kind
        value = kind.read_cell(question, cell)
        problem = kind.check_value(question, item, value)
        if problem is not None:
            self.problem(line, problem)
            return None
        _, number, text = kind.stored_row(item, value)
        return FileAnswer(line, question, item, number, text)

    def check_answers(self) -> None:
        """Check each answer as a whole (a ranking: every item, each rank once)."""
        for response in self.responses.values():
            by_question: dict[str, list[FileAnswer]] = {}
            for answer in response.answers:
                by_question.setdefault(answer.question.code, []).append(answer)
            for answers in by_question.values():
                self._whole_answer(response, answers)

    def _whole_answer(self, response: FileResponse, answers: list[FileAnswer]) -> None:
        question = answers[0].question
        kind = question.kind
        problems = kind.check_answer(
            question,
            [(a.item, kind.stored_value(a.number, a.text)) for a in answers],
            where=f"{question.code} of {response.participant} in {response.wave.code}",
            place=lambda row: f"line {answers[row].line}",
        )
        for row, message in problems:
            self.problem(answers[row].line, message)
