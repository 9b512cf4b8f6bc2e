"""The long-format import: validation with line numbers, nothing written on error, round trip."""

from sqlalchemy import func, select

from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.importer import import_long
from survey.exports.spreadsheet import BOM
from survey.extensions import db
from survey.models import Answer, Participant, Response, ResponseSource, ResponseStatus
from tests import exports_data

HEADER = (
    "workshop,participant,group,sector,wave,question,item,value,label,language,"
    "instrument_version,submitted_at"
)
VERSION = "nato-pakistan-2014@1"


def export_long(workshop, **options) -> bytes:
    export = start_export(workshop, ExportOptions(ExportFormat.LONG, **options))
    return b"".join(export.chunks)


def counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Participant.id))),
        db.session.scalar(select(func.count(Response.id))),
        db.session.scalar(select(func.count(Answer.id))),
    )


def lines(*rows: str) -> bytes:
    return ("\r\n".join((HEADER, *rows)) + "\r\n").encode()


def row(
    participant="X1",
    group="nato",
    sector="",
    wave="pre",
    question="trust_direct",
    item="",
    value="3",
    language="en",
    version=VERSION,
    at="2014-05-01T10:00:00Z",
    ws="w",
) -> str:
    return ",".join(
        [ws, participant, group, sector, wave, question, item, value, "", language, version, at]
    )


def test_round_trip_into_an_empty_workshop_gives_the_same_bytes(app, make):
    source = exports_data.build(make, "source")
    exported = export_long(source)
    target = make.workshop("target", open_waves=())

    result = import_long(target, exported)
    db.session.commit()

    assert result.ok, result.problems
    assert (result.responses, result.participants_created) == (4, 3)
    again = export_long(target)
    assert again == exported.replace(b"\r\nsource,", b"\r\ntarget,")
    assert "باہمی اعتماد 🤝".encode() in again and "🚀".encode() in again
    imported = db.session.scalars(
        select(Response).join(Participant).where(Participant.workshop_id == target.id)
    ).all()
    assert {r.source for r in imported} == {ResponseSource.IMPORT}
    assert {r.status for r in imported} == {ResponseStatus.SUBMITTED}
    late = db.session.scalar(
        select(Participant).where(
            Participant.workshop_id == target.id, Participant.public_id == "P-late3"
        )
    )
    assert late.language == "fr" and late.group.code == "nato"


def test_round_trip_keeps_the_file_when_the_slug_is_the_same(app, make):
    source = exports_data.build(make, "same-slug")
    exported = export_long(source)
    db.session.delete(source)
    db.session.commit()
    target = make.workshop("same-slug", open_waves=())

    assert import_long(target, exported).ok
    db.session.commit()
    assert export_long(target) == exported


def test_a_malformed_file_leaves_the_database_unchanged(app, make):
    source = exports_data.build(make, "src")
    exported = export_long(source).decode()
    target = make.workshop("dst", open_waves=())
    before = counts()
    # A good file with one bad value near the end: nothing of the good part may be written.
    broken = exported.replace(",warmth,,80,", ",warmth,,180,")

    result = import_long(target, broken.encode())
    db.session.commit()

    assert not result.ok and not result.written
    assert [p.message for p in result.problems] == ["180 is out of range for warmth (0–100 or -9)"]
    assert counts() == before


