"""Confirmation before what breaks printed material or live answers: closing a wave, reopening
one or opening one while another is open, a new join link, a participant's new link. Each is a
page (GET) saying what stops working or where links will lead, then a POST with its CSRF
token."""

import re

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, ParticipantSource, ResponseStatus, WaveState
from survey.organise.workshops import close_wave, open_wave
from survey.tokens import join_code
from tests.conftest import csrf_token, sign_in
from tests.respond_helpers import token_of


@pytest.fixture
def ws(make):
    return make.workshop(open_waves=("pre",))


@pytest.fixture
def organiser(client, make, ws):
    sign_in(client, make.user(grants={ws: "organiser"}))
    return client


def actions(prefix: str) -> list[str]:
    return db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like(f"{prefix}%"))
    ).all()


def form_action(html: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)" class="confirm-form">', html).group(1)


def test_close_now_asks_first_and_says_who_can_no_longer_answer(organiser, ws, make):
    started, submitted = make.participant(ws), make.participant(ws, "pakistan")
    make.participant(ws)  # invited, not started
    make.response(started, "pre", status=ResponseStatus.IN_PROGRESS)
    make.response(submitted, "pre")
    workshop_page = organiser.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    url = f"/workshops/{ws.slug}/waves/pre/close"

    assert f'<a class="button secondary" href="{url}">Close now…</a>' in workshop_page
    assert f'action="{url}"' not in workshop_page  # no one-click close
    page = organiser.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ws.wave("pre").state() is WaveState.OPEN
    assert "1 participant who started the pre wave but has not submitted" in html
    assert "1 invited participant who has not started" in html
    assert "1 response already submitted" in html
    assert form_action(html) == url

    done = organiser.post(url, data={"csrf_token": csrf_token(html)})
    assert done.status_code == 302
    db.session.expire_all()
    assert ws.wave("pre").state() is WaveState.CLOSED and actions("wave.") == ["wave.close"]


def test_a_closed_wave_offers_no_close_now(organiser, ws):
    page = organiser.get(f"/workshops/{ws.slug}/waves/pre/close")
    organiser.post(
        f"/workshops/{ws.slug}/waves/pre/close", data={"csrf_token": csrf_token(page.text)}
    )

    workshop_page = organiser.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    wave_page = organiser.get(f"/workshops/{ws.slug}/waves/pre").get_data(as_text=True)
    for html in (workshop_page, wave_page):
        assert "Close now" not in html and "Open now" in html
    again = organiser.get(f"/workshops/{ws.slug}/waves/pre/close", follow_redirects=True)
    assert "The pre wave is already closed." in again.get_data(as_text=True)
    repeated = organiser.post(
        f"/workshops/{ws.slug}/waves/pre/close", data={"csrf_token": csrf_token(page.text)}
    )
    assert repeated.status_code == 302 and actions("wave.") == ["wave.close"]


def test_a_wave_not_yet_open_offers_no_close_now(organiser, ws):
    wave_page = organiser.get(f"/workshops/{ws.slug}/waves/post").get_data(as_text=True)
    assert "Close now" not in wave_page and "Open now" in wave_page


def test_reopening_a_wave_asks_first_and_says_where_links_will_lead(organiser, ws, make, app):
    done_pre, late = make.participant(ws), make.participant(ws, "pakistan")
    halfway_post, post_only, halfway_pre = (make.participant(ws) for _ in range(3))
    make.response(done_pre, "pre")
    make.response(halfway_pre, "pre", status=ResponseStatus.IN_PROGRESS)
    close_wave(ws.wave("pre"))
    open_wave(ws.wave("post"))
    make.response(halfway_post, "post", status=ResponseStatus.IN_PROGRESS)
    make.response(post_only, "post")
    closed_at = ws.wave("pre").closes_at
    late_link = f"/s/{token_of(late)}"
    assert app.test_client().get(late_link).location.startswith("/q/post/")
    workshop_page = organiser.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    url = f"/workshops/{ws.slug}/waves/pre/open"

    assert f'<a class="button secondary" href="{url}">Open now…</a>' in workshop_page
    assert f'action="{url}"' not in workshop_page  # no one-click reopening
    page = organiser.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ws.wave("pre").state() is WaveState.CLOSED
    assert "Open the pre wave again?" in html and "The post wave is open too" in html
    # The late participant, the one halfway through post and the one who started pre.
    assert "3 participants who have not submitted pre will be sent to pre instead of post" in html
    assert "1 of them has started post: those answers are kept" in html
    assert "1 participant whose link has no wave to answer now will be asked" in html
    assert "Someone new who joins through a join link starts with pre." in html
    assert "1 participant who started pre but did not submit can finish it." in html
    assert "1 response already submitted in pre is kept" in html
    assert "and has no closing time" in html and "until you close it" in html
    assert form_action(html) == url

    done = organiser.post(url, data={"csrf_token": csrf_token(html)})
    assert done.status_code == 302
    db.session.expire_all()
    pre = ws.wave("pre")
    assert pre.state() is WaveState.OPEN and pre.closes_at is None
    assert ws.wave("post").state() is WaveState.OPEN
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "wave.open"))
    assert event.detail["wave"] == "pre" and event.detail["reopened"] is True
    assert event.detail["was"][1] == closed_at.isoformat()
    # What the page said: the late participant's link now leads to pre.
    assert app.test_client().get(late_link).location.startswith("/q/pre/")


