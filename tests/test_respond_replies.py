"""The saves the page's script sends in the background (docs/background-saves.md): the page's
own form POST asking for JSON, with the page's revision, so that a late save never overwrites a
newer one; and the wave's steps it fetches once to show the next page at once."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Response, ResponseStatus
from survey.organise.workshops import close_wave
from survey.tokens import reissue_invitation
from tests.respond_helpers import (
    PRE,
    RANKING_ITEMS,
    TRUST,
    Respondent,
    hidden,
    ranking,
    token_of,
)

JSON = {"Accept": "application/json"}


@pytest.fixture
def ws(make):
    return make.workshop(open_waves=("pre",))


@pytest.fixture
def person(ws, make):
    return make.participant(ws, "nato")


class Script(Respondent):
    """The page's script: posts a page's form as the page would, asking for JSON."""

    def save(self, page: str, data: dict, *, revision: int | None = None, nav: str = "next"):
        form = {**data, "nav": nav, "csrf_token": hidden(self.html, "csrf_token") or ""}
        ticket = hidden(self.html, "ticket")
        if ticket:
            form["ticket"] = ticket
        if revision is not None:
            form["revision"] = str(revision)
        return self.client.post(f"/q/pre/{page}", data=form, headers=JSON)

    def steps(self):
        return self.client.get("/q/pre/steps.json", headers=JSON)


@pytest.fixture
def script(client, person):
    you = Script(client)
    you.open(token_of(person))
    you.answer("pre", "consent", PRE["consent"])
    you.get("/q/pre/trust")  # the page the script runs on: its tokens
    return you


def stored(person) -> dict:
    db.session.rollback()
    response = db.session.scalar(select(Response).where(Response.participant_id == person.id))
    return {
        (a.question, a.item): a.number if a.number is not None else a.text for a in response.answers
    }


def response_of(person) -> Response:
    db.session.rollback()
    return db.session.scalar(select(Response).where(Response.participant_id == person.id))


# --------------------------------------------------------------------------- saves


def test_a_background_save_whose_link_was_replaced_is_told_so(script, person):
    reissue_invitation(person)
    db.session.commit()
    reply = script.save("trust", PRE["trust"], revision=1)
    assert reply.status_code == 404
    assert reply.json == {"status": "session-ended", "message": "This link is no longer valid"}


def test_a_background_save_is_stored_and_answered_with_json(script, person):
    reply = script.save("trust", PRE["trust"], revision=1)
    assert reply.status_code == 200 and reply.is_json
    assert reply.json == {"status": "saved", "revision": 1, "next": "/q/pre/overall"}
    assert reply.headers["Cache-Control"] == "no-store"
    assert stored(person)[("trust_partner", "")] == 4
    response = response_of(person)
    assert response.page_revisions == {"trust": 1} and response.current_page == "overall"


def test_a_late_save_never_overwrites_a_newer_one(script, person):
    newer = {**PRE["trust"], "trust_partner": "2"}
    assert script.save("trust", newer, revision=2).json["status"] == "saved"
    late = script.save("trust", PRE["trust"], revision=1)  # sent first, arrived last
    assert late.status_code == 200
    assert late.json["status"] == "stale" and late.json["revision"] == 2
    # The script is given the answers the server holds, to show them instead.
    assert ["trust_partner", "2"] in late.json["values"]
    assert stored(person)[("trust_partner", "")] == 2
    assert response_of(person).page_revisions == {"trust": 2}


def test_a_save_sent_again_is_acknowledged_and_changes_nothing(script, person):
    assert script.save("trust", PRE["trust"], revision=3).json["status"] == "saved"
    before = response_of(person).updated_at
    again = script.save("trust", PRE["trust"], revision=3)  # the answer was lost, not the save
    assert again.json == {"status": "saved", "revision": 3, "next": "/q/pre/overall"}
    assert response_of(person).updated_at == before


def test_a_page_posted_without_the_script_is_always_stored_and_counts(script, person):
    assert script.save("trust", PRE["trust"], revision=4).json["revision"] == 4
    typed = {**PRE["trust"], "trust_partner": "1"}
    assert script.post("/q/pre/trust", typed).status_code == 302  # no revision: stored
    assert stored(person)[("trust_partner", "")] == 1
    assert response_of(person).page_revisions == {"trust": 5}
    script.get("/q/pre/trust")
    late = script.save("trust", PRE["trust"], revision=4)  # older than the page's own post
    assert late.json["status"] == "stale"
    same_number = script.save("trust", PRE["trust"], revision=5)  # not what the page holds
    assert same_number.json["status"] == "stale"
    assert stored(person)[("trust_partner", "")] == 1


def test_each_page_has_its_own_revision(script, person):
    assert script.save("trust", PRE["trust"], revision=7).json["status"] == "saved"
    overall = {"trust_direct": "3", "warmth": "55", "meta_trust": "2"}
    assert script.save("overall", overall, revision=1).json["status"] == "saved"
    assert response_of(person).page_revisions == {"trust": 7, "overall": 1}


def test_an_invalid_answer_gets_the_messages_and_the_page_to_show(script, person):
    reply = script.save("overall", {"trust_direct": "3", "warmth": "500"}, revision=1)
    assert reply.status_code == 422
    assert reply.json["status"] == "invalid"
    assert reply.json["errors"] == {"warmth": "Enter a whole number from 0 to 100."}
    section = reply.json["section"]
    assert section.startswith('<section class="step" data-step="overall"')
    assert 'class="error-summary"' in section and 'value="500"' in section
    assert 'data-title="Error: Overall trust – Test workshop"' in section  # once it is shown
    assert stored(person) == {}


@pytest.mark.parametrize("revision", ["0", "-1", "x", "1" * 12, "٣"])
def test_a_revision_must_be_a_positive_whole_number(script, person, revision):
    data = {**PRE["trust"], "revision": revision, "nav": "next"}
    data["csrf_token"] = hidden(script.html, "csrf_token")
    reply = script.client.post("/q/pre/trust", data=data, headers=JSON)
    assert reply.status_code == 400
    assert stored(person) == {}


def test_csrf_and_tickets_hold_for_background_saves_too(script, person, app):
    forged = script.client.post(
        "/q/pre/trust", data={**PRE["trust"], "ticket": "forged", "revision": "1"}, headers=JSON
    )
    assert forged.status_code == 400
    bare = script.client.post("/q/pre/trust", data={**PRE["trust"], "revision": "1"}, headers=JSON)
    assert bare.status_code == 409 and bare.json["status"] == "not-saved" and bare.json["message"]
    stranger = app.test_client().post("/q/pre/trust", data=PRE["trust"], headers=JSON)
    assert stranger.status_code == 403 and stranger.json["status"] == "session-ended"
    assert stored(person) == {}
    # A lost cookie: the page's ticket stands in for the session, as for a page.
    ticket = hidden(script.html, "ticket")
    fresh = app.test_client().post(
        "/q/pre/trust", data={**PRE["trust"], "ticket": ticket, "revision": "1"}, headers=JSON
    )
    assert fresh.json["status"] == "saved"


def test_consent_comes_first(client, person):
    you = Script(client)
    you.open(token_of(person))
    you.get("/q/pre/consent")
    early = you.save("trust", PRE["trust"], revision=1)
    assert early.status_code == 409
    assert early.json == {"status": "consent", "next": "/q/pre/consent"}
    assert you.save("consent", {}).status_code == 422  # not ticked
    given = you.save("consent", PRE["consent"])
    assert given.json == {"status": "saved", "next": "/q/pre/profile"}
    assert you.save("trust", PRE["trust"], revision=1).json["status"] == "saved"


@pytest.mark.parametrize("step", ["consent", "review"])
def test_the_language_switch_of_consent_and_the_review_in_the_background(client, person, app, step):
    you = Script(client)
    you.open(token_of(person))
    if step == "review":
        you.complete("pre", PRE, submit=False)
    you.get(f"/q/pre/{step}")
    switch = {"language": "fr", "ticket": hidden(you.html, "ticket")}  # the cookie was lost
    switched = app.test_client().post(f"/q/pre/{step}", data=switch, headers=JSON)
    assert switched.json == {"status": "saved", "next": f"/q/pre/{step}"}
    assert response_of(person).status is ResponseStatus.IN_PROGRESS
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    expired = app.test_client().post(f"/q/pre/{step}", data=switch, headers=JSON)
    assert expired.status_code == 409 and expired.json["status"] == "not-saved"


def test_submit_in_the_background(script, person):
    for page, data in PRE.items():
        if page != "consent":
            assert script.save(page, data, revision=1).json["status"] == "saved", page
    script.get("/q/pre/review")
    reply = script.save("review", {}, nav="submit")
    assert reply.json["status"] == "submitted" and reply.json["next"] == "/q/pre/thanks"
    # The thank-you page's content comes with it, to show without another round trip.
    # Titled as the page without the script is, in plain text for the document's title.
    without_script = script.get("/q/pre/thanks").get_data(as_text=True)
    assert f"<title>{reply.json['title']}</title>" in without_script
    assert reply.json["title"] == "Thank you – Test workshop"
    assert reply.json["page"].startswith('<h1 tabindex="-1">Thank you</h1>')
    assert "one more questionnaire: After the workshop" in reply.json["page"]
    assert response_of(person).status is ResponseStatus.SUBMITTED
    # Anything sent afterwards hears that it is submitted, and changes nothing.
    assert script.save("review", {}, nav="submit").json["status"] == "submitted"
    late = script.save("trust", dict.fromkeys(TRUST, "1"), revision=9)
    assert late.json == {"status": "submitted", "next": "/q/pre/thanks"}
    assert stored(person)[("trust_partner", "")] == 4


def test_the_thank_you_title_is_plain_text_for_the_script(script, ws):
    """The script sets document.title to it: the workshop's title as typed, not escaped, as the
    browser shows the page's <title> without the script."""
    ws.title = 'Peace & "Trust" <2014>'
    db.session.commit()
    for page, data in PRE.items():
        if page != "consent":
            script.save(page, data, revision=1)
    script.get("/q/pre/review")

    reply = script.save("review", {}, nav="submit")

    assert reply.json["title"] == 'Thank you – Peace & "Trust" <2014>'
    without_script = script.get("/q/pre/thanks").get_data(as_text=True)
    assert "<title>Thank you – Peace &amp; &#34;Trust&#34; &lt;2014&gt;</title>" in without_script


