"""Reading the audit trail: filters, pages and the CSV download."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime

from survey.admin import audit_log
from survey.admin.audit_log import audit_actions, audit_events, readable_detail
from survey.audit import record
from survey.extensions import db
from tests.conftest import sign_in


def test_filters_combine(app, make):
    ws, other = make.workshop(), make.workshop()
    record("wave.open", workshop=ws, actor="cli").at = datetime(2014, 3, 10, 23, 59, tzinfo=UTC)
    record("wave.open", workshop=other, actor="ana@example.org").at = datetime(
        2014, 3, 11, 0, 0, tzinfo=UTC
    )
    record("roster.import", workshop=ws, actor="ana@example.org").at = datetime(
        2014, 3, 12, tzinfo=UTC
    )
    db.session.commit()

    def actions(**filters):
        return [e.action for e, _ in audit_events(**filters).events if e.at.year == 2014]

    assert actions(workshop=ws) == ["roster.import", "wave.open"]
    assert actions(action="wave.open", actor="ANA") == ["wave.open"]
    assert actions(since=date(2014, 3, 11), until=date(2014, 3, 11)) == ["wave.open"]
    assert actions(until=date(2014, 3, 10)) == ["wave.open"]
    assert audit_events(workshop=ws).events[0][1] == ws.slug
    assert audit_actions() == ["roster.import", "wave.open"]


def test_pages(app, make, monkeypatch):
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 3)
    for i in range(7):
        record("test.event", detail={"i": i})
    db.session.commit()
    first = audit_events(action="test.event")
    third = audit_events(action="test.event", page=3)
    assert [e.detail["i"] for e, _ in first.events] == [6, 5, 4] and first.has_more
    assert [e.detail["i"] for e, _ in third.events] == [0] and not third.has_more
    assert audit_events(action="test.event", page=-5).page == 1


def test_details_read_as_text():
    detail = {
        "format": "wide",
        "labels": True,
        "spreadsheet": False,
        "group": None,
        "groups": ["nato", "pakistan"],
        "responses_deleted": 2,
        "window": {"opens_at": "2014-05-01T09:00:00+00:00", "closes_at": None},
    }
    assert readable_detail(detail) == [
        ("format", "wide"),
        ("labels", "yes"),
        ("spreadsheet", "no"),
        ("group", "—"),
        ("groups", "nato, pakistan"),
        ("responses deleted", "2"),
        ("window", "opens at 2014-05-01T09:00:00+00:00, closes at —"),
    ]
    assert readable_detail(None) == []


def test_the_audit_page_shows_readable_details(app, client, make):
    admin = make.user(admin=True)
    ws = make.workshop("audited")
    record("export.download", workshop=ws, actor=admin, detail={"labels": True, "rows": 3})
    db.session.commit()
    sign_in(client, admin)

    html = client.get("/admin/audit").get_data(as_text=True)
    assert "labels: yes" in html and "labels: True" not in html and "rows: 3" in html


def test_the_audit_pager_keeps_the_filters_only(app, client, make, monkeypatch):
    admin = make.user(admin=True)
    for n in range(4):
        record("test.event", actor=admin, detail={"n": n})
    db.session.commit()
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 2)
    sign_in(client, admin)
    for stray in ("endpoint=x", "slug=y", "_external=1", "colour=red"):
        reply = client.get(f"/admin/audit?action=test.event&page=2&{stray}")
        assert reply.status_code == 200
        html = reply.get_data(as_text=True)
        assert stray.split("=")[0] + "=" not in html
        assert "action=test.event" in html.split(">Newer<")[0].rsplit("<a", 1)[1]


def test_a_filter_that_cannot_be_read_selects_nothing(app, client, make):
    admin = make.user(admin=True)
    record("test.event", actor=admin, detail={"n": 1})
    db.session.commit()
    sign_in(client, admin)
    html = client.get("/admin/audit?since=2026-12-06&until=2026-12-01").get_data(as_text=True)
    assert "No event matches." in html and "test.event</td>" not in html
    assert "test.event</td>" in client.get("/admin/audit").get_data(as_text=True)


def _csv_rows(response) -> list[dict[str, str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet-safe: a BOM, and formulas escaped
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_the_audit_log_downloads_every_page_the_filters_select(app, client, make, monkeypatch):
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 2)
    admin = make.user(admin=True)
    ws = make.workshop("audited")
    for n in range(5):
        record("test.event", workshop=ws, actor=admin, detail={"n": n, "note": 'é, "q"\nx'})
    record("other.event", actor=admin)
    db.session.commit()
    sign_in(client, admin)
    page = client.get("/admin/audit?action=test.event").get_data(as_text=True)
    assert 'href="/admin/audit.csv?action=test.event"' in page

    response = client.get("/admin/audit.csv?action=test.event")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="audit-log.csv"' in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert response.headers["X-Row-Count"] == "5"
    assert list(rows[0]) == list(audit_log.AUDIT_COLUMNS)
    assert [json.loads(row["detail"])["n"] for row in rows] == [4, 3, 2, 1, 0]  # newest first
    assert {row["workshop"] for row in rows} == {"audited"}
    assert {row["actor"] for row in rows} == {admin.email}
    assert json.loads(rows[0]["detail"])["note"] == 'é, "q"\nx'
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["at_utc"]) for row in rows)
    [download] = audit_events(action="audit.download").events
    assert download[0].detail == {"action": "test.event"} and download[0].actor == admin.email


def test_the_audit_download_keeps_formulas_from_running_in_a_spreadsheet(app, client, make):
    admin = make.user(admin=True)
    record("test.event", actor='=HYPERLINK("http://evil.example/","x")', detail={"n": "=1+1"})
    db.session.commit()
    sign_in(client, admin)
    [row] = _csv_rows(client.get("/admin/audit.csv?action=test.event"))
    assert row["actor"] == '\'=HYPERLINK("http://evil.example/","x")'
    assert json.loads(row["detail"]) == {"n": "=1+1"}  # inside a JSON object: never a formula


def test_an_audit_download_with_a_filter_that_cannot_be_read_goes_back_to_the_page(
    app, client, make
):
    sign_in(client, make.user(admin=True))
    response = client.get("/admin/audit.csv?since=2026-12-06&until=2026-12-01")
    assert response.status_code == 302
    assert response.location.endswith("/admin/audit?since=2026-12-06&until=2026-12-01")
    assert audit_events(action="audit.download").events == []
