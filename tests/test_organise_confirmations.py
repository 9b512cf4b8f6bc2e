"""Confirmation before what breaks printed material or live answers: closing a wave, a new join
link, a participant's new link. Each is a page (GET) saying what stops working, then a POST
with its CSRF token."""

import re

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, ParticipantSource, ResponseStatus, WaveState
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
    assert actions("wave.") == actions("groups.") == actions("invitation.") == []