def test_opening_while_another_wave_is_open_asks_first(organiser, ws, make):
    make.response(make.participant(ws), "pre")
    make.participant(ws, "pakistan")  # not started pre
    workshop_page = organiser.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    url = f"/workshops/{ws.slug}/waves/post/open"

    assert f'<a class="button secondary" href="{url}">Open now…</a>' in workshop_page
    html = organiser.get(url).get_data(as_text=True)
    assert "Open the post wave now?" in html and "The pre wave is open too" in html
    assert "1 participant goes on with pre first and will be asked post after" in html
    assert "1 participant whose link has no wave to answer now will be asked to answer post" in html
    # A one-click button from a page shown before pre opened leads to the page, not further.
    stale = organiser.post(url, data={"csrf_token": csrf_token(html), "first_opening": "1"})
    assert stale.status_code == 302 and stale.location == url
    db.session.expire_all()
    assert ws.wave("post").state() is WaveState.SCHEDULED and actions("wave.") == []

    organiser.post(url, data={"csrf_token": csrf_token(html)})
    db.session.expire_all()
    assert ws.wave("post").state() is WaveState.OPEN and actions("wave.") == ["wave.open"]


def test_the_first_opening_with_nothing_else_open_is_one_click(client, make):
    ws = make.workshop(open_waves=())
    sign_in(client, make.user(grants={ws: "organiser"}))
    workshop_page = client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    url = f"/workshops/{ws.slug}/waves/pre/open"

    assert f'action="{url}"' in workshop_page and "Open now…" not in workshop_page
    client.post(url, data={"csrf_token": csrf_token(workshop_page), "first_opening": "1"})
    db.session.expire_all()
    assert ws.wave("pre").state() is WaveState.OPEN and actions("wave.") == ["wave.open"]
    detail = select(AuditEvent.detail).where(AuditEvent.action == "wave.open")
    assert db.session.scalar(detail) == {"wave": "pre"}
    again = client.get(url, follow_redirects=True)
    assert "The pre wave is already open." in again.get_data(as_text=True)


def test_a_new_join_link_asks_first_and_says_what_stops_working(organiser, ws, make):
    joined = make.participant(ws, "nato")
    joined.source = ParticipantSource.JOIN
    db.session.commit()
    old = join_code(ws.group("nato"))
    groups_page = organiser.get(f"/workshops/{ws.slug}/groups").get_data(as_text=True)
    url = f"/workshops/{ws.slug}/groups/nato/new-code"

    assert f'href="{url}"' in groups_page and f'action="{url}"' not in groups_page
    html = organiser.get(url).get_data(as_text=True)
    assert old in html  # the link that will stop working, as printed
    assert "every poster and slide that shows it" in html
    assert "1 participant who joined through it keeps their own personal link" in html
    assert join_code(ws.group("nato")) == old

    organiser.post(url, data={"csrf_token": csrf_token(html)})
    db.session.expire_all()
    assert join_code(ws.group("nato")) != old and actions("groups.") == ["groups.join_code"]


def test_a_new_personal_link_asks_first_and_says_which_card_stops_working(organiser, ws, make):
    person = make.participant(ws, name="Ayesha Khan")
    token = token_of(person)
    list_page = organiser.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    url = f"/workshops/{ws.slug}/participants/{person.public_id}/reissue"

    assert f'href="{url}"' in list_page and f'action="{url}"' not in list_page
    page = organiser.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ayesha Khan" in html
    assert "their printed card (its QR code and its card code)" in html
    assert "the link in any invitations file or e-mail already sent" in html
    assert "Their answers are kept." in html

    done = organiser.post(url, data={"csrf_token": csrf_token(html)})
    assert done.status_code == 302 and "cards?participant=" in done.location
    assert organiser.get(f"/s/{token}").status_code == 404
    assert actions("invitation.") == ["invitation.reissue"]


def test_confirmations_need_their_csrf_token_and_the_organiser_role(app, ws, make):
    person = make.participant(ws)
    urls = [
        f"/workshops/{ws.slug}/waves/pre/close",
        f"/workshops/{ws.slug}/waves/post/open",
        f"/workshops/{ws.slug}/groups/nato/new-code",
        f"/workshops/{ws.slug}/participants/{person.public_id}/reissue",
    ]
    researcher, organiser = app.test_client(), app.test_client()
    sign_in(researcher, make.user(grants={ws: "researcher"}))
    assert {researcher.get(url).status_code for url in urls} == {403}
    sign_in(organiser, make.user(grants={ws: "organiser"}))
    assert {organiser.post(url).status_code for url in urls} == {400}
    db.session.expire_all()
    assert ws.wave("pre").state() is WaveState.OPEN
    assert ws.wave("post").state() is WaveState.SCHEDULED
    assert actions("wave.") == actions("groups.") == actions("invitation.") == []
