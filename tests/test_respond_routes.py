"""The participant's path over HTTP: personal and join links, windows, autosave and resume,
validation, expired sessions, submit, language, and the organisers' preview."""

import logging
import re
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Answer, Participant, ParticipantSource, Response, ResponseStatus
from survey.models._types import utcnow
from survey.organise.workshops import close_wave, open_wave, schedule_wave
from survey.tokens import join_code, refresh_join_code, reissue_invitation
from tests.conftest import mangled, sign_in
from tests.respond_helpers import POST, PRE, TRUST, Respondent, hidden, ranking, token_of


@pytest.fixture
def ws(make):
    return make.workshop(open_waves=("pre",))


@pytest.fixture
def person(ws, make):
    return make.participant(ws, "nato")


@pytest.fixture
def you(client, person):
    """The participant, signed in through their personal link."""
    respondent = Respondent(client)
    assert respondent.open(token_of(person)).status_code == 302
    return respondent


def answers_of(participant, wave="pre") -> dict[tuple[str, str], int | str]:
    db.session.rollback()  # end the test's read snapshot: see what other requests committed
    rows = db.session.execute(
        select(Answer.question, Answer.item, Answer.number, Answer.text)
        .join(Response)
        .where(Response.participant_id == participant.id)
        .where(Response.wave.has(code=wave))
    )
    return {(q, i): n if n is not None else t for q, i, n, t in rows}


def response_of(participant, wave="pre") -> Response | None:
    db.session.rollback()
    return db.session.scalar(
        select(Response).where(
            Response.participant_id == participant.id, Response.wave.has(code=wave)
        )
    )


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


# --------------------------------------------------------------------------- personal links


def test_a_personal_link_leads_to_a_url_without_the_token(client, person):
    token = token_of(person)
    response = client.get(f"/s/{token}")
    assert response.status_code == 302
    assert response.location == "/q/pre/consent" and token not in response.location
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = client.get(response.location)
    assert page.status_code == 200 and token not in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def test_unknown_revoked_and_withdrawn_links_look_the_same(client, ws, make):
    revoked = make.participant(ws)
    old = token_of(revoked)
    reissue_invitation(revoked)
    withdrawn = make.participant(ws)
    withdrawn_token = token_of(withdrawn)
    withdrawn.withdrawn_at = utcnow()
    db.session.commit()
    pages = [client.get(f"/s/{token}") for token in ("A" * 32, old, withdrawn_token)]
    assert {page.status_code for page in pages} == {404}
    assert len({without_csrf(page.get_data(as_text=True)) for page in pages}) == 1
    assert "This link does not work" in pages[0].get_data(as_text=True)


@pytest.mark.parametrize("mangle", [lambda t: t[:-1], lambda t: t + "A", lambda t: t.upper()])
def test_tampered_tokens_are_refused(client, person, mangle):
    assert client.get(f"/s/{mangle(token_of(person))}").status_code == 404


def test_a_reissued_link_ends_the_old_links_session(you, person):
    assert you.get("/q/pre/consent").status_code == 200
    reissue_invitation(person)
    db.session.commit()
    replaced = you.get("/q/pre/consent")
    # Told to open the new link, not to check that they copied this one.
    assert replaced.status_code == 404
    assert "If the organisers have sent you a new link or a new card" in replaced.text
    assert "copied the whole link" not in replaced.text
    again = you.get("/q/")  # a reload, another page: the same words until the new link
    assert again.status_code == 404 and "a new link or a new card" in again.text