def test_every_problem_is_reported_with_its_line(app, make):
    ws = make.workshop("ws", open_waves=())
    data = lines(
        row(participant="A", question="trust_nonsense"),
        row(participant="B", value="6"),
        row(participant="C", value="x"),
        row(participant="D", group="martians"),
        row(participant="E", wave="followup"),
        row(participant="F", question="eval_overall"),  # a post question in pre
        row(participant="G", question="sector", value="pirates"),
        row(participant="B"),  # the same answer as line 3
        row(participant="H", language="de"),
        row(participant="I", at="2014-05-01 10:00"),
        row(participant="J", version="nato-pakistan-2014@9"),
        row(participant="K", question="hope_text", value="x" * 2001),
        row(participant="bad id!"),
        row(participant="L", question="warmth", item="a"),
        "ws,M,nato",
    )
    result = import_long(ws, data)

    assert not result.ok
    by_line = {}
    for problem in result.problems:
        by_line.setdefault(problem.line, []).append(problem.message)
    assert by_line[2] == ["unknown question 'trust_nonsense'"]
    assert by_line[3] == ["6 is out of range for trust_direct (1–5 or -9)"]
    assert by_line[4] == ["trust_direct needs a whole number, got 'x'"]
    assert by_line[5][0].startswith("unknown group 'martians'")
    assert by_line[6] == ["unknown wave 'followup' (waves: pre, post)"]
    assert by_line[7] == ["question 'eval_overall' is not asked in wave pre"]
    assert by_line[8][0].startswith("'pirates' is not a code of sector")
    assert by_line[9] == ["the same answer as line 3"]
    assert by_line[10][0].startswith("unknown language 'de'")
    assert "is not a UTC time" in by_line[11][0]
    assert "is not wave pre's version 'nato-pakistan-2014@1'" in by_line[12][0]
    assert by_line[13] == ["hope_text has 2001 characters; at most 2000"]
    assert "is not a pseudonymous id" in by_line[14][0]
    assert by_line[15][0].startswith("warmth has no items")
    assert by_line[16] == ["expected 12 cells, found 3"]
    assert len(result.problems) == 15
    assert counts()[0] == 0


def test_line_numbers_count_the_lines_of_quoted_free_text(app, make):
    ws = make.workshop("ws", open_waves=())
    text = '"first\nsecond\nthird"'
    data = lines(row(question="hope_text", value=text), row(value="7"))

    result = import_long(ws, data)

    assert [str(p) for p in result.problems] == [
        "line 5: 7 is out of range for trust_direct (1–5 or -9)"
    ]


def test_rankings_must_be_complete_and_without_repeated_ranks(app, make):
    ws = make.workshop("ws", open_waves=())
    items = exports_data.PRIORITIES
    full = [
        row(question="priorities", item=item, value=str(rank))
        for rank, item in enumerate(items, start=1)
    ]
    repeated = [
        row(
            participant="X2",
            question="priorities",
            item=item,
            value="1" if item == items[1] else str(rank),
        )
        for rank, item in enumerate(items, start=1)
    ]
    partial = [
        row(participant="X3", question="priorities", item=item, value=str(rank))
        for rank, item in enumerate(items[:6], start=1)
    ]
    outside = [row(participant="X4", question="priorities", item="space", value="1")]

    result = import_long(ws, lines(*full, *repeated, *partial, *outside))

    messages = [str(p) for p in result.problems]
    assert messages == [
        "line 11: broken ranking priorities of X2 in pre: rank 1 also on line 10",
        "line 18: incomplete ranking priorities of X3 in pre: no rank for "
        "crisis_communication, regional_economy",
        "line 24: unknown item 'space' of priorities (items: " + ", ".join(items) + ")",
    ]


def test_one_participant_needs_one_group_sector_and_response_time(app, make):
    ws = make.workshop("ws", open_waves=())
    data = lines(
        row(sector="media"),
        row(question="trust_partner", group="pakistan", sector="media"),
        row(question="meta_trust", sector="academia"),
        row(question="optimism", sector="media", at="2014-05-02T10:00:00Z"),
    )

    messages = [str(p) for p in import_long(ws, data).problems]

    assert messages == [
        "line 3: participant X1 has group 'pakistan' here but 'nato' on line 2",
        "line 4: participant X1 has sector 'academia' here but 'media' on line 2",
        "line 5: participant X1's pre response has language en and submitted_at "
        "2014-05-02T10:00:00Z here but en and 2014-05-01T10:00:00Z on line 2",
    ]


def test_a_spreadsheet_safe_export_is_refused(app, make):
    source = exports_data.build(make, "sheet")
    spreadsheet = export_long(source, spreadsheet=True)
    target = make.workshop("sheet-2", open_waves=())
    assert spreadsheet.startswith(BOM.encode())

    with_bom = import_long(target, spreadsheet)
    without_bom = import_long(target, spreadsheet[len(BOM.encode()) :])

    assert len(with_bom.problems) == 1 and "byte-order mark" in with_bom.problems[0].message
    assert len(without_bom.problems) == 1
    assert "spreadsheet-safe export" in without_bom.problems[0].message
    assert "plain long file" in without_bom.problems[0].message
    assert (
        db.session.scalar(
            select(func.count(Participant.id)).where(Participant.workshop_id == target.id)
        )
        == 0
    )


