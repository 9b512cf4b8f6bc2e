"""Workshops and waves from the web: creation, the overview, wave windows in local time."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, Role, WaveState, Workshop
from survey.organise.time_zones import exists_in_zone, in_zone, to_utc
from survey.organise.workshops import (
    WorkshopError,
    set_group_labels,
    workshop_by_slug,
    workshops_visible_to,
)
from tests.conftest import csrf_token, page_token, sign_in


def create_workshop(client, **fields):
    """Post the new-workshop form: Islamabad 2014 (isb-2014), with `fields` changed."""
    data = {
        "title": "Islamabad 2014",
        "slug": "isb-2014",
        "place": "Islamabad",
        "starts_on": "2014-03-10",
        "ends_on": "2014-03-12",
        "instrument": "nato-pakistan-2014",
        "timezone": "Asia/Karachi",
        "min_cell": "5",
    }
    token = page_token(client, "/workshops/new")
    return client.post("/workshops/new", data={"csrf_token": token, **data, **fields})


def test_any_staff_member_creates_a_workshop_and_becomes_its_organiser(app, make, client):
    user = make.user()
    sign_in(client, user)
    response = create_workshop(client)
    assert response.status_code == 302 and response.location.endswith("/workshops/isb-2014")
    ws = workshop_by_slug("isb-2014")
    assert ws.timezone == "Asia/Karachi" and [g.code for g in ws.groups] == ["nato", "pakistan"]
    assert (ws.starts_on, ws.ends_on) == (date(2014, 3, 10), date(2014, 3, 12))
    db.session.refresh(user)
    assert user.roles_in(ws) == {Role.ORGANISER}
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.workshop_id == ws.id)) == (
        "workshop.create"
    )
    assert "Islamabad 2014" in client.get("/workshops").get_data(as_text=True)


def test_one_line_fields_keep_one_line(app, make, client):
    sign_in(client, make.user())
    title, place = " Islamabad\r\nBcc: evil@example.net\t2014 ", "Islamabad\u2028Rawalpindi"
    assert create_workshop(client, title=title, place=place).status_code == 302
    ws = workshop_by_slug("isb-2014")
    assert (ws.title, ws.place) == ("Islamabad Bcc: evil@example.net 2014", "Islamabad Rawalpindi")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "Bad Slug!", "lower-case"),
        ("timezone", "Mars/Olympus", "Not a valid choice"),
        ("timezone", "Factory", "Not a valid choice"),  # no place's time
        ("timezone", "localtime", "Not a valid choice"),  # the server's own
        ("instrument", "nope", "Not a valid choice"),
        ("min_cell", "1", "between 2 and 100"),
        ("ends_on", "2000-01-01", "cannot be before"),
    ],
)
def test_bad_workshop_input_is_shown_not_crashed(app, make, client, field, value, message):
    sign_in(client, make.user())
    data = {
        "csrf_token": page_token(client, "/workshops/new"),
        "title": "T",
        "slug": "good-slug",
        "instrument": "nato-pakistan-2014",
        "timezone": "UTC",
        "min_cell": "5",
        "starts_on": "2014-03-10",
        field: value,
    }
    response = client.post("/workshops/new", data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert workshop_by_slug("good-slug") is None


def test_the_stored_shipped_questionnaire_is_offered_once_and_its_key_still_works(
    app, make, client
):
    make.workshop("first")  # stores the shipped file as nato-pakistan-2014@1
    sign_in(client, make.user())
    page = client.get("/workshops/new").get_data(as_text=True)
    options = re.findall(r'<option (selected )?value="(nato-pakistan-2014[^"]*)"', page)
    assert options == [("selected ", "nato-pakistan-2014@1")]
    data = {
        "csrf_token": csrf_token(page),
        "title": "T",
        "slug": "second",
        "instrument": "nato-pakistan-2014",
        "timezone": "UTC",
        "min_cell": "5",
    }
    assert client.post("/workshops/new", data=data).status_code == 302
    assert workshop_by_slug("second").wave("pre").instrument_version.label == (
        "nato-pakistan-2014@1"
    )


def test_a_taken_slug_is_refused(app, make, client):
    make.workshop("taken")
    sign_in(client, make.user())
    data = {
        "csrf_token": page_token(client, "/workshops/new"),
        "title": "T",
        "slug": "taken",
        "instrument": "nato-pakistan-2014",
        "timezone": "UTC",
        "min_cell": "5",
    }
    assert "exists already" in client.post("/workshops/new", data=data).get_data(as_text=True)


def test_home_lists_only_the_users_workshops(app, make):
    mine, theirs = make.workshop(), make.workshop()
    user = make.user(grants={mine: "researcher"})
    assert workshops_visible_to(user) == [mine]
    assert {w.id for w in workshops_visible_to(make.user(admin=True))} == {mine.id, theirs.id}


def test_the_list_of_workshops_reads_the_same_few_statements_however_many(
    app, make, client, count_statements
):
    """Each workshop's row shows its waves' states: read with the workshops, not one query
    per workshop."""
    sign_in(client, make.user(admin=True))
    statements = {}
    for count in (2, 12):
        while db.session.scalar(select(func.count()).select_from(Workshop)) < count:
            make.workshop(open_waves=("pre",))
        db.session.commit()
        db.session.remove()
        with count_statements() as seen:
            page = client.get("/workshops").get_data(as_text=True)
        assert page.count("pre: open") == count and page.count("post: ") == count
        statements[count] = len(seen.statements)
    assert statements[12] == statements[2] <= 4, statements


def test_overview_shows_windows_in_local_time_versions_and_preview_links(app, make, client):
    ws = make.workshop(open_waves=())
    ws.wave("pre").opens_at = datetime(2014, 3, 10, 4, 0, tzinfo=UTC)  # 09:00 in Karachi
    db.session.commit()
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    assert "2014-03-10 09:00 PKT" in html
    assert f"{ws.instrument_key}@1" in html
    assert f'/workshops/{ws.slug}/preview/pre/pakistan/ur" hreflang="ur">Urdu</a>' in html
    assert f"/workshops/{ws.slug}/roster" in html


def test_overview_for_a_researcher_has_no_organiser_tools(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "researcher"}))
    html = client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    assert "Open now" not in html and "Close now" not in html
    assert f"/workshops/{ws.slug}/roster" not in html


def test_wave_window_is_entered_in_the_workshops_time_zone(app, make, client):
    ws = make.workshop(open_waves=())
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/waves/post"
    response = client.post(
        url,
        data={
            "csrf_token": page_token(client, url),
            "opens_at": "2014-03-12T17:30",
            "closes_at": "2014-03-13T12:00",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    wave = ws.wave("post")
    assert wave.opens_at == datetime(2014, 3, 12, 12, 30, tzinfo=UTC)
    assert wave.closes_at == datetime(2014, 3, 13, 7, 0, tzinfo=UTC)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "wave.schedule"))
    assert event.detail["wave"] == "post"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2014-03-12T17:30"' in page  # shown back in local time


def test_a_window_that_closes_before_it_opens_is_refused(app, make, client):
    ws = make.workshop(open_waves=())
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/waves/pre"
    response = client.post(
        url,
        data={
            "csrf_token": page_token(client, url),
            "opens_at": "2014-03-12T17:30",
            "closes_at": "2014-03-12T09:00",
        },
    )
    assert response.status_code == 200 and "close after it opens" in response.get_data(as_text=True)
    garbage = client.post(url, data={"csrf_token": page_token(client, url), "opens_at": "soon"})
    assert garbage.status_code == 200
    db.session.expire_all()
    assert ws.wave("pre").opens_at is None
    assert client.get(f"/workshops/{ws.slug}/waves/nope").status_code == 404


def test_a_time_the_clocks_skip_is_refused_not_shifted(app, make, client):
    ws = make.workshop(open_waves=(), timezone="Europe/Paris")
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/waves/pre"
    response = client.post(
        url,
        data={
            "csrf_token": page_token(client, url),
            "opens_at": "2014-03-30T02:30",  # the clocks go from 02:00 to 03:00
            "closes_at": "2014-03-30T12:00",
        },
    )
    assert response.status_code == 200
    assert "2014-03-30 02:30 does not exist in Europe/Paris" in response.text
    db.session.expire_all()
    assert ws.wave("pre").opens_at is None


def test_open_and_close_now_are_audited(app, make, client):
    ws = make.workshop(open_waves=())
    sign_in(client, make.user(grants={ws: "organiser"}))
    token = page_token(client, f"/workshops/{ws.slug}")
    client.post(f"/workshops/{ws.slug}/waves/pre/open", data={"csrf_token": token})
    db.session.expire_all()
    assert ws.wave("pre").state() is WaveState.OPEN
    client.post(f"/workshops/{ws.slug}/waves/pre/close", data={"csrf_token": token})
    db.session.expire_all()
    assert ws.wave("pre").state() is WaveState.CLOSED
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("wave.%")).order_by(AuditEvent.id)
    ).all()
    assert actions == ["wave.open", "wave.close"]
    # Without the CSRF token nothing changes.
    assert client.post(f"/workshops/{ws.slug}/waves/pre/open").status_code == 400


def test_time_zone_helpers_round_trip(app):
    local = datetime(2014, 3, 10, 9, 0)
    moment = to_utc(local, "Asia/Karachi")
    assert moment == datetime(2014, 3, 10, 4, 0, tzinfo=UTC)
    assert in_zone(moment, "Asia/Karachi").replace(tzinfo=None) == local
    assert to_utc(None, "UTC") is None and in_zone(None, "UTC") is None
    assert in_zone(moment, "Europe/Paris").utcoffset() == timedelta(hours=1)
    assert not exists_in_zone(datetime(2014, 3, 30, 2, 30), "Europe/Paris")
    assert exists_in_zone(datetime(2014, 10, 26, 2, 30), "Europe/Paris")  # twice: the first
    assert exists_in_zone(datetime(2014, 3, 30, 2, 30), "Asia/Karachi")


def test_group_labels_must_be_present_and_distinct(app, make):
    ws = make.workshop()
    assert set_group_labels(ws, {"nato": "NATO", "pakistan": "Pakistan side"}) == ["pakistan"]
    with pytest.raises(WorkshopError):
        set_group_labels(ws, {"nato": "", "pakistan": "P"})
    with pytest.raises(WorkshopError):
        set_group_labels(ws, {"nato": "Same", "pakistan": "same"})