def test_failed_lookups_are_rate_limited_per_address(app, client):
    app.config["FAILED_LOOKUP_LIMIT"] = "3 per minute"
    statuses = [client.get(f"/s/unknown{i}").status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert client.get("/join/unknown").status_code == 429  # the same budget of failures
    other = client.get("/s/unknown", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404


def test_successful_redemptions_are_never_counted(app, client, ws, make):
    app.config["FAILED_LOOKUP_LIMIT"] = "3 per minute"
    tokens = [token_of(make.participant(ws)) for _ in range(25)]
    assert {client.get(f"/s/{token}").status_code for token in tokens} == {302}
    assert client.get("/s/unknown").status_code == 404  # the failure budget is intact


def test_a_valid_link_opens_after_its_address_has_used_up_its_failures(app, client, ws, make):
    # A venue behind one address: stale QR cards or one person's typos must not stop the rest.
    app.config["FAILED_LOOKUP_LIMIT"] = "3 per minute"
    token, code = token_of(make.participant(ws)), join_code(ws.group("pakistan"))
    assert [client.get(f"/s/unknown{i}").status_code for i in range(4)] == [404, 404, 404, 429]
    assert client.get(f"/s/{token}").status_code == 302
    assert client.get(f"/join/{code}").status_code == 200
    # Failures stay limited for both kinds of link.
    assert client.get("/s/unknown").status_code == 429
    assert client.get("/join/unknown").status_code == 429


def test_the_token_never_reaches_a_log(live_server, person, caplog):
    token = token_of(person)

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # look at the redirect itself

    with caplog.at_level(logging.INFO), pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(Stay).open(f"{live_server}/s/{token}")
    redirect.value.close()
    assert redirect.value.code == 302
    assert "/s/[redacted]" in caplog.text  # the access log line of the request
    assert token not in caplog.text


# --------------------------------------------------------------------------- join links


def test_joining_creates_a_participant_with_only_hashes_and_shows_their_link(client, ws):
    code = join_code(ws.group("pakistan"))
    page = client.get(f"/join/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Pakistan" in html
    response = client.post(
        f"/join/{code}",
        data={
            "mother": "Sa",
            "day": "7",
            "town": "Karachi",
            "siblings": "۲",
            "csrf_token": hidden(html, "csrf_token"),
        },
    )
    assert response.status_code == 302 and response.location == "/q/link"
    joined = db.session.scalar(
        select(Participant).where(Participant.source == ParticipantSource.JOIN)
    )
    assert joined.group.code == "pakistan" and joined.language == "en"
    stored = [joined.link_mother, joined.link_day, joined.link_town, joined.link_siblings]
    assert all(len(value) == 64 for value in stored)
    assert not {"sa", "07", "ka", "2"} & set(stored)
    link_page = client.get("/q/link").get_data(as_text=True)
    link = re.search(r'href="(http://localhost/s/[^"]+)"', link_page).group(1)
    assert "<svg" in link_page and "<script" not in link_page.split("</main>")[0]
    # The link is a personal link like any other: it opens the questionnaire on another device.
    other = client.application.test_client()
    assert other.get(link.removeprefix("http://localhost")).location == "/q/pre/consent"
    assert client.get("/q/").location == "/q/pre/consent"


def test_join_answers_are_checked_and_nothing_is_stored_on_error(client, ws):
    code = join_code(ws.group("nato"))
    html = client.get(f"/join/{code}").get_data(as_text=True)
    response = client.post(
        f"/join/{code}",
        data={
            "mother": "12",
            "day": "32",
            "town": "",
            "siblings": "x",
            "csrf_token": hidden(html, "csrf_token"),
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in (
        "Enter letters only",
        "Enter a day from 1 to 31.",
        "Please answer this.",
        "Enter a number from 0 to 9.",
    ):
        assert message in page
    # The summary names the field of each problem ("Please answer this." alone would not).
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert (
        '<a href="#town">The first two letters of the town where you were born: '
        "Please answer this.</a>" in summary
    )
    assert summary.count("<li>") == 4
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_the_join_summary_is_punctuated_as_the_language_writes(client, ws):
    code = join_code(ws.group("nato"))
    french = {"Accept-Language": "fr"}
    html = client.get(f"/join/{code}", headers=french).get_data(as_text=True)
    data = {
        "mother": "",
        "day": "",
        "town": "",
        "siblings": "",
        "csrf_token": hidden(html, "csrf_token"),
    }
    page = client.post(f"/join/{code}", data=data, headers=french).get_data(as_text=True)
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    items = re.findall(r"<li><a [^>]*>(.*?)</a></li>", summary)
    assert len(items) == 4 and all("\u00a0: " in item for item in items), items


def test_the_join_page_says_already_joined_only_within_the_same_workshop(client, ws, you, make):
    """You (in ws, by your personal link) open ws's join link, then another workshop's."""
    notice = "You have already joined on this device."
    assert notice in client.get(f"/join/{join_code(ws.group('pakistan'))}").get_data(as_text=True)
    other = make.workshop(open_waves=("pre",))
    assert notice not in client.get(f"/join/{join_code(other.group('nato'))}").get_data(
        as_text=True
    )


def test_replaced_or_unknown_join_codes_are_refused(client, ws):
    group = ws.group("nato")
    old = join_code(group)
    refresh_join_code(group, replace=True)
    db.session.commit()
    assert client.get(f"/join/{old}").status_code == 404
    assert client.get("/join/" + "x" * 500).status_code == 404
    assert client.get(f"/join/{join_code(group)}").status_code == 200


# --------------------------------------------------------------------------- windows


def test_a_wave_not_yet_open_says_when_it_opens_in_the_workshop_time_zone(client, make):
    ws = make.workshop(open_waves=())
    opens = utcnow().replace(microsecond=0) + timedelta(days=3)
    schedule_wave(ws.wave("pre"), opens, None)
    db.session.commit()
    you = Respondent(client)
    you.open(token_of(make.participant(ws)))
    page = you.get("/q/")
    assert page.status_code == 200
    assert "This questionnaire is not open yet" in you.html
    # The wave's title names the questionnaire; it is not the sentence's subject
    assert "The questionnaire “Before the workshop” opens on " in you.html
    local = opens.astimezone(ZoneInfo("Asia/Karachi"))
    assert format_time(local, "short", locale="en") in you.html
    assert format_date(local, "full", locale="en") in you.html and "(Asia/Karachi)" in you.html
    assert you.get("/q/pre/consent").status_code == 200 and "not open yet" in you.html
    assert response_of(ws.participants[0]) is None


def test_a_closed_wave_accepts_nothing(you, ws, person):
    you.answer("pre", "consent", PRE["consent"])
    you.get("/q/pre/trust")
    close_wave(ws.wave("pre"))
    db.session.commit()
    response = you.post("/q/pre/trust", PRE["trust"])
    assert response.status_code == 200 and "This questionnaire has closed" in you.html
    assert "The questionnaire “Before the workshop” has closed: answers can no" in you.html
    assert answers_of(person) == {}
    assert you.get("/q/pre/trust").status_code == 200 and "has closed" in you.html
    # With the next wave to come, the link says both: this one closed, when the next opens.
    opens = utcnow().replace(microsecond=0) + timedelta(days=3)
    schedule_wave(ws.wave("post"), opens, None)
    db.session.commit()
    assert you.open(token_of(person)).location == "/q/"
    you.get("/q/")
    assert "This questionnaire is not open yet" in you.html
    assert "The questionnaire “Before the workshop” has closed: answers can no" in you.html
    assert "The questionnaire “After the workshop” opens on " in you.html


# --------------------------------------------------------------------------- the questionnaire


def test_consent_is_required_and_stored_with_time_and_version(you, person):
    assert you.get("/q/pre/trust").location == "/q/pre/consent"
    response = you.answer("pre", "consent", {})
    assert response.status_code == 422 and "tick the box" in you.html
    assert response_of(person).consent_at is None
    assert you.answer("pre", "consent", {"agree": "y"}).location == "/q/pre/profile"
    stored = response_of(person)
    assert stored.consent_version == "2014-1" and stored.consent_at is not None
    assert stored.current_page == "profile"


def test_every_page_is_saved_when_left_and_resumed_on_another_device(you, person, app):
    you.answer("pre", "consent", PRE["consent"])
    you.answer("pre", "profile", PRE["profile"])
    you.answer("pre", "trust", PRE["trust"])
    back = you.answer("pre", "overall", {"trust_direct": "2", "warmth": "۳۵"}, nav="back")
    assert back.location == "/q/pre/trust"
    assert answers_of(person)[("trust_direct", "")] == 2
    assert answers_of(person)[("warmth", "")] == 35
    assert response_of(person).current_page == "trust"

    phone = Respondent(app.test_client())
    assert phone.open(token_of(person)).location == "/q/pre/trust"
    phone.get("/q/pre/overall")
    assert 'value="2"\n             id="q-trust_direct-1" checked' in phone.html
    assert 'value="35"' in phone.html


def test_clearing_an_answer_deletes_it(you, person):
    you.answer("pre", "consent", PRE["consent"])
    you.answer("pre", "outlook", {"hope_text": "Peace", "optimism": "4"})
    you.answer("pre", "outlook", {"hope_text": "  ", "optimism": "4"})
    assert ("hope_text", "") not in answers_of(person)
    assert answers_of(person)[("optimism", "")] == 4


def test_the_roster_sector_skips_the_question_and_a_full_profile_skips_the_page(client, ws, make):
    known = make.participant(ws, sector="military")
    you = Respondent(client)
    you.open(token_of(known))
    you.answer("pre", "consent", PRE["consent"])
    you.get("/q/pre/profile")
    assert 'name="sector"' not in you.html and 'name="experience"' in you.html
    response = you.post("/q/pre/profile", {"sector": "media"})
    assert response.status_code == 400  # not asked, so not accepted


def test_post_skips_consent_and_profile_already_given_and_keeps_the_sector(client, ws, make):
    person = make.participant(ws)
    you = Respondent(client)
    you.open(token_of(person))
    assert you.complete("pre", PRE).location == "/q/pre/thanks"
    db.session.expire_all()
    assert person.sector == "media"
    open_wave(ws.wave("post"))
    db.session.commit()
    assert you.get("/q/").location == "/q/post/trust"
    assert you.get("/q/post/consent").status_code == 404
    assert you.complete("post", POST).location == "/q/post/thanks"
    assert ("sector", "") not in answers_of(person, "post")
    assert answers_of(person, "post")[("priorities", "regional_economy")] == 1
    assert you.get("/q/").status_code == 200 and "every questionnaire" in you.html


def test_after_the_post_wave_a_closed_pre_wave_is_not_what_the_link_says(client, make):
    ws = make.workshop(open_waves=("post",))
    person = make.participant(ws)
    you = Respondent(client)
    you.open(token_of(person))
    assert you.get("/q/").location == "/q/post/consent"  # pre was never open for them
    assert you.complete("post", {"consent": PRE["consent"], **POST}).location == "/q/post/thanks"
    close_wave(ws.wave("pre"))
    db.session.commit()
    for path in (f"/s/{token_of(person)}", "/q/"):
        response = you.client.get(path, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "You have answered every questionnaire" in html, path
        assert "has closed" not in html


def test_a_completed_questionnaire_is_stored_as_designed(you, person):
    assert you.complete("pre", PRE).location == "/q/pre/thanks"
    stored = answers_of(person)
    assert stored[("sector", "")] == "media"
    assert stored[("trust_agenda", "")] == 4
    assert stored[("warmth", "")] == 60
    assert stored[("priorities", "counter_terrorism")] == 1
    assert stored[("hope_text", "")] == "Mutual understanding."
    assert len([key for key in stored if key[0] == "priorities"]) == 8
    response = response_of(person)
    assert response.status is ResponseStatus.SUBMITTED and response.language == "en"
    thanks = you.get("/q/pre/thanks")
    assert thanks.status_code == 200 and "one more questionnaire" in you.html


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"warmth": "101"}, "Enter a whole number from 0 to 100."),
        ({"trust_direct": "7"}, "Choose one of the answers shown."),
        ({"meta_trust": "-8"}, "Choose one of the answers shown."),
    ],
)
def test_invalid_answers_show_the_page_again_and_store_nothing(you, person, data, message):
    you.answer("pre", "consent", PRE["consent"])
    response = you.answer("pre", "overall", {"trust_direct": "3", **data})
    assert response.status_code == 422
    assert message in you.html and 'class="error-summary"' in you.html
    assert 'aria-invalid="true"' in you.html or "has-error" in you.html
    assert answers_of(person) == {}  # not even the valid answer: never a partial write
    assert 'value="3"' in you.html  # what was typed is shown again


def test_duplicate_ranks_and_overlong_text_are_refused(you, person):
    you.answer("pre", "consent", PRE["consent"])
    duplicate = {**ranking(), "priorities-regional_economy": "1"}
    assert you.answer("pre", "priorities", duplicate).status_code == 422
    assert "different rank from 1 to 8" in you.html
    assert you.answer("pre", "outlook", {"hope_text": "x" * 2001}).status_code == 422
    assert "Shorten your answer" in you.html
    assert answers_of(person) == {}


@pytest.mark.parametrize(
    "extra",
    [
        {"trust_direct": "3"},  # a question of another page
        {"made_up": "1"},
        {"priorities-not_an_item": "1"},
    ],
)
def test_fields_that_are_not_on_the_page_are_refused(you, person, extra):
    you.answer("pre", "consent", PRE["consent"])
    assert you.answer("pre", "trust", {**PRE["trust"], **extra}).status_code == 400
    assert answers_of(person) == {}


def test_garbage_is_a_client_error_never_a_server_error(you, person):
    you.answer("pre", "consent", PRE["consent"])
    you.get("/q/pre/trust")
    assert you.post("/q/pre/trust", PRE["trust"], nav="sideways").status_code == 400
    assert you.post("/q/pre/trust", {"ticket": "forged"}).status_code == 400
    assert you.post("/q/pre/trust", {"language": "xx"}).status_code == 400
    assert you.get("/q/pre/no_such_page").status_code == 404
    assert you.get("/q/no_such_wave/trust").status_code == 404
    you.get("/q/pre/trust")
    assert you.post("/q/pre/trust", {"trust_agenda": "\x00"}).status_code == 422
    assert answers_of(person) == {}


# --------------------------------------------------------------------------- expired sessions


def test_an_expired_csrf_token_keeps_the_answers_and_the_next_press_saves_them(you, person):
    you.answer("pre", "consent", PRE["consent"])
    you.get("/q/pre/trust")
    # The session's CSRF token is gone and the ticket was lost: nothing authorises the write.
    response = you.post("/q/pre/trust", PRE["trust"], from_page=False)
    assert response.status_code == 409
    assert "not saved yet" in you.html
    assert you.html.count("checked") == len(TRUST)  # every answer shown again
    assert answers_of(person) == {}
    assert you.post("/q/pre/trust", PRE["trust"]).status_code == 302  # the page's new tokens
    assert answers_of(person)[("trust_partner", "")] == 4


def test_a_lost_session_is_restored_by_the_pages_ticket(you, person, app):
    you.answer("pre", "consent", PRE["consent"])
    you.get("/q/pre/trust")
    ticket = hidden(you.html, "ticket")
    fresh = app.test_client()  # the cookie is gone, the page is still open
    response = fresh.post("/q/pre/trust", data={**PRE["trust"], "nav": "next", "ticket": ticket})
    assert response.status_code == 302 and response.location == "/q/pre/overall"
    assert answers_of(person)[("trust_commitments", "")] == 4
    assert fresh.get("/q/pre/overall").status_code == 200  # and the session is back


def test_an_expired_ticket_without_a_session_shows_the_answers_but_saves_nothing(you, person, app):
    you.answer("pre", "consent", PRE["consent"])
    you.get("/q/pre/trust")
    ticket = hidden(you.html, "ticket")
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    fresh = Respondent(app.test_client())
    response = fresh.post("/q/pre/trust", {**PRE["trust"], "ticket": ticket}, from_page=False)
    assert response.status_code == 409 and fresh.html.count("checked") == len(TRUST)
    assert answers_of(person) == {}


def test_a_page_of_another_link_never_writes_to_the_session(app, ws, make):
    first, second = make.participant(ws), make.participant(ws)
    device = Respondent(app.test_client())  # one shared phone
    device.open(token_of(first))
    device.answer("pre", "consent", PRE["consent"])
    device.get("/q/pre/trust")
    first_tab = device.html  # left open
    device.open(token_of(second))  # someone else opens their link on the same phone
    device.answer("pre", "consent", PRE["consent"])
    device.html = first_tab
    response = device.post("/q/pre/trust", PRE["trust"])
    assert response.status_code == 409 and "no longer open on this device" in device.html
    assert device.html.count("checked") == len(TRUST)
    assert device.post("/q/pre/trust", PRE["trust"]).status_code == 409  # pressed again
    assert answers_of(first) == {} and answers_of(second) == {}
    device.open(token_of(first))  # the first person opens their link again
    assert device.post("/q/pre/trust", PRE["trust"]).status_code == 302
    assert answers_of(first)[("trust_agenda", "")] == 4 and answers_of(second) == {}


NOTICE = '<p class="notice" role="alert">'


def at_step(you, step: str) -> None:
    """Bring the participant to consent or to the review, every page before it answered."""
    if step == "review":
        you.complete("pre", PRE, submit=False)
    you.get(f"/q/pre/{step}")


@pytest.mark.parametrize("step", ["consent", "review"])
def test_a_language_switch_on_consent_or_the_review_restores_a_lost_session(you, person, app, step):
    at_step(you, step)
    fresh = Respondent(app.test_client())  # the cookie is gone, the page is still open
    fresh.html = you.html
    # Without the script the form posts its ticked box too: the switch gives no consent.
    switched = fresh.switch_language("ur", {"agree": "y"})
    assert switched.status_code == 302 and switched.location == f"/q/pre/{step}"
    assert fresh.get(switched.location).status_code == 200  # and the session is back
    assert '<html lang="ur" dir="rtl">' in fresh.html
    response = response_of(person)
    assert response.status is ResponseStatus.IN_PROGRESS and response.submitted_at is None
    assert (response.consent_at is None) == (step == "consent")
    assert db.session.get(Participant, person.id).language == "ur"


@pytest.mark.parametrize("step", ["consent", "review"])
def test_a_language_switch_with_an_expired_ticket_shows_the_step_and_changes_nothing(
    you, person, app, step
):
    at_step(you, step)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    fresh = Respondent(app.test_client())
    fresh.html = you.html
    refused = fresh.switch_language("ur", {"agree": "y"})
    # As on a page of questions: the step again, in the language chosen, saying why.
    assert refused.status_code == 409 and NOTICE in fresh.html
    assert '<html lang="ur" dir="rtl">' in fresh.html
    assert f'action="/q/pre/{step}"' in fresh.html
    response = response_of(person)
    assert response.submitted_at is None and (response.consent_at is None) == (step == "consent")
    assert db.session.get(Participant, person.id).language == "en"
    assert fresh.get(f"/q/pre/{step}").status_code == 403  # the session was not brought back


@pytest.mark.parametrize("step", ["consent", "review"])
def test_a_language_switch_with_another_links_ticket_changes_nothing(app, ws, make, step):
    first, second = make.participant(ws), make.participant(ws)
    device = Respondent(app.test_client())  # one shared phone
    device.open(token_of(first))
    at_step(device, step)
    first_tab = device.html  # left open
    device.open(token_of(second))
    device.html = first_tab
    refused = device.switch_language("fr")
    assert refused.status_code == 409 and NOTICE in device.html
    assert response_of(first).submitted_at is None and response_of(second) is None
    assert {db.session.get(Participant, p.id).language for p in (first, second)} == {"en"}


@pytest.mark.parametrize("step", ["consent", "review"])
def test_a_language_switch_with_a_forged_ticket_is_refused(you, person, app, step):
    at_step(you, step)
    fresh = Respondent(app.test_client())
    fresh.html = you.html
    forged = {"ticket": mangled(hidden(you.html, "ticket"))}
    assert fresh.switch_language("ur", forged).status_code == 400
    assert you.switch_language("ur", forged).status_code == 400  # session or not
    assert response_of(person).submitted_at is None
    assert db.session.get(Participant, person.id).language == "en"


def test_no_session_and_no_ticket_asks_for_the_link(client):
    assert client.get("/q/pre/trust").status_code == 403
    assert client.post("/q/pre/trust", data={"trust_direct": "3"}).status_code == 403


# --------------------------------------------------------------------------- submit


def test_submit_twice_changes_nothing_and_lands_on_thanks(you, person):
    you.complete("pre", PRE, submit=False)
    you.get("/q/pre/review")
    first = you.post("/q/pre/review", {}, nav="submit")
    submitted_at = response_of(person).submitted_at
    second = you.post("/q/pre/review", {}, nav="submit")  # a replay of the same form
    assert first.location == second.location == "/q/pre/thanks"
    assert response_of(person).submitted_at == submitted_at


def test_a_submitted_response_is_read_only(you, person):
    you.complete("pre", PRE)
    before = answers_of(person)
    you.get("/q/pre/thanks")
    assert you.get("/q/pre/trust").location == "/q/pre/thanks"
    response = you.client.post(
        "/q/pre/trust", data={**dict.fromkeys(TRUST, "1"), "nav": "next", "ticket": ""}
    )
    assert response.location == "/q/pre/thanks"
    assert answers_of(person) == before


def test_concurrent_submits_submit_once(you, person, app):
    you.complete("pre", PRE, submit=False)
    you.get("/q/pre/review")
    data = {"nav": "submit", "ticket": hidden(you.html, "ticket")}
    results = []

    def press():
        with app.test_client() as tab:  # two tabs: no session, each with the page's ticket
            results.append(tab.post("/q/pre/review", data=data))

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.location for r in results] == ["/q/pre/thanks"] * 2
    assert response_of(person).status is ResponseStatus.SUBMITTED


# --------------------------------------------------------------------------- language


def test_urdu_pages_are_right_to_left_with_urdu_text(client, ws, make):
    you = Respondent(client)
    you.open(token_of(make.participant(ws, language="ur")))
    you.get("/q/pre/consent")
    assert '<html lang="ur" dir="rtl">' in you.html
    assert "میں حصہ لینے پر رضامند ہوں" in you.html  # the instrument's consent
    assert "آگے" not in you.html and "شروع کریں" in you.html  # the interface's own strings


def form_action(html: str) -> str:
    return re.search(r'<form id="answers" method="post" action="([^"]+)"', html).group(1)


def test_a_page_opened_with_change_returns_to_the_review_after_errors_and_languages(you, person):
    you.complete("pre", PRE, submit=False)
    you.get("/q/pre/overall?return=review")
    action = form_action(you.html)
    assert action == "/q/pre/overall?return=review" and "Return to the review" in you.html
    refused = you.post(action, {**PRE["overall"], "warmth": "150"}, nav="review")
    assert refused.status_code == 422 and "Return to the review" in you.html
    assert form_action(you.html) == action
    switched = you.post(action, {**PRE["overall"], "language": "fr"}, nav=None)
    assert switched.status_code == 302 and switched.location == action
    you.get(switched.location)
    assert '<html lang="fr"' in you.html and 'value="review"' in you.html
    back = you.post(form_action(you.html), {**PRE["overall"], "warmth": "80"}, nav="review")
    assert back.location == "/q/pre/review" and answers_of(person)[("warmth", "")] == 80
    # Without "Change", the page goes on as usual.
    you.get("/q/pre/overall")
    assert form_action(you.html) == "/q/pre/overall" and 'value="next"' in you.html
    switched = you.post("/q/pre/overall", {**PRE["overall"], "language": "en"}, nav=None)
    assert switched.location == "/q/pre/overall"


def test_the_language_switch_is_remembered(you, person):
    you.get("/q/pre/consent")
    response = you.post("/q/language", {"language": "fr", "next": "/q/pre/consent"}, nav=None)
    assert response.location == "/q/pre/consent"
    you.get("/q/pre/consent")
    assert '<html lang="fr" dir="ltr">' in you.html and "J&#39;accepte de participer" in you.html
    db.session.expire_all()
    assert person.language == "fr"


def test_switching_language_on_a_question_page_saves_its_answers(you, person):
    you.answer("pre", "consent", PRE["consent"])
    response = you.answer("pre", "trust", {**PRE["trust"], "language": "ur"}, nav=None)
    assert response.location == "/q/pre/trust"
    assert answers_of(person)[("trust_exploit", "")] == 4
    you.get("/q/pre/trust")
    assert 'dir="rtl"' in you.html
    assert response_of(person).language == "ur"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/q/", "/q/\\evil", "/q/\r\nX-Injected: 1", "/q/\x7f"],
)
def test_an_outside_redirect_is_never_followed(you, target):
    you.get("/q/pre/consent")
    response = you.post("/q/language", {"language": "fr", "next": target}, nav=None)
    assert response.status_code == 302 and response.location == "/q/"