def test_wrong_header_and_non_utf8_are_refused(app, make):
    ws = make.workshop("ws", open_waves=())
    assert "the header must be workshop,participant," in str(
        import_long(ws, b"participant,question,value\r\nX,trust_direct,3\r\n").problems[0]
    )
    assert str(import_long(ws, lines(row()).replace(b"X1", b"X\xff")).problems[0]) == (
        "line 2: the file is not UTF-8 text. In Excel use “Save as… CSV UTF-8”; "
        "in LibreOffice choose the character set “Unicode (UTF-8)”."
    )
    assert import_long(ws, b"").problems[0].message.endswith("(got an empty file)")


def test_existing_participants_are_matched_and_submitted_responses_protected(app, make):
    ws = make.workshop("ws", open_waves=("pre", "post"))
    known = make.participant(ws, "nato", sector="media")
    known.public_id = "K1"
    done = make.participant(ws, "nato")
    done.public_id = "K2"
    started = make.participant(ws, "pakistan")
    started.public_id = "K3"
    db.session.commit()
    make.response(done, "pre", {"trust_direct": 2}, submitted_at=exports_data.at(1))
    make.response(started, "pre", {"trust_direct": 2}, status=ResponseStatus.IN_PROGRESS)

    refused = import_long(ws, lines(row(participant="K2"), row(participant="K1", group="pakistan")))
    assert [str(p) for p in refused.problems] == [
        "line 2: participant K2 has already submitted wave pre",
        "line 3: participant K1 is in group nato, not pakistan",
    ]

    result = import_long(
        ws,
        lines(
            row(participant="K1", sector="media"),
            row(participant="K3", group="pakistan", sector="government"),
            row(participant="K2", wave="post", value="-9"),
        ),
    )
    db.session.commit()

    assert result.ok, result.problems
    assert (result.participants_created, result.participants_matched) == (0, 3)
    assert result.replaced == 1
    replaced = db.session.scalar(select(Response).where(Response.participant_id == started.id))
    assert replaced.status is ResponseStatus.SUBMITTED and replaced.source is ResponseSource.IMPORT
    assert [(a.question, a.number) for a in replaced.answers] == [("trust_direct", 3)]
    assert started.sector == "government"


def test_a_dry_run_writes_nothing_and_a_withdrawn_participant_is_refused(app, make):
    ws = make.workshop("ws", open_waves=())
    gone = make.participant(ws, "nato")
    gone.public_id = "G1"
    gone.withdrawn_at = exports_data.at(2)
    db.session.commit()
    before = counts()

    dry = import_long(ws, lines(row(participant="N1")), dry_run=True)
    refused = import_long(ws, lines(row(participant="G1")))
    db.session.commit()

    assert dry.ok and not dry.written and dry.participants_created == 1
    assert [str(p) for p in refused.problems] == ["line 2: participant G1 has withdrawn"]
    assert counts() == before


def test_an_import_is_audited(app, make):
    from survey.models import AuditEvent

    ws = make.workshop("ws", open_waves=())
    result = import_long(ws, lines(row()), actor="cli")
    db.session.commit()

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "responses.import"))
    assert result.written and event.workshop_id == ws.id and event.actor == "cli"
    assert event.detail == result.summary()


def test_blank_rows_are_skipped_and_broken_quoting_is_reported(app, make):
    ws = make.workshop("ws", open_waves=())
    trailing = lines(row(), ",,,,,,,,,,,", "") + b"\r\n"
    broken = lines(row(), row(participant="B", value='"4"x'))

    assert import_long(ws, trailing, dry_run=True).ok
    assert [str(p) for p in import_long(ws, broken).problems] == [
        'line 3: the CSV is malformed: a quoted cell goes on after its closing quote (a " '
        'inside a quoted cell is written twice: "")'
    ]
