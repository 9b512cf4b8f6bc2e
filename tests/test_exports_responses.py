"""The responses file: one row per submitted response with how it was given, and the orders
its rankings were first shown in (docs/exports.md, "responses")."""

import csv
import io
import random
import re
import zipfile
from datetime import UTC, datetime, timedelta

import frictionless
from sqlalchemy import select

from survey.exports import spec
from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.responses import RESPONSE_COLUMNS
from survey.extensions import db
from survey.models import Participant, Response, ResponseSource
from survey.models._types import utcnow
from survey.respond.identity import OPENED_KEY
from tests import exports_data
from tests.respond_helpers import PRE, RANKING_ITEMS, Respondent, token_of


def exported(workshop, **options) -> tuple[list[dict], int, bytes]:
    export = start_export(workshop, ExportOptions(ExportFormat.RESPONSES, **options))
    body = b"".join(export.chunks)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return rows, export.row_count, body


def response_of(public_id: str, wave_code: str) -> Response:
    return next(
        response
        for response in db.session.scalars(
            select(Response).join(Participant).where(Participant.public_id == public_id)
        )
        if response.wave.code == wave_code
    )


def recipe(seed: int, question: str, items) -> str:
    """The recipe docs/domain.md gives researchers, written out independently."""
    order = list(items)
    random.Random(f"{seed}:{question}").shuffle(order)
    return " ".join(order)


def test_one_row_per_submitted_response_in_the_files_order(app, make):
    ws = exports_data.build(make, "paradata")
    rows, count, body = exported(ws)

    assert body.startswith(b"workshop,participant,group,wave,source,")
    assert tuple(rows[0]) == (*RESPONSE_COLUMNS, "priorities_order")
    # Withdrawn (P-gone4) and unfinished (P-open5) responses are not exported.
    assert [(r["participant"], r["wave"]) for r in rows] == [
        ("P-en2", "pre"),
        ("P-late3", "post"),
        ("P-ur1", "pre"),
        ("P-ur1", "post"),
    ]
    assert count == 4
    late = rows[1]
    assert (late["workshop"], late["group"], late["source"], late["language"]) == (
        "paradata",
        "nato",
        "web",
        "fr",
    )
    assert late["instrument_version"] == "nato-pakistan-2014@1"
    assert late["submitted_at"] == "2014-05-03T12:00:00Z"


def test_times_seeds_and_the_orders_drawn_from_them(app, make):
    ws = exports_data.build(make, "paradata-seeds")
    rows, _, _ = exported(ws)

    for row in rows:
        response = response_of(row["participant"], row["wave"])
        assert int(row["display_seed"]) == response.display_seed
        started = response.started_at.replace(tzinfo=None)
        submitted = response.submitted_at.replace(tzinfo=None)
        assert row["started_at"] == started.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert int(row["seconds_to_submit"]) == max(0, int((submitted - started).total_seconds()))
        # Every wave of the instrument asks for the ranking: its order is given whether or
        # not the participant ranked (P-en2 did not).
        assert row["priorities_order"] == recipe(response.display_seed, "priorities", RANKING_ITEMS)
    assert len({row["priorities_order"] for row in rows}) > 1


def test_consent_is_on_the_response_where_it_was_given(app, make):
    ws = exports_data.build(make, "paradata-consent")
    first = response_of("P-ur1", "pre")
    first.consent_version = "2014-1"
    first.consent_at = exports_data.at(1, 9, 30, 15)
    db.session.commit()
    rows, _, _ = exported(ws)

    by_key = {(r["participant"], r["wave"]): r for r in rows}
    assert by_key["P-ur1", "pre"]["consent_version"] == "2014-1"
    assert by_key["P-ur1", "pre"]["consent_at"] == "2014-05-01T09:30:15Z"
    assert by_key["P-ur1", "post"]["consent_version"] == by_key["P-ur1", "post"]["consent_at"] == ""


def test_a_typed_in_paper_response_has_no_times_seed_or_orders(app, make):
    ws = exports_data.build(make, "paradata-paper")
    response_of("P-late3", "post").source = ResponseSource.IMPORT
    db.session.commit()
    rows, _, _ = exported(ws)

    paper = next(r for r in rows if r["participant"] == "P-late3")
    assert paper["source"] == "import" and paper["submitted_at"] == "2014-05-03T12:00:00Z"
    for column in (
        "started_at",
        "first_saved_at",
        "seconds_to_submit",
        "display_seed",
        "priorities_order",
    ):
        assert paper[column] == "", column
    assert all(r["priorities_order"] for r in rows if r["source"] == "web")


def test_the_order_is_the_one_the_participants_page_showed(app, client, make):
    ws = make.workshop("paradata-page", open_waves=("pre",))
    person = make.participant(ws, "pakistan")
    you = Respondent(client)
    you.open(token_of(person))
    for page in ("consent", "profile", "trust", "overall"):
        you.answer("pre", page, PRE[page])
    you.get("/q/pre/priorities")
    shown = list(dict.fromkeys(re.findall(r'name="priorities-([a-z_]+)"', you.html)))
    assert sorted(shown) == sorted(RANKING_ITEMS) and len(shown) == len(RANKING_ITEMS)
    you.complete("pre", {page: PRE[page] for page in ("priorities", "obstacles", "outlook")})
    rows, count, _ = exported(ws)

    assert count == 1
    assert rows[0]["priorities_order"] == " ".join(shown)
    assert rows[0]["consent_version"] and rows[0]["consent_at"]
    # Consent was the participant's first act, after the first page was opened.
    assert rows[0]["first_saved_at"] == rows[0]["consent_at"] >= rows[0]["started_at"]
    assert int(rows[0]["seconds_to_submit"]) >= 0