def test_submit_with_a_required_question_unanswered_shows_its_page(script, person, monkeypatch):
    from survey.respond import posting

    def outlook_missing(steps, stored):
        return next(step for step in steps if step.code == "outlook")

    monkeypatch.setattr(posting, "missing_required", outlook_missing)
    script.get("/q/pre/review")
    reply = script.save("review", {}, nav="submit")
    assert reply.status_code == 409
    assert reply.json == {"status": "incomplete", "next": "/q/pre/outlook"}
    assert response_of(person).status is ResponseStatus.IN_PROGRESS


def test_a_closed_wave_says_so(script, ws, person):
    close_wave(ws.wave("pre"))
    db.session.commit()
    reply = script.save("trust", PRE["trust"], revision=1)
    assert reply.status_code == 409 and reply.json["status"] == "closed"
    assert script.steps().json["status"] == "closed"
    assert stored(person) == {}


# --------------------------------------------------------------------------- the wave's steps


def test_the_steps_are_every_step_blank_with_what_fills_them(script, person):
    script.save("trust", PRE["trust"], revision=2)
    script.save("priorities", ranking(reversed(RANKING_ITEMS)), revision=1)
    reply = script.steps()
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-store"
    found = reply.json
    codes = re.findall(r'<section class="step" data-step="([a-z_]+)"', found["html"])
    assert codes == [*PRE, "review"]  # every step of the wave, in order
    # Blank: no token of any kind, no answer; the script gives them.
    assert "csrf_token" not in found["html"] and "ticket" not in found["html"]
    assert " checked" not in found["html"] and "selected" not in found["html"]
    assert found["values"]["consent"] == [["agree", "y"]]
    assert sorted(found["values"]["trust"]) == sorted([code, "4"] for code in TRUST)
    assert ["priorities-counter_terrorism", "8"] in found["values"]["priorities"]
    assert found["revisions"] == {"trust": 2, "priorities": 1}
    assert found["response"] == response_of(person).id
    assert found["words"]["saved"] == "Saved"
    # A complete ranking is shown in its order.
    assert found["orders"]["priorities"] == list(reversed(RANKING_ITEMS))


