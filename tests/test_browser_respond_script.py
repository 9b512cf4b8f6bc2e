"""The questionnaire's script in real Chromium (docs/background-saves.md): the next page at once
with saves in the background, history and focus as on separate pages, offline and throttled
networks, unsent saves kept on the device, submit that waits, Change that returns to the
review, and no widget storing an answer the participant did not give."""

import json
import random

import pytest

from bench.chromium import WEAK_NETWORK, answer_at_once, throttle
from survey.extensions import db
from survey.models import ResponseStatus
from survey.organise.workshops import close_wave, open_wave
from tests.browser_helpers import (
    CURRENT,
    answer_pre,
    fill,
    next_page,
    response_of,
    scripted,
    settled,
    stored,
)
from tests.respond_helpers import PRE, TRUST, token_of

pytestmark = pytest.mark.browser

SAVE_POSTS = "**/q/pre/*"  # the pages' own URLs: a background save is a POST to one of them


@pytest.fixture
def ws(make):
    return make.workshop(open_waves=("pre",))


def status(page) -> str:
    return page.locator(".save-status").inner_text()


def queued(page) -> dict:
    """What the script keeps on the device: localStorage key -> its value, parsed."""
    return json.loads(
        page.evaluate(
            """() => JSON.stringify(Object.fromEntries(Object.keys(localStorage)
                .map(key => [key, JSON.parse(localStorage.getItem(key))])))"""
        )
    )


def refuse_saves(page) -> list:
    """Make every background save fail as a dropped connection would; returns what was tried."""
    tried = []

    def handle(route):
        if route.request.method == "POST":
            tried.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(SAVE_POSTS, handle)
    return tried


def test_next_shows_the_next_page_at_once_and_saves_in_the_background(live_server, page, ws, make):
    person = make.participant(ws)
    loads = []
    page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)
    page.goto(f"{live_server}/s/{token_of(person)}")
    assert scripted(page)
    page.evaluate("window.stillTheSamePage = true")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile", "trust")})
    assert page.url == f"{live_server}/q/pre/overall"
    assert page.evaluate("window.stillTheSamePage") is True  # no page was loaded
    assert [url.rsplit("/", 2)[-2:] for url in loads] == [
        ["s", token_of(person)],
        ["pre", "consent"],
    ]
    # As on a page of its own: its title, its address, focus at its top.
    assert page.title().startswith("Overall trust")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.locator(f"{CURRENT} h1").inner_text() == "Overall trust"
    settled(page)
    assert status(page) == "Saved"
    assert page.get_attribute(".save-status", "role") == "status"  # announced to screen readers
    answers = stored(person)
    assert answers[("sector", "")] == "media" and answers[("trust_partner", "")] == 4
    assert response_of(person).page_revisions == {"profile": 1, "trust": 1}
    assert response_of(person).current_page == "overall"
    assert queued(page) == {}  # nothing of the answers stays on the device once saved


