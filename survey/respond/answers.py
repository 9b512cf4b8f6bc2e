"""The answer store: the writes of the questionnaire (start, consent, a page of answers,
submit) to a visit read by survey.respond.visit_reads.

A page save is at most four statements in one transaction (tests/test_respond_budget.py):
the visit's joined select, a guarded UPDATE of the response, one INSERT … ON CONFLICT DO
UPDATE of the page's answers and one DELETE of the answers cleared on the page. The guard
(`status = 'in_progress'`) is what keeps submitted responses read-only and submit idempotent:
the first UPDATE to reach a response row wins, and the other finds nothing to update. A save
sent in the background also carries the page's revision, and the same UPDATE stores it only
when it is newer than the page's stored one (`page_revisions`), so that a save retried or
delayed by a weak network never overwrites a newer one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from functools import cache

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from survey.extensions import db
from survey.models import (
    Answer,
    Participant,
    Response,
    ResponseSource,
    ResponseStatus,
)
from survey.models._types import utcnow
from survey.models.responses import new_display_seed
from survey.respond.fields import Row
from survey.respond.flow import (
    PARTICIPANT_FIELDS,
)
from survey.respond.visit_reads import Visit


def _insert(table):
    """INSERT with ON CONFLICT support on either backend."""
    return (postgresql.insert if _dialect() == "postgresql" else sqlite.insert)(table)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


# The statements of a page save are built once per process (per dialect where the SQL differs)
# and run with bind parameters: building them cost more CPU than the database spent on them.


@cache
def _upsert_answers(dialect: str):
    """INSERT … ON CONFLICT DO UPDATE of answers, run with one parameter set per row."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Answer.__table__)
    return statement.on_conflict_do_update(
        index_elements=["response_id", "question", "item"],
        set_={"number": statement.excluded.number, "text": statement.excluded.text},
    )


@cache
def _delete_answers():
    """DELETE of a response's answers to some questions."""
    return delete(Answer.__table__).where(
        Answer.response_id == bindparam("response_id"),
        Answer.question.in_(bindparam("questions", expanding=True)),
    )


@cache
def _stored_rows_query():
    return select(Answer.question, Answer.item, Answer.number, Answer.text).where(
        Answer.response_id == bindparam("response_id")
    )


# Columns a second write must not overwrite (consent keeps its first time and version; the
# participant's first act its time).
_KEEP_FIRST = frozenset({"consent_at", "consent_version", "first_saved_at"})


@cache
def _touch_statement(names: tuple[str, ...], revised: str | None = None):
    """The guarded UPDATE of a response setting `names` (and updated_at); with `revised` (the
    dialect), it also records the revision of the page saved (see _page_revision)."""
    table = Response.__table__
    values = {}
    for name in ("updated_at", *names):
        value = bindparam(f"new_{name}", type_=table.c[name].type)
        if name in _KEEP_FIRST:
            value = func.coalesce(table.c[name], value)
        elif name == "started_at":
            value = _started_at(table, value)
        values[name] = value
    guards = [table.c.id == bindparam("response_id"), table.c.status == ResponseStatus.IN_PROGRESS]
    if revised is not None:
        values["page_revisions"], newer = _page_revision(revised)
        guards.append(newer)
    return update(table).where(*guards).values(values)


def _started_at(table, opened):
    """The response's start once the participant first acts: when their browser first showed
    the questionnaire (`opened`), if that is later than the row's first opening, which another
    program may have caused (a mail scanner following the link). Set with the first act only
    (SET reads the row as it was before the UPDATE)."""
    first_act = and_(table.c.first_saved_at.is_(None), table.c.started_at < opened)
    return case((first_act, opened), else_=table.c.started_at)


def _page_revision(dialect: str):
    """The new `page_revisions` with the saved page's revision, and the guard that it is newer.

    `revision` is the one the save carries, or NULL for a save that has none (a form posted
    without JavaScript, answered at once and always stored): that gets the stored one plus one.
    Written in each backend's JSON functions so that the check and the write are one statement.
    """
    column = Response.__table__.c.page_revisions
    page = bindparam("revised_page", type_=String)
    revision = bindparam("revision", type_=Integer)
    if dialect == "postgresql":
        stored = func.coalesce(cast(column.op("->>")(page), Integer), 0)
        new = func.coalesce(revision, stored + 1)
        value = func.jsonb_set(
            func.coalesce(column, cast(literal("{}"), postgresql.JSONB)),
            postgresql.array([page]),
            func.to_jsonb(new),
        )
    else:
        path = literal("$.") + page
        stored = func.coalesce(func.json_extract(column, path), 0)
        new = func.coalesce(revision, stored + 1)
        value = func.json_set(func.coalesce(column, literal("{}")), path, new)
    return value, revision.is_(None) | (stored < revision)