def test_spreadsheet_safe_keeps_numbers_and_marks_the_file(app, make):
    ws = exports_data.build(make, "paradata-excel")
    rows, _, body = exported(ws, spreadsheet=True)

    assert body.startswith("\ufeff".encode())
    assert all(row["display_seed"].isdigit() for row in rows)  # numbers stay numbers
    export = start_export(ws, ExportOptions(ExportFormat.RESPONSES, spreadsheet=True))
    assert export.filename == "paradata-excel-responses-spreadsheet.csv"
    assert export.content_type.startswith("text/csv")


def test_the_data_package_has_it_with_its_schema(app, make, tmp_path):
    ws = exports_data.build(make, "paradata-package")
    export = start_export(ws, ExportOptions(ExportFormat.DATAPACKAGE))
    path = tmp_path / export.filename
    path.write_bytes(b"".join(export.chunks))

    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
        alone, _, _ = exported(ws)
        packed = list(csv.DictReader(io.StringIO(archive.read("responses.csv").decode())))
    assert "responses.csv" in members and packed == alone
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(path))
    schema = package.get_resource("responses").schema
    assert schema.primary_key == ["participant", "wave"]
    assert schema.get_field("display_seed").type == "integer"
    assert schema.get_field("started_at").type == "datetime"
    assert schema.get_field("source").constraints["enum"] == ["web", "import"]
    assert all(field.description for field in schema.fields)
    assert "order the ranking first listed" in schema.get_field("priorities_order").description


def _opened(person, browser: Respondent, earlier: timedelta) -> Response:
    """The browser opens the personal link and its first page, which starts the response; the
    response's first opening is then moved `earlier`, as another browser's would be (a mail
    scanner's, days before)."""
    browser.open(token_of(person))
    assert browser.get("/q/pre/consent").status_code == 200
    response = db.session.scalar(select(Response).where(Response.participant_id == person.id))
    response.started_at -= earlier
    db.session.commit()
    return response


def test_a_scanners_opening_is_not_the_participants_start(app, make):
    """The participant's own browser, opened days after a scanner's, is where their response
    starts: its first opening there becomes `started_at` with their first act, so the time to
    submit is theirs, not the days the message waited."""
    ws = make.workshop("paradata-scanner", open_waves=("pre",))
    person = make.participant(ws, "nato")
    response = _opened(person, Respondent(app.test_client()), timedelta(days=3))  # a scanner
    scanned = response.started_at
    you = Respondent(app.test_client())
    before = utcnow().replace(microsecond=0)
    you.open(token_of(person))
    you.complete("pre", PRE)
    db.session.refresh(response)
    rows, _, _ = exported(ws)

    assert scanned < before <= response.started_at <= response.first_saved_at
    assert response.first_saved_at == response.consent_at <= response.submitted_at
    assert rows[0]["started_at"] == spec.timestamp(response.started_at)
    assert 0 <= int(rows[0]["seconds_to_submit"]) < 3600


def test_the_start_is_the_opening_in_the_browser_that_first_acted(app, make, client):
    """An opening in the participant's own browser counts from when it was, however long before
    the first act (a page read, then left for hours); once they have acted, another browser
    opening the link changes nothing."""
    ws = make.workshop("paradata-own-start", open_waves=("pre",))
    person = make.participant(ws, "pakistan")
    you = Respondent(client)
    response = _opened(person, you, timedelta(hours=6))  # a scanner's, before this browser's
    opened = int(utcnow().timestamp()) - 5 * 3600
    with client.session_transaction() as cookie:
        cookie[OPENED_KEY] = [response.id, opened]
    you.post("/q/pre/consent", PRE["consent"])
    db.session.refresh(response)
    assert response.started_at == datetime.fromtimestamp(opened, UTC)

    other = Respondent(app.test_client())
    other.open(token_of(person))
    other.answer("pre", "profile", PRE["profile"])
    db.session.refresh(response)
    assert response.started_at == datetime.fromtimestamp(opened, UTC)


def test_a_session_restored_by_the_pages_ticket_keeps_the_first_opening(app, make, client):
    """A browser that lost its session does not know when it showed the page it posts from:
    the first act it makes through the page's ticket leaves the response's start as it was."""
    ws = make.workshop("paradata-restored", open_waves=("pre",))
    person = make.participant(ws, "nato")
    you = Respondent(client)
    started = _opened(person, you, timedelta(days=2)).started_at
    fresh = Respondent(app.test_client())  # the cookie is gone, the page is still open
    fresh.html = you.html
    assert fresh.post("/q/pre/consent", PRE["consent"]).status_code == 302
    response = db.session.scalar(select(Response).where(Response.participant_id == person.id))
    assert response.first_saved_at is not None and response.started_at == started