def test_back_and_forward_go_through_the_steps_as_through_pages(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile", "trust")})
    fill(page, {"trust_direct": "2"})
    page.go_back()  # the browser's Back: the page before, with its answers, and this one saved
    assert page.url.endswith("/q/pre/trust")
    assert page.locator(f"{CURRENT} h1").inner_text() == "How you see Pakistan"
    assert all(page.is_checked(f'{CURRENT} [name="{code}"][value="4"]') for code in TRUST)
    page.go_forward()
    assert page.url.endswith("/q/pre/overall")
    assert page.is_checked(f'{CURRENT} [name="trust_direct"][value="2"]')
    next_page(page, ".step-buttons .back")  # the page's own Back adds to the history, as a post
    assert page.url.endswith("/q/pre/trust")
    page.go_back()
    assert page.url.endswith("/q/pre/overall")
    settled(page)
    assert stored(person)[("trust_direct", "")] == 2


def test_offline_for_three_pages_and_back_loses_nothing(live_server, browser, ws, make):
    person = make.participant(ws)
    token = token_of(person)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/s/{token}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile")})
    settled(page)
    context.set_offline(True)
    answer_pre(page, live_server, {k: PRE[k] for k in ("trust", "overall", "priorities")})
    assert page.url.endswith("/q/pre/obstacles")  # the pages kept coming
    page.wait_for_function(
        "() => document.querySelector('.save-status').textContent.startsWith('Offline')"
    )
    assert "trouble" in page.get_attribute(".save-status", "class")
    kept = queued(page)
    [saves] = kept.values()
    assert sorted(saves) == ["overall", "priorities", "trust"]
    assert ["warmth", "60"] in saves["overall"]["fields"]
    text = json.dumps(kept)
    assert "csrf_token" not in text and "ticket" not in text and token not in text  # no token
    assert ("trust_partner", "") not in stored(person)
    context.set_offline(False)
    settled(page)
    answers = stored(person)
    assert answers[("trust_partner", "")] == 4 and answers[("warmth", "")] == 60
    assert answers[("priorities", "regional_economy")] == 8
    assert queued(page) == {}
    answer_pre(page, live_server, {k: PRE[k] for k in ("obstacles", "outlook")})
    next_page(page, ".submit-form .next")
    assert page.url.endswith("/q/pre/thanks")
    assert response_of(person).status is ResponseStatus.SUBMITTED
    context.close()


def test_two_tabs_of_one_link_keep_each_others_unsent_pages(live_server, browser, ws, make):
    """Each tab keeps its own unsent pages on the device: one tab sending or queueing its pages
    never drops the other's, and whatever is left is sent when the link is opened again."""
    person = make.participant(ws)
    link = f"{live_server}/s/{token_of(person)}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    first = context.new_page()
    first.goto(link)
    answer_pre(first, live_server, {k: PRE[k] for k in ("consent", "profile")})
    settled(first)
    second = context.new_page()
    second.goto(f"{live_server}/q/pre/overall")
    assert scripted(second)
    settled(second)
    context.set_offline(True)
    first.bring_to_front()  # a person answers in the tab they see
    answer_pre(first, live_server, {"trust": {**PRE["trust"], "trust_agenda": "2"}})
    second.bring_to_front()
    answer_pre(second, live_server, {"overall": PRE["overall"]})
    [kept] = queued(second).values()
    assert sorted(kept) == ["overall", "trust"]
    first.close()  # before its page went out
    context.set_offline(False)
    settled(second)
    assert stored(person)[("warmth", "")] == 60
    [kept] = queued(second).values()
    assert sorted(kept) == ["trust"]  # the other tab's page, still on the device
    second.close()
    again = context.new_page()
    again.goto(link)
    settled(again)
    assert stored(person)[("trust_agenda", "")] == 2
    assert queued(again) == {}
    context.close()


def test_the_save_status_never_hides_the_end_of_the_page(live_server, browser, ws, make):
    # Offline, the bar says so in two lines of Nastaliq on a phone: the page's last words must
    # still scroll clear of it.
    person = make.participant(ws, "pakistan", language="ur")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {"consent": PRE["consent"]})
    settled(page)
    context.set_offline(True)
    answer_pre(page, live_server, {"profile": PRE["profile"]})
    page.wait_for_selector(".save-status.trouble")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    bar = page.locator(".save-status").bounding_box()
    last = page.locator(f"{CURRENT} .saved-note").bounding_box()
    assert bar["height"] > 60  # more than one line
    assert last["y"] + last["height"] <= bar["y"]
    context.close()


