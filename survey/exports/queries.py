"""The export's database reads: the settings, one count, and for each file of answers two
streamed selects read side by side (the submitted responses, and their answers).

Callers start a read transaction first (survey.database.begin_read), so that the count and the
rows come from the same snapshot and a long export never holds SQLite's write lock.
"""

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from sqlalchemy import ColumnElement, DateTime, Row, Select, distinct, func, select, type_coerce

from survey.exports.spec import AnswerValue, ExportSpec, ResponseRecord, VersionInfo, WaveInfo
from survey.extensions import db
from survey.models import (
    Answer,
    Group,
    InstrumentVersion,
    Participant,
    Response,
    ResponseStatus,
    Wave,
    Workshop,
)

#: Rows fetched from the cursor at a time; memory stays flat whatever the number of answers.
FETCH_ROWS = 1000
_RESPONSE_ID = itemgetter(0)  # of a ResponseRecord and of an AnswerValue


def export_spec(
    workshop: Workshop, *, language: str | None = None, labels: bool = False
) -> ExportSpec:
    """The workshop's waves and every instrument version its responses use."""
    waves = db.session.execute(
        select(Wave.code, Wave.instrument_version_id)
        .where(Wave.workshop_id == workshop.id)
        .order_by(Wave.position)
    ).all()
    used = select(Response.instrument_version_id).join(Wave).where(Wave.workshop_id == workshop.id)
    stored = db.session.scalars(
        select(InstrumentVersion).where(
            InstrumentVersion.id.in_([version_id for _, version_id in waves])
            | InstrumentVersion.id.in_(used)
        )
    ).all()
    versions = {v.id: VersionInfo(v.label, v.instrument) for v in stored}
    groups = db.session.scalars(
        select(Group.code).where(Group.workshop_id == workshop.id).order_by(Group.position)
    ).all()
    first = versions[waves[0][1]].instrument
    return ExportSpec(
        workshop=workshop.slug,
        title=workshop.title,
        groups=tuple(groups),
        waves=tuple(WaveInfo(code, versions[version_id]) for code, version_id in waves),
        versions=versions,
        language=language or first.default_language,
        labels=labels,
    )


def _binary(column: ColumnElement) -> ColumnElement:
    """Sort by code point on every backend (PostgreSQL's default collation is the locale's)."""
    return column.collate("C" if db.session.get_bind().dialect.name == "postgresql" else "BINARY")


def _submitted(statement: Select, workshop: Workshop) -> Select:
    """Only submitted responses of participants who have not withdrawn."""
    return statement.join(Participant, Response.participant_id == Participant.id).where(
        Participant.workshop_id == workshop.id,
        Participant.withdrawn_at.is_(None),
        Response.status == ResponseStatus.SUBMITTED,
    )


def answer_count(workshop: Workshop) -> int:
    """The number of rows of the long file."""
    statement = select(func.count(Answer.id)).join(Response, Answer.response_id == Response.id)
    return db.session.scalar(_submitted(statement, workshop))


def respondent_count(workshop: Workshop) -> int:
    """The number of rows of the wide file: participants with a submitted response."""
    statement = select(func.count(distinct(Response.participant_id)))
    return db.session.scalar(_submitted(statement.select_from(Response), workshop))


def response_count(workshop: Workshop) -> int:
    """The number of rows of the responses file: submitted responses."""
    return db.session.scalar(_submitted(select(func.count(Response.id)), workshop))


def response_paradata(workshop: Workshop) -> Iterator[Row]:
    """The submitted responses in the files' order with how they were given (rows with
    survey.exports.responses.ResponseParadata's fields in its order): where from, in which
    language and version, consent, when begun and submitted, and the seed of the orders drawn
    for them."""
    statement = select(
        Participant.public_id.label("participant"),
        Group.code.label("group"),
        Wave.code.label("wave"),
        Response.source,
        Response.language,
        Response.instrument_version_id.label("version_id"),
        Response.consent_version,
        _plain(Response.consent_at),
        _plain(Response.started_at),
        _plain(Response.first_saved_at),
        _plain(Response.submitted_at),
        Response.display_seed,
    ).join(Wave, Response.wave_id == Wave.id)
    statement = _submitted(statement, workshop).join(Group, Participant.group_id == Group.id)
    yield from _in_file_order(statement)


def submitted_responses(workshop: Workshop) -> Iterator[tuple[Row, list[Row]]]:
    """Each submitted response, in the files' order (by participant, wave order and response),
    with its answers in no order (none for a response submitted without any): a ResponseRecord
    row and AnswerValue rows. Two streamed selects read side by side, so that what a response's
    answers share is read once per response, not once per answer; one response's answers are
    held at a time."""
    return side_by_side(response_records(workshop), answer_values(workshop))


def side_by_side(
    responses: Iterable[ResponseRecord], answers: Iterable[AnswerValue]
) -> Iterator[tuple[ResponseRecord, list[AnswerValue]]]:
    """Pair two streams in the same order of responses: each response with its answers, an
    empty list for a response without any (its participant still has a row in the wide file)."""
    responses = iter(responses)
    for response_id, its_answers in groupby(answers, key=_RESPONSE_ID):
        for response in responses:
            if response[0] == response_id:
                break
            yield response, []
        else:
            raise LookupError(f"answers of response {response_id}, not in the responses' select")
        yield response, list(its_answers)
    for response in responses:
        yield response, []


def response_records(workshop: Workshop) -> Iterator[Row]:
    """The submitted responses in the files' order, with what their answers share (who, which
    wave, when): rows with ResponseRecord's fields in its order. The select runs on the
    session's Core connection, not through the ORM, and `submitted_at` is read as a plain
    DateTime: the serializers format it once per response."""
    statement = select(
        Response.id.label("response_id"),
        Participant.public_id.label("participant"),
        Group.code.label("group"),
        Participant.sector,
        Wave.code.label("wave"),
        Response.language,
        Response.instrument_version_id.label("version_id"),
        _plain(Response.submitted_at),
    ).join(Wave, Response.wave_id == Wave.id)
    statement = _submitted(statement, workshop).join(Group, Participant.group_id == Group.id)
    yield from _in_file_order(statement)


def answer_values(workshop: Workshop) -> Iterator[Row]:
    """The answers of the submitted responses (AnswerValue rows), responses in the order of
    response_records, each response's answers in no order."""
    statement = (
        select(Answer.response_id, Answer.question, Answer.item, Answer.number, Answer.text)
        .join(Response, Answer.response_id == Response.id)
        .join(Wave, Response.wave_id == Wave.id)
    )
    yield from _in_file_order(_submitted(statement, workshop))


def _plain(moment: ColumnElement) -> ColumnElement:
    """A moment read as a plain DateTime, under its own name: the serializers format it
    (spec.timestamp)."""
    return type_coerce(moment, DateTime(timezone=True)).label(moment.key)


def _in_file_order(statement: Select) -> Iterator[Row]:
    """The rows in the files' order (by participant, wave order and response), streamed from
    the session's Core connection; a generator, so that the select starts when the stream is
    first read, and its cursor (on PostgreSQL a server-side one) closes when the stream is left."""
    statement = statement.order_by(
        _binary(Participant.public_id), Wave.position, Response.id
    ).execution_options(yield_per=FETCH_ROWS)
    with db.session.connection().execute(statement) as rows:
        yield from rows
