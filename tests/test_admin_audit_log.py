"""Reading the audit trail: filters and pages."""

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