def test_the_blank_steps_are_the_same_for_everyone_who_sees_the_same(app, ws, make):
    found = []
    for language in ("en", "en", "fr"):
        you = Script(app.test_client())
        you.open(token_of(make.participant(ws, "nato", language=language)))
        you.answer("pre", "consent", PRE["consent"])
        found.append(you.steps().json)
    assert found[0]["html"] == found[1]["html"] != found[2]["html"]
    # Titled as the page the script runs on: the step's title, then the workshop's.
    assert 'data-title="Confiance globale – Test workshop"' in found[2]["html"]
    assert found[0]["response"] != found[1]["response"]
    # Each participant's own order of the ranking comes apart from the shared sections.
    drawn = [f["orders"]["priorities"] for f in found]
    assert all(sorted(order) == sorted(RANKING_ITEMS) for order in drawn)
    assert len({tuple(order) for order in drawn}) > 1 or drawn[0] != list(RANKING_ITEMS)


def test_the_steps_need_the_participants_session(client, person):
    assert client.get("/q/pre/steps.json", headers=JSON).status_code == 403


# --------------------------------------------------------------------------- the review


def test_change_on_the_review_comes_back_to_the_review(script, person):
    script.get("/q/pre/review")
    link = re.search(r'href="(/q/pre/overall\?return=review#q-trust_direct)"', script.html)
    assert link, "no Change link to the overall page"
    page = script.get(link.group(1).split("#")[0])
    assert page.status_code == 200
    assert 'value="review"' in script.html and "Return to the review" in script.html
    back = script.post("/q/pre/overall", {"trust_direct": "2"}, nav="review")
    assert back.status_code == 302 and back.location == "/q/pre/review"
    assert stored(person)[("trust_direct", "")] == 2
    assert response_of(person).current_page == "review"


def test_answers_to_the_script_leave_the_session_cookie_alone_unless_it_changes(script, app):
    page = script.client.get("/q/pre/trust")
    assert "session=" in page.headers.get("Set-Cookie", "")  # the page renews it
    saved = script.save("trust", PRE["trust"], revision=1)
    assert saved.json["status"] == "saved" and "Set-Cookie" not in saved.headers
    assert "Set-Cookie" not in script.steps().headers
    # A save that brings the session back (the cookie was lost, the ticket was not) sets it.
    ticket = hidden(script.html, "ticket")
    restored = app.test_client().post(
        "/q/pre/trust", data={**PRE["trust"], "ticket": ticket, "revision": "2"}, headers=JSON
    )
    assert restored.json["status"] == "saved"
    assert "session=" in restored.headers.get("Set-Cookie", "")
