"""The findings organisers share with participants: the switch on the dashboard's overview, and
the page participants read once they have nothing left to answer (docs/domain.md)."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from survey.dashboard.reads.transaction import start_reading
from survey.dashboard.sharing import shared_findings
from survey.extensions import db
from survey.models import AuditEvent
from survey.organise.workshops import open_wave
from tests.conftest import csrf_token, sign_in
from tests.dashboard_helpers import populate
from tests.respond_helpers import PRE, Respondent, token_of

FINDINGS = "/q/findings"


@pytest.fixture
def ws(app, make):
    """Pre and post answered by eight participants a side; only the pre wave is open."""
    workshop = make.workshop(open_waves=("pre",))
    populate(workshop, 8, seed=5, post_share=1.0)
    return workshop


def share(client, ws, value: str):
    page = client.get(f"/workshops/{ws.slug}/dashboard")
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "share": value}
    return client.post(f"/workshops/{ws.slug}/dashboard/sharing", data=form)


def sentences(html: str) -> list[str]:
    """The sentences of the page's findings, as text (the page keeps numbers and their units
    together with no-break spaces)."""
    block = re.search(r'<div class="findings"[^>]*>(.*?)</div>', html, re.S)
    items = re.findall(r"<li>(.*?)</li>", block[1], re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).replace("\xa0", " ") for item in items]


def test_organisers_share_the_findings_and_stop_audited(app, client, make, ws):
    organiser = make.user(grants={ws: "organiser"})
    sign_in(client, organiser)
    overview = client.get(f"/workshops/{ws.slug}/dashboard").get_data(as_text=True)
    assert "Not shared with participants" in overview
    assert "Share the findings with participants" in overview

    shared = share(client, ws, "on")
    assert shared.status_code == 302 and shared.location.endswith(f"/{ws.slug}/dashboard")
    db.session.refresh(ws)
    assert ws.findings_shared_at is not None
    overview = client.get(f"/workshops/{ws.slug}/dashboard").get_data(as_text=True)
    assert "Shared with participants" in overview and "Stop sharing" in overview
    assert share(client, ws, "on").status_code == 302  # again: nothing changes, no event
    assert share(client, ws, "maybe").status_code == 400
    form = {"share": "off"}  # without the page's CSRF token
    assert client.post(f"/workshops/{ws.slug}/dashboard/sharing", data=form).status_code == 400

    assert share(client, ws, "off").status_code == 302
    db.session.refresh(ws)
    assert ws.findings_shared_at is None
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("workshop.findings_%"))
    ).all()
    assert events == ["workshop.findings_shared", "workshop.findings_unshared"]


def test_researchers_see_the_state_but_cannot_share(app, client, make, ws):
    sign_in(client, make.user(grants={ws: "researcher"}))
    overview = client.get(f"/workshops/{ws.slug}/dashboard").get_data(as_text=True)
    assert "Not shared with participants" in overview
    assert "Share the findings with participants" not in overview
    assert share(client, ws, "on").status_code == 403


def test_participants_read_them_once_shared_and_nothing_is_left_to_answer(app, client, make, ws):
    done = make.participant(ws, "pakistan", language="fr")
    you = Respondent(client)
    you.open(token_of(done))
    assert you.complete("pre", PRE).location == "/q/pre/thanks"
    you.get("/q/pre/thanks")
    assert FINDINGS not in you.html
    assert client.get(FINDINGS).status_code == 404  # not shared yet

    ws.findings_shared_at = make.now()
    db.session.commit()
    you.get("/q/pre/thanks")
    assert f'href="{FINDINGS}"' in you.html
    page = client.get(FINDINGS)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ce qu’ont répondu les participants" in html  # her language
    start_reading()
    expected = shared_findings(ws, "fr")
    assert expected.findings and sentences(html) == [*expected.headline, *expected.findings]
    assert '<div class="findings" lang="fr" dir="ltr">' in html
    db.session.rollback()

    # The post wave opens: she has a questionnaire to answer again, and reads nothing until
    # she has submitted it.
    open_wave(ws.wave("post"))
    db.session.commit()
    assert client.get(FINDINGS).status_code == 404
    assert client.get("/q/", follow_redirects=True).request.path.startswith("/q/post/")


def test_a_participant_who_has_not_answered_reads_nothing(app, client, make, ws):
    ws.findings_shared_at = make.now()
    db.session.commit()
    waiting = make.participant(ws, "nato")
    you = Respondent(client)
    you.open(token_of(waiting))
    assert client.get(FINDINGS).status_code == 404  # the pre wave is open to them
    assert Respondent(client.application.test_client()).get(FINDINGS).status_code == 403


def test_in_urdu_they_read_right_to_left(app, client, make, ws):
    ws.findings_shared_at = make.now()
    db.session.commit()
    reader = make.participant(ws, "pakistan", language="ur")
    you = Respondent(client)
    you.open(token_of(reader))
    you.complete("pre", PRE)
    html = client.get(FINDINGS).get_data(as_text=True)
    assert '<div class="findings" lang="ur" dir="rtl">' in html
    assert "شرکاء نے کیا جواب دیے" in html and sentences(html)


def test_with_too_few_answers_nothing_is_shared(app, client, make):
    small = make.workshop(open_waves=("pre",))
    populate(small, 2, seed=6, post_share=0.0)
    small.findings_shared_at = make.now()
    db.session.commit()
    reader = make.participant(small, "nato")
    you = Respondent(client)
    you.open(token_of(reader))
    you.complete("pre", PRE)
    html = client.get(FINDINGS).get_data(as_text=True)
    assert "There is nothing to share yet" in html and 'class="findings"' not in html
