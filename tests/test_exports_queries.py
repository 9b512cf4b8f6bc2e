"""The export's database work: a constant number of statements whatever the size."""

import pytest
from sqlalchemy import event, insert

from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.queries import answer_count, answer_records, respondent_count
from survey.extensions import db
from survey.models import Answer, Participant, Response, ResponseStatus
from tests import exports_data


def seed(workshop, count: int) -> None:
    """count participants with a submitted pre response of 12 answers, inserted in bulk."""
    group, wave = workshop.group("nato"), workshop.wave("pre")
    db.session.execute(
        insert(Participant),
        [
            {"workshop_id": workshop.id, "group_id": group.id, "public_id": f"B{i:05d}"}
            for i in range(count)
        ],
    )
    ids = db.session.scalars(
        db.select(Participant.id).where(Participant.workshop_id == workshop.id)
    ).all()
    db.session.execute(
        insert(Response),
        [
            {
                "participant_id": pid,
                "wave_id": wave.id,
                "status": ResponseStatus.SUBMITTED,
                "instrument_version_id": wave.instrument_version_id,
                "language": "en",
                "submitted_at": exports_data.at(1),
            }
            for pid in ids
        ],
    )
    responses = db.session.scalars(db.select(Response.id).where(Response.wave_id == wave.id))
    db.session.execute(
        insert(Answer),
        [
            {"response_id": rid, "question": q, "item": "", "number": v, "text": None}
            for rid in responses.all()
            for q, v in exports_data.CORE.items()
        ],
    )
    db.session.commit()


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(statement)

    def touching(self, table: str) -> list[str]:
        return [s for s in self.seen if f" {table} " in s.lower() or f"{table}." in s.lower()]


def measure(workshop, fmt: ExportFormat) -> Statements:
    statements = Statements()
    event.listen(db.engine, "before_cursor_execute", statements)
    try:
        export = start_export(workshop, ExportOptions(fmt))
        data = b"".join(export.chunks)
    finally:
        event.remove(db.engine, "before_cursor_execute", statements)
    assert data
    return statements


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_the_number_of_statements_does_not_grow_with_the_participants(app, make, fmt):
    small, large = make.workshop("small"), make.workshop("large")
    seed(small, 10)
    seed(large, 1000)

    few, many = measure(small, fmt), measure(large, fmt)

    assert len(few.seen) == len(many.seen)
    # long: one count and one streamed select of the answers; wide: one streamed select (its
    # count is of respondents); the package: the long count and a select per data file (long,
    # wide, and the codings of the free text).
    answers = {
        ExportFormat.LONG: 2,
        ExportFormat.WIDE: 1,
        ExportFormat.CODEBOOK: 0,
        ExportFormat.DATAPACKAGE: 4,
    }[fmt]
    assert len(many.touching("answer")) == answers, many.touching("answer")
    assert len(many.seen) <= answers + 8


def test_counts_match_the_streamed_rows(app, make):
    ws = exports_data.build(make, "counted")
    records = list(answer_records(ws))
    assert answer_count(ws) == len(records) == 76
    assert respondent_count(ws) == len({r.participant for r in records}) == 3
