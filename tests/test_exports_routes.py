"""Downloads, the import upload and the paper questionnaire over HTTP, with role checks."""

import io
import random
import string
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from survey.exports.xlsx import MIME_TYPE
from survey.extensions import db
from survey.models import AuditEvent, Participant
from tests import exports_data
from tests.conftest import csrf_token, sign_in
from tests.test_exports_csvfile import formula_cells

FORMATS = ("long", "wide", "codebook", "responses", "datapackage", "xlsx", "spss", "stata", "r")
DOWNLOADS = [f"/workshops/{{slug}}/exports/{fmt}" for fmt in FORMATS]
RESEARCH_PAGES = ["/workshops/{slug}/exports", *DOWNLOADS]
ORGANISER_PAGES = ["/workshops/{slug}/responses/import"]
SHARED_PAGES = ["/workshops/{slug}/paper/pre", "/workshops/{slug}/paper/post"]


@pytest.fixture
def ws(app, make):
    return exports_data.build(make, "routes")


@pytest.fixture
def users(make, ws):
    other = make.workshop("elsewhere")
    return {
        "researcher": make.user(grants={ws: "researcher"}),
        "organiser": make.user(grants={ws: "organiser"}),
        "admin": make.user(admin=True),
        "stranger": make.user(grants={other: "researcher"}),
    }


ALLOWED = {
    "researcher": set(RESEARCH_PAGES) | set(SHARED_PAGES),
    "organiser": set(ORGANISER_PAGES) | set(SHARED_PAGES),
    "admin": set(RESEARCH_PAGES) | set(ORGANISER_PAGES) | set(SHARED_PAGES),
    "stranger": set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
def test_every_page_checks_the_role(client, ws, users, role):
    sign_in(client, users[role])
    for url in RESEARCH_PAGES + ORGANISER_PAGES + SHARED_PAGES:
        response = client.get(url.format(slug=ws.slug))
        response.close()  # a download streams until its response is closed
        expected = 200 if url in ALLOWED[role] else 403
        assert response.status_code == expected, (role, url)


def test_anonymous_visitors_are_sent_to_sign_in(client, ws):
    for url in RESEARCH_PAGES + ORGANISER_PAGES + SHARED_PAGES:
        response = client.get(url.format(slug=ws.slug))
        assert response.status_code == 302 and "/auth/login" in response.location, url


def test_organisers_get_no_raw_data(client, ws, users):
    sign_in(client, users["organiser"])
    for fmt in FORMATS:
        response = client.get(f"/workshops/{ws.slug}/exports/{fmt}?spreadsheet=y")
        assert response.status_code == 403
        assert b"P-ur1" not in response.data
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "export.download")
        )
        == 0
    )


def test_a_download_streams_with_headers_and_is_audited(client, ws, users):
    sign_in(client, users["researcher"])
    response = client.get(f"/workshops/{ws.slug}/exports/long?labels=y&language=ur&spreadsheet=y")

    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="routes-long-labels-ur-spreadsheet.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # said once
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    assert int(response.headers["X-Row-Count"]) == body.count(b"\r\nroutes,") == 76
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.download"))
    assert event.actor == users["researcher"].email and event.workshop_id == ws.id
    assert event.detail == {
        "format": "long",
        "labels": True,
        "language": "ur",
        "spreadsheet": True,
        "rows": 76,
    }


@pytest.mark.parametrize("fmt", ["long", "wide", "codebook", "responses"])
def test_the_spreadsheet_safe_download_starts_no_formula_whatever_the_separator(
    client, ws, users, fmt
):
    sign_in(client, users["researcher"])
    data = client.get(f"/workshops/{ws.slug}/exports/{fmt}?spreadsheet=y").get_data()

    # "-1 is my score; @team +more": split on ";" as French Excel does, "@team" was a formula.
    assert formula_cells(data) == []


def test_the_page_offers_every_format_with_spreadsheet_safe_ticked(client, ws, users):
    sign_in(client, users["researcher"])
    html = client.get(f"/workshops/{ws.slug}/exports").get_data(as_text=True)

    for fmt in FORMATS:
        assert f'formaction="/workshops/{ws.slug}/exports/{fmt}"' in html
    assert '<input checked id="spreadsheet" name="spreadsheet" type="checkbox"' in html


@pytest.mark.parametrize("query", ["language=xx", "labels=maybe", "language=%00"])
def test_bad_options_are_a_clear_400(client, ws, users, query):
    sign_in(client, users["admin"])
    response = client.get(f"/workshops/{ws.slug}/exports/wide?{query}")
    assert response.status_code == 400


def test_an_unknown_format_or_workshop_is_404(client, ws, users):
    sign_in(client, users["admin"])
    assert client.get(f"/workshops/{ws.slug}/exports/sav").status_code == 404
    assert client.get("/workshops/nowhere/exports/long").status_code == 404
    assert client.get(f"/workshops/{ws.slug}/paper/followup").status_code == 404
    assert client.get(f"/workshops/{ws.slug}/paper/pre?group=martians").status_code == 404
    assert client.get(f"/workshops/{ws.slug}/paper/pre?language=de").status_code == 404