def start_response(visit: Visit, language: str) -> Response:
    """The participant's response to the visit's wave, created on first arrival. Two tabs
    arriving at once both end up with the one row (the unique participant × wave constraint)."""
    if visit.response is not None:
        return visit.response
    now = utcnow()
    statement = (
        _insert(Response.__table__)
        .values(
            participant_id=visit.participant.id,
            wave_id=visit.wave.id,
            instrument_version_id=visit.wave.instrument_version_id,
            status=ResponseStatus.IN_PROGRESS,
            source=ResponseSource.WEB,
            language=language,
            started_at=now,
            updated_at=now,
            display_seed=new_display_seed(),
        )
        .on_conflict_do_nothing(index_elements=["participant_id", "wave_id"])
    )
    db.session.execute(statement)
    visit.response = db.session.scalar(
        select(Response).where(
            Response.participant_id == visit.participant.id, Response.wave_id == visit.wave.id
        )
    )
    return visit.response


def page_revision(response: Response, page: str) -> int:
    """The revision of the page's last stored save (0: never saved)."""
    return (response.page_revisions or {}).get(page, 0)


def response_state(response_id: int) -> tuple[ResponseStatus, dict[str, int]]:
    """The status and page revisions of a response as stored now (after a guarded write found
    nothing to update)."""
    status, revisions = db.session.execute(
        select(Response.status, Response.page_revisions).where(Response.id == response_id)
    ).one()
    return status, revisions or {}


def stored_rows(response_id: int) -> dict[str, dict[str, Row]]:
    """The stored answers of a response: question -> item -> row."""
    rows: dict[str, dict[str, Row]] = defaultdict(dict)
    for question, item, number, text in db.session.execute(
        _stored_rows_query(), {"response_id": response_id}
    ):
        rows[question][item] = (item, number, text)
    return rows


_NOW = object()  # "the time of this write", for values that need it besides updated_at


def _touch(
    response_id: int,
    revised: tuple[str, int | None] | None = None,
    opened: datetime | None = None,
    **values,
) -> bool:
    """Update the response while it is in progress; False once it has been submitted (or, with
    `revised` (page, revision), when the page's stored revision is as new or newer). `opened`:
    when the participant's browser first showed the questionnaire, their start if this is their
    first act (_started_at)."""
    now = utcnow()
    values["first_saved_at"] = _NOW  # kept from the first write (_KEEP_FIRST)
    if opened is not None:
        values["started_at"] = opened
    parameters = {f"new_{k}": (now if v is _NOW else v) for k, v in values.items()}
    if revised is not None:
        parameters["revised_page"], parameters["revision"] = revised
    statement = _touch_statement(tuple(sorted(values)), _dialect() if revised else None)
    result = db.session.execute(
        statement, {"response_id": response_id, "new_updated_at": now, **parameters}
    )
    return result.rowcount == 1


def save_page(
    response_id: int,
    rows: Mapping[str, list[Row]],
    *,
    page: str,
    current_page: str,
    language: str,
    revision: int | None = None,
    opened: datetime | None = None,
) -> bool:
    """Store one page's answers: upsert what is answered, delete what was cleared, and record
    the page's revision (`revision`, or the stored one plus one when None). `opened`: see
    _touch.

    Returns False, writing nothing, when the response has been submitted meanwhile, or when
    `revision` is given and the page's stored revision is as new or newer.
    """
    revised = (page, revision)
    if not _touch(response_id, revised, opened, current_page=current_page, language=language):
        return False
    values = [
        {"response_id": response_id, "question": code, "item": item, "number": number, "text": text}
        for code, question_rows in rows.items()
        for item, number, text in question_rows
    ]
    if values:
        db.session.execute(_upsert_answers(_dialect()), values)
    cleared = [code for code, question_rows in rows.items() if not question_rows]
    if cleared:
        db.session.execute(_delete_answers(), {"response_id": response_id, "questions": cleared})
    return True


def give_consent(
    response_id: int,
    version: str,
    *,
    current_page: str,
    language: str,
    opened: datetime | None = None,
) -> bool:
    """Record consent with its time and text version; a second click keeps the first time.
    `opened`: see _touch."""
    return _touch(
        response_id,
        opened=opened,
        consent_at=_NOW,
        consent_version=version,
        current_page=current_page,
        language=language,
    )


def submit(visit: Visit, language: str) -> bool:
    """Submit the response once; True only for the request that submitted it.

    The participant's own columns (language, and sector when the profile asked it) are taken
    from the response in the same transaction.
    """
    response_id = visit.response.id
    if not _touch(
        response_id,
        opened=visit.opened,
        status=ResponseStatus.SUBMITTED,
        submitted_at=_NOW,
        language=language,
    ):
        return False
    profile = {q.code for q in visit.instrument.profile_questions}
    values: dict = {"language": language}
    for name in PARTICIPANT_FIELDS:
        if name in profile:
            answer = (
                select(Answer.text)
                .where(
                    Answer.response_id == response_id, Answer.question == name, Answer.item == ""
                )
                .scalar_subquery()
            )
            values[name] = func.coalesce(answer, getattr(Participant, name))
    db.session.execute(
        update(Participant)
        .where(Participant.id == visit.participant.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return True
