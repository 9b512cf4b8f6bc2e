"""The long format in: paper questionnaires typed in after the workshop (docs/exports.md).

The whole file is checked against the workshop's groups, waves and instrument versions before
anything is written (survey.exports.import_check); every problem is reported with the line it
starts on. Participants are matched by their pseudonymous id or created; each (participant,
wave) becomes a submitted response with source "import" and the file's `submitted_at`, so that
exporting the imported data gives back the same file. The `label` column is ignored: it is
derived from the codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from survey.audit import record
from survey.exports.import_check import ImportProblem, LongFileCheck, MalformedFile, records
from survey.exports.long import LONG_COLUMNS
from survey.exports.spreadsheet import BOM, looks_spreadsheet_safe
from survey.extensions import db
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
from survey.text import NotUtf8, csv_delimiter, quantity, utf8_text

AUDIT_ACTION = "responses.import"
PLAIN_FILE_ADVICE = (
    "import the plain long file instead (download it with 'spreadsheet-safe' unticked, or "
    "`survey export SLUG --format long` without --spreadsheet)"
)
ANSWER_BATCH = 5000
PROGRESS_STEP = 500


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

    @property
    def described(self) -> str:
        """What was imported (or would be), as the console and the command line say it."""
        people = self.participants_created + self.participants_matched
        replaced = quantity(self.replaced, "unfinished online response")
        return (
            f"{quantity(self.responses, 'response')} ({quantity(self.rows, 'answer')}) of "
            f"{quantity(people, 'participant')} ({self.participants_created} new, "
            f"{self.participants_matched} matched)"
            + (f"; {replaced} replaced" if self.replaced else "")
        )

    def summary(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "participants_created": self.participants_created,
            "participants_matched": self.participants_matched,
            "responses": self.responses,
            "replaced": self.replaced,
        }


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
        text = utf8_text(data)
    except NotUtf8 as error:
        result.problems.append(ImportProblem(error.line, str(error)))
        return result
    reader = LongFileCheck(workshop)
    try:
        rows = records(text)
        first = next(rows, None)
        if first is None or first[1] != list(LONG_COLUMNS):
            result.problems.append(ImportProblem(1, _header_problem(text, first)))
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
    except MalformedFile as error:
        result.problems.append(ImportProblem(error.line, str(error)))
        return result
    reader.check_answers()
    result.rows = reader.rows
    _check_existing(workshop, reader, result)
    result.problems = sorted(reader.problems)
    if result.problems or dry_run:
        return result
    return _write(workshop, reader, result, actor)


def _header_problem(text: str, first: tuple[int, list[str]] | None) -> str:
    """What is wrong with the first line: a header separated by semicolons or tabs (as Excel
    saves a CSV in French and other settings) is named as such."""
    delimiter = csv_delimiter(text)
    if first is not None and delimiter != ",":
        try:
            cells = next(records(text, delimiter), (1, []))[1]
        except MalformedFile:
            cells = []
        if cells == list(LONG_COLUMNS):
            separator = "semicolons" if delimiter == ";" else "tabs"
            return (
                f"the cells are separated by {separator}, not commas: save the file as CSV "
                "with commas (the plain long file's format)"
            )
    got = ",".join(first[1]) if first else "an empty file"
    return f"the header must be {','.join(LONG_COLUMNS)} (got {got})"


def _check_existing(workshop: Workshop, reader: LongFileCheck, result: ImportResult) -> None:
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


def _write(workshop: Workshop, reader: LongFileCheck, result: ImportResult, actor) -> ImportResult:
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