# --------------------------------------------------------------------------- preview


def test_organisers_preview_any_group_and_language_without_storing(client, ws, make):
    sign_in(client, make.user(grants={ws: "organiser"}))
    base = f"/workshops/{ws.slug}/preview/pre/pakistan/ur"
    page = client.get(base)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'dir="rtl"' in html
    assert "آپ جو کچھ درج کریں گے وہ محفوظ نہیں ہوگا" in html  # "Nothing you enter is stored"
    trust = client.get(f"{base}/trust").get_data(as_text=True)
    assert "نیٹو" in trust  # {other} for the Pakistan group, in Urdu
    response = client.post(
        f"{base}/trust",
        data={**PRE["trust"], "nav": "next", "csrf_token": hidden(trust, "csrf_token")},
    )
    assert response.location == f"{base}/overall"
    invalid = client.post(
        f"{base}/overall",
        data={"warmth": "500", "nav": "next", "csrf_token": hidden(trust, "csrf_token")},
    )
    assert invalid.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_the_preview_is_for_organisers_only(client, ws, make):
    assert client.get(f"/workshops/{ws.slug}/preview/pre/nato/en").status_code == 302
    sign_in(client, make.user(grants={ws: "researcher"}))
    assert client.get(f"/workshops/{ws.slug}/preview/pre/nato/en").status_code == 403


def test_the_preview_refuses_unknown_waves_groups_languages_and_pages(client, ws, make):
    sign_in(client, make.user(admin=True))
    for path in ("pre/nato/de", "pre/martians/en", "later/nato/en", "pre/nato/en/nowhere"):
        assert client.get(f"/workshops/{ws.slug}/preview/{path}").status_code == 404