@pytest.mark.parametrize(
    ("fmt", "members"),
    [
        ("spss", ["wide.csv", "codebook.csv", "pairs.csv", "responses.csv", "wide.sps"]),
        ("stata", ["wide.csv", "codebook.csv", "pairs.csv", "responses.csv", "wide.do"]),
        ("r", ["wide.csv", "codebook.csv", "pairs.csv", "responses.csv", "wide.R"]),
    ],
)
def test_a_statistics_package_download_is_a_zip_audited_like_the_others(
    client, ws, users, fmt, members
):
    sign_in(client, users["researcher"])
    response = client.get(f"/workshops/{ws.slug}/exports/{fmt}?labels=y&language=fr&spreadsheet=y")

    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == f'attachment; filename="routes-{fmt}-fr.zip"'
    assert response.headers["X-Row-Count"] == "3"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert archive.namelist() == members
        assert archive.read("wide.csv").startswith(b"participant,group,sector,")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.download"))
    assert event.detail == {
        "format": fmt,
        "labels": False,  # the syntax applies the labels: the CSV keeps the codes
        "language": "fr",
        "spreadsheet": False,
        "rows": 3,
    }


def test_the_xlsx_download_streams_a_workbook_with_its_row_count(client, ws, users):
    sign_in(client, users["researcher"])
    response = client.get(f"/workshops/{ws.slug}/exports/xlsx?labels=y&spreadsheet=y")

    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == MIME_TYPE
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="routes-data-labels-en.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert int(response.headers["X-Row-Count"]) == book["data"].max_row - 1 == 3
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.download"))
    assert event.detail["format"] == "xlsx" and event.detail["labels"] is True


def test_the_datapackage_download_is_a_zip(client, ws, users):
    sign_in(client, users["admin"])
    response = client.get(f"/workshops/{ws.slug}/exports/datapackage?spreadsheet=y")
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].endswith('-datapackage.zip"')
    assert response.get_data().startswith(b"PK")


def _upload(client, slug: str, data: bytes):
    page = client.get(f"/workshops/{slug}/responses/import").get_data(as_text=True)
    return client.post(
        f"/workshops/{slug}/responses/import",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(data), "paper.csv")},
        content_type="multipart/form-data",
    )


def test_import_checks_first_then_imports_on_confirmation(client, make, ws, users):
    sign_in(client, users["admin"])
    exported = client.get(f"/workshops/{ws.slug}/exports/long").get_data()
    target = make.workshop("paper-target", open_waves=())

    checked = _upload(client, target.slug, exported)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "The file is valid" in html
    assert (
        db.session.scalar(
            select(func.count(Participant.id)).where(Participant.workshop_id == target.id)
        )
        == 0
    )

    payload = html.split('name="payload" type="hidden" value="')[1].split('"')[0]
    done = client.post(
        f"/workshops/{target.slug}/responses/import/confirm",
        data={"csrf_token": csrf_token(html), "payload": payload},
    )
    assert done.status_code == 302
    assert (
        db.session.scalar(
            select(func.count(Participant.id)).where(Participant.workshop_id == target.id)
        )
        == 3
    )
    again = client.get(f"/workshops/{target.slug}/exports/long").get_data()
    assert again == exported.replace(b"\r\nroutes,", b"\r\npaper-target,")

    replay = client.post(
        f"/workshops/{target.slug}/responses/import/confirm",
        data={"csrf_token": csrf_token(html), "payload": payload},
    )
    assert replay.status_code == 409
    assert "has already submitted wave pre" in replay.get_data(as_text=True)


def test_import_lists_problems_and_refuses_tampering(client, make, ws, users):
    sign_in(client, users["organiser"])
    spreadsheet = b"\xef\xbb\xbfworkshop,participant\r\n"
    refused = _upload(client, ws.slug, spreadsheet).get_data(as_text=True)
    assert "Line 1: this is a spreadsheet-safe export" in refused

    page = client.get(f"/workshops/{ws.slug}/responses/import").get_data(as_text=True)
    forged = client.post(
        f"/workshops/{ws.slug}/responses/import/confirm",
        data={"csrf_token": csrf_token(page), "payload": "eyJ3b3Jrc2hvcCI6MX0.forged"},
    )
    assert forged.status_code == 400
    no_csrf = client.post(f"/workshops/{ws.slug}/responses/import/confirm", data={"payload": "x"})
    assert no_csrf.status_code == 400


def test_the_paper_questionnaire_shows_codes_and_follows_the_language(client, ws, users):
    sign_in(client, users["organiser"])
    english = client.get(f"/workshops/{ws.slug}/paper/post?group=pakistan").get_data(as_text=True)
    urdu = client.get(f"/workshops/{ws.slug}/paper/pre?language=ur").get_data(as_text=True)

    assert "[trust_commitments]" in english and "[eval_overall]" in english
    assert "[hope_text]" not in english  # a pre-only question
    assert "NATO keeps the commitments it makes to Pakistan." in english
    assert "[counter_terrorism]" in english and "[-9]" in english
    assert "nato-pakistan-2014@1" in english and "<code>pakistan</code>" in english
    assert '<html lang="ur" dir="rtl">' in urdu and "[hope_text]" in urdu
    assert "/assets/css/paper." in urdu


def test_a_file_too_large_for_the_page_points_to_the_command(client, ws, users, app):
    sign_in(client, users["organiser"])
    noise = random.Random(1)
    rows = [
        f"x,N{i},nato,,pre,hope_text,,{''.join(noise.choices(string.ascii_letters, k=1500))},,"
        "en,nato-pakistan-2014@1,2014-05-01T10:00:00Z"
        for i in range(200)
    ]
    header = "workshop,participant,group,sector,wave,question,item,value,label,language,"
    data = "\r\n".join([header + "instrument_version,submitted_at", *rows]) + "\r\n"
    # The upload itself fits; the signed, compressed file could not come back in a form field.
    app.config["MAX_FORM_MEMORY_SIZE"] = 150_000

    html = _upload(client, ws.slug, data.encode()).get_data(as_text=True)

    assert "use `survey responses import` on the server" in html
    assert 'name="payload"' not in html