def test_a_language_switch_takes_the_steps_place_in_the_history(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile")})
    first = TRUST[0]
    fill(page, {first: "4"})
    steps = page.evaluate("history.length")
    with page.expect_navigation():
        page.click("nav.languages button[value=fr]")
    assert page.url.endswith("/q/pre/trust") and page.get_attribute("html", "lang") == "fr"
    assert page.evaluate("history.length") == steps  # in its place, not after it
    settled(page)
    assert stored(person)[(first, "")] == 4  # the page's answers went with it
    page.go_back()
    page.wait_for_url("**/q/pre/profile")


def test_a_language_pressed_before_the_steps_came_switches_and_keeps_the_answers(
    live_server, page, ws, make
):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile")})
    settled(page)
    held = []
    # A slow network: this page's steps have not come yet (those of the next page come).
    page.route("**/steps.json", lambda route: route.continue_() if held else held.append(route))
    page.reload(wait_until="domcontentloaded")
    first = TRUST[0]
    page.check(f'[name="{first}"][value="4"]')  # as a person does, the script still waiting
    page.click("nav.languages button[value=fr]")
    page.wait_for_timeout(300)
    with page.expect_navigation():
        for route in held:
            route.continue_()
    assert page.url.endswith("/q/pre/trust") and page.get_attribute("html", "lang") == "fr"
    settled(page)
    assert stored(person)[(first, "")] == 4


def test_a_language_switch_works_when_the_session_has_gone(live_server, browser, ws, make):
    """A phone may drop the session cookie: the page's ticket stands in for it, for the switch
    as for the saves, as on the page without the script."""
    person = make.participant(ws)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile")})
    settled(page)
    context.clear_cookies()
    first = TRUST[0]
    fill(page, {first: "4"})
    with page.expect_navigation():
        page.click("nav.languages button[value=fr]")
    assert page.url.endswith("/q/pre/trust") and page.get_attribute("html", "lang") == "fr"
    assert page.is_checked(f'{CURRENT} [name="{first}"][value="4"]')
    assert stored(person)[(first, "")] == 4
    context.close()


@pytest.mark.parametrize("step", ["consent", "review"])
def test_a_language_switch_on_consent_or_the_review_works_when_the_session_has_gone(
    live_server, browser, ws, make, step
):
    """As on a page of questions: the step's form carries the language with its ticket, which
    stands in for the session; the switch gives no consent and submits nothing."""
    person = make.participant(ws)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/s/{token_of(person)}")
    if step == "review":
        answer_pre(page, live_server, PRE)
    settled(page)
    context.clear_cookies()
    if step == "consent":
        page.check("#agree")  # ticked, not yet given
    steps = page.evaluate("history.length")
    with page.expect_navigation():
        page.click("nav.languages button[value=ur]")
    assert page.url.endswith(f"/q/pre/{step}") and page.get_attribute("html", "lang") == "ur"
    assert page.evaluate("history.length") == steps  # in its place, not after it
    response = response_of(person)
    assert response.status is ResponseStatus.IN_PROGRESS
    assert (response.consent_at is None) == (step == "consent")
    context.close()


def test_unsent_saves_stay_on_the_device_and_are_sent_when_it_can(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile")})
    settled(page)
    tried = refuse_saves(page)
    answer_pre(page, live_server, {"trust": {**PRE["trust"], "trust_agenda": "2"}})
    page.wait_for_function("() => document.querySelector('.save-status').textContent !== 'Saving…'")
    assert tried and status(page) == "Not saved yet, will retry"
    page.reload()  # the page as the server has it, and what the device still holds on top
    assert scripted(page)
    page.locator(".step-buttons .back").first.evaluate("b => b.closest('form')")  # loaded
    next_page(page, ".step-buttons .back")
    assert page.is_checked(f'{CURRENT} [name="trust_agenda"][value="2"]')
    assert ("trust_agenda", "") not in stored(person)
    page.unroute(SAVE_POSTS)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    settled(page)
    assert stored(person)[("trust_agenda", "")] == 2


def test_a_wave_closed_meanwhile_says_so_and_keeps_the_answers(live_server, page, ws, make):
    person = make.participant(ws)
    link = f"{live_server}/s/{token_of(person)}"
    page.goto(link)
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile")})
    settled(page)
    close_wave(ws.wave("pre"))
    db.session.commit()
    answer_pre(page, live_server, {"trust": {**PRE["trust"], "trust_agenda": "2"}})
    # The save is refused: the page a browser without the script gets, where the participant is.
    page.wait_for_selector("h1:text-is('This questionnaire has closed')")
    assert page.url == f"{live_server}/q/pre/overall"
    assert "has closed: answers can no longer be given" in page.locator("main").inner_text()
    assert ("trust_agenda", "") not in stored(person)
    [kept] = queued(page).values()
    assert ["trust_agenda", "2"] in kept["trust"]["fields"]
    # Opened again (a mistake corrected), the link sends what the device kept.
    open_wave(ws.wave("pre"))
    db.session.commit()
    page.goto(link)
    settled(page)
    assert stored(person)[("trust_agenda", "")] == 2


def test_submit_waits_until_every_page_is_saved(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {"consent": PRE["consent"]})
    settled(page)
    refuse_saves(page)
    answer_pre(page, live_server, {k: PRE[k] for k in PRE if k != "consent"})
    assert page.url.endswith("/q/pre/review")
    assert page.locator(f"{CURRENT} dd").first.inner_text().startswith("Media")  # not saved yet
    page.locator(f"{CURRENT} .submit-form .next").click()
    page.wait_for_function(
        "() => document.querySelector('.save-status').textContent.includes('will')"
    )
    assert page.url.endswith("/q/pre/review")
    assert page.locator(f"{CURRENT} .submit-form .next").is_disabled()  # no second press
    assert response_of(person).status is ResponseStatus.IN_PROGRESS
    page.unroute(SAVE_POSTS)
    with page.expect_navigation(url="**/q/pre/thanks"):
        page.evaluate("window.dispatchEvent(new Event('online'))")
    assert page.locator("h1").inner_text() == "Thank you"
    assert response_of(person).status is ResponseStatus.SUBMITTED
    answers = stored(person)
    assert answers[("hope_text", "")] == "Mutual understanding." and answers[("warmth", "")] == 60


def test_leaving_the_review_calls_off_a_submit_waiting_for_saves(live_server, page, ws, make):
    """Submit waits for the saves; Change meanwhile calls it off, so that what is changed is
    saved first and the participant submits again, instead of being submitted mid-change."""
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {"consent": PRE["consent"]})
    settled(page)
    refuse_saves(page)
    answer_pre(page, live_server, {k: PRE[k] for k in PRE if k != "consent"})
    page.locator(f"{CURRENT} .submit-form .next").click()
    page.locator(f"{CURRENT} a.change[href*='#q-trust_direct']").click()
    assert page.url.endswith("/q/pre/overall?return=review")
    fill(page, {"trust_direct": "5"})
    page.unroute(SAVE_POSTS)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    settled(page)
    assert page.url.endswith("/q/pre/overall?return=review")  # still there, not thanked
    assert response_of(person).status is ResponseStatus.IN_PROGRESS
    next_page(page)  # back to the review, with the change
    assert page.url.endswith("/q/pre/review")
    next_page(page, ".submit-form .next")
    page.wait_for_url("**/q/pre/thanks")
    assert stored(person)[("trust_direct", "")] == 5


def test_change_on_the_review_returns_to_the_review(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, PRE)
    assert page.url.endswith("/q/pre/review")
    page.locator(f"{CURRENT} a.change[href*='#q-trust_direct']").click()
    assert page.url.endswith("/q/pre/overall?return=review")
    assert page.evaluate("document.activeElement.name") == "trust_direct"
    button = page.locator(f"{CURRENT} .step-buttons .next")
    assert button.inner_text() == "Return to the review"
    fill(page, {"trust_direct": "5"})
    next_page(page)
    assert page.url.endswith("/q/pre/review")
    assert "Completely" in page.locator(f"{CURRENT} .review-section").nth(2).inner_text()
    page.go_back()
    next_page(page, ".step-buttons .next")  # through the history too
    assert page.url.endswith("/q/pre/review")
    settled(page)
    assert stored(person)[("trust_direct", "")] == 5
    # In another language the page is still on its way back to the review.
    page.locator(f"{CURRENT} a.change[href*='#q-trust_direct']").click()
    with page.expect_navigation():
        page.click("nav.languages button[value=fr]")
    assert page.url.endswith("/q/pre/overall?return=review")
    assert button.inner_text() == "Revenir à la vérification"
    fill(page, {"trust_direct": "4"})
    next_page(page)
    assert page.url.endswith("/q/pre/review")
    settled(page)
    assert stored(person)[("trust_direct", "")] == 4


def test_an_answer_the_server_refuses_is_shown_at_its_page(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile", "trust", "overall")})
    answer_pre(page, live_server, {k: PRE[k] for k in ("priorities", "obstacles")})
    # Past what the field lets anyone type (maxlength), as a tampered page could send.
    page.locator(f'{CURRENT} [name="hope_text"]').evaluate("t => { t.value = 'x'.repeat(2001); }")
    next_page(page)
    link = page.locator(".save-status a")
    link.wait_for()
    assert status(page).startswith("Please check your answers on:")
    assert link.inner_text() == "Outlook"
    link.click()
    assert page.url.endswith("/q/pre/outlook")
    assert "Shorten your answer" in page.locator(f"{CURRENT} .error-summary").inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"  # what to put right
    fill(page, {"hope_text": "Shorter."})
    next_page(page)
    settled(page)
    assert stored(person)[("hope_text", "")] == "Shorter."
    assert status(page) == "Saved"


def test_a_number_out_of_range_is_described_while_it_is_wrong(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile", "trust")})
    box = page.locator('section.step[data-step="overall"] [name="warmth"]')
    described = box.get_attribute("aria-describedby")  # its hint, if it has one
    box.fill("500")
    page.locator(f"{CURRENT} .step-buttons .next").click()  # stays: the page says what is wrong
    message = page.locator(f"{CURRENT} .error-message.client")
    assert message.inner_text() == "Enter a whole number from 0 to 100."
    assert box.get_attribute("aria-invalid") == "true"
    ids = box.get_attribute("aria-describedby").split()
    assert ids == [*(described or "").split(), message.get_attribute("id")]
    box.fill("50")
    next_page(page)
    assert page.url.endswith("/q/pre/priorities")
    # Put right, the field no longer points at a message that is gone.
    assert box.get_attribute("aria-describedby") == described
    assert box.get_attribute("aria-invalid") is None


def test_no_widget_stores_an_answer_the_participant_did_not_give(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile", "trust")})
    # The thermometer: a slider with both ends labelled and no position until touched.
    slider = page.locator(f"{CURRENT} input[type=range]")
    assert "unset" in slider.get_attribute("class")
    assert slider.get_attribute("aria-valuetext") == "Not answered"
    assert page.locator(f"{CURRENT} .thermometer-scale .end").all_inner_texts() == ["0", "100"]
    unset = slider.screenshot()
    slider.evaluate("s => s.classList.remove('unset')")  # the same value, with its thumb
    assert slider.screenshot() != unset
    slider.evaluate("s => s.classList.add('unset')")
    # Unset, nothing on the track shows a position: no thumb, and no part filled up to it.
    value = slider.input_value()
    slider.evaluate("s => { s.value = 10; }")
    low = slider.screenshot()
    slider.evaluate("s => { s.value = 90; }")
    assert slider.screenshot() == low
    slider.evaluate(f"s => {{ s.value = {value}; }}")
    next_page(page)
    # The ranking: listed in the order drawn for the participant, and nothing ranked.
    selects = page.locator(f"{CURRENT} .ranking-item select")
    assert {selects.nth(i).input_value() for i in range(8)} == {""}
    shown = page.eval_on_selector_all(
        f"{CURRENT} .ranking-item", "items => items.map(i => i.dataset.item)"
    )
    next_page(page)
    settled(page)
    answers = stored(person)
    assert ("warmth", "") not in answers and not [k for k in answers if k[0] == "priorities"]
    # Kept as shown, the order counts; touched, the slider counts.
    next_page(page, ".step-buttons .back")
    page.locator(f"{CURRENT} .keep-order").click()
    assert (
        page.locator(f"{CURRENT} [data-ranking-status]").inner_text()
        == "Ranked in the order shown."
    )
    next_page(page, ".step-buttons .back")
    slider = page.locator(f"{CURRENT} input[type=range]")
    slider.click()  # a tap on the middle of the track, where no thumb was
    assert page.locator(f'{CURRENT} [name="warmth"]').input_value() == "50"
    assert "unset" not in slider.get_attribute("class")
    next_page(page)
    next_page(page)
    settled(page)
    answers = stored(person)
    assert answers[("warmth", "")] == 50
    assert [answers[("priorities", item)] for item in shown] == list(range(1, 9))


def test_throttled_the_link_to_the_thank_you_page_takes_less_with_the_script(
    live_server, browser, ws, make
):
    timings = {}
    for script in (False, True):  # before (pages posted one by one, as without it) and after
        person = make.participant(ws)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, java_script_enabled=script
        )
        page = context.new_page()
        throttle(page, WEAK_NETWORK)
        timings[script] = answer_at_once(page, live_server, token_of(person), random.Random(1))
        assert response_of(person).status is ResponseStatus.SUBMITTED
        assert len(stored(person)) >= 25  # every page's answers, however fast they came
        context.close()
    assert timings[True] < timings[False], timings
