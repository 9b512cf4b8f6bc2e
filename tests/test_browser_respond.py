"""The participant's path in real Chromium at phone size: a full pre questionnaire in English
and in Urdu, leaving and resuming on another device, a double-clicked submit, no JavaScript,
right-to-left order, keyboard and touch ranking, and an axe-core scan of every page."""

import pytest

from survey.extensions import db
from survey.models import ResponseStatus
from survey.tokens import join_code
from tests.browser_helpers import (
    CURRENT,
    answer_pre,
    fill,
    next_page,
    no_horizontal_scroll,
    response_of,
    serious_violations,
    settled,
    stored,
)
from tests.dashboard_helpers import populate
from tests.respond_helpers import POST, PRE, TRUST, Respondent, token_of

pytestmark = pytest.mark.browser

PAGES = ("consent", "profile", "trust", "overall", "priorities", "obstacles", "outlook")


@pytest.fixture
def ws(make):
    return make.workshop(open_waves=("pre",))


def test_a_full_pre_questionnaire_in_english_at_360_px(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    assert page.url == f"{live_server}/q/pre/consent"  # the token is gone from the address
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.locator(f"{CURRENT} progress").get_attribute("value") == "1"
    data = dict(PRE)
    ranking = data.pop("priorities")
    answer_pre(page, live_server, dict(list(data.items())[:4]))
    # Ranking with the select boxes (JavaScript keeps them unique and reorders the list).
    assert page.url.endswith("/q/pre/priorities")
    fill(page, ranking)
    first = page.locator(".ranking-item").first.locator("label").inner_text()
    assert first.startswith("Counter-terrorism")
    next_page(page)
    answer_pre(page, live_server, {k: data[k] for k in ("obstacles", "outlook")})
    assert page.url.endswith("/q/pre/review")
    assert page.locator("text=Mutual understanding.").count() == 1
    next_page(page, ".submit-form .next")
    assert page.url.endswith("/q/pre/thanks")
    assert page.locator("h1").inner_text() == "Thank you"
    answers = stored(person)
    assert answers[("warmth", "")] == 60 and answers[("priorities", "regional_economy")] == 8
    assert response_of(person).status is ResponseStatus.SUBMITTED
    assert page.console_errors == []


def test_a_full_pre_questionnaire_in_urdu(live_server, page, ws, make):
    person = make.participant(ws, "pakistan")
    page.goto(f"{live_server}/s/{token_of(person)}")
    with page.expect_navigation():
        page.click("nav.languages button[value=ur]")  # chosen on the first page
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ur"
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Noto Nastaliq Urdu" in font
    loaded = page.evaluate(
        """document.fonts.ready.then(
            () => document.fonts.check('16px "Noto Nastaliq Urdu"', 'اردو'))"""
    )
    assert loaded  # served by the app itself
    # The workshop's title, in Latin letters, keeps a Latin font and lines of its own size.
    title = page.evaluate(
        """(({fontFamily, lineHeight, fontSize}) => [fontFamily, parseFloat(lineHeight) /
            parseFloat(fontSize)])(getComputedStyle(document.querySelector('.survey-title')))"""
    )
    assert "Nastaliq" not in title[0] and title[1] < 1.6
    pages = dict(PRE)
    pages["overall"] = {"trust_direct": "3", "warmth": "۶۵", "meta_trust": "-9"}  # Urdu digits
    answer_pre(page, live_server, pages)
    assert page.url.endswith("/q/pre/review") and page.get_attribute("html", "dir") == "rtl"
    # An answer typed in English reads left to right on the Urdu pages, its full stop last.
    assert page.get_attribute('[name="hope_text"]', "dir") == "auto"
    directions = page.evaluate(
        """text => [...document.querySelectorAll('.review-section .answer')]
            .filter(e => e.textContent === text).map(e => getComputedStyle(e).direction)""",
        PRE["outlook"]["hope_text"],
    )
    assert directions == ["ltr"]
    next_page(page, ".submit-form .next")
    assert page.locator("h1").inner_text() == "شکریہ"
    answers = stored(person)
    assert answers[("warmth", "")] == 65 and answers[("meta_trust", "")] == -9
    assert response_of(person).language == "ur"
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["fr", "ur"])
def test_the_post_questionnaire_after_the_pre_one(live_server, page, client, make, language):
    ws = make.workshop(open_waves=("pre", "post"))
    person = make.participant(ws, language=language)
    token = token_of(person)
    before = Respondent(client)  # the pre questionnaire, answered earlier
    before.open(token)
    assert before.complete("pre", PRE).location == "/q/pre/thanks"
    db.session.commit()
    page.goto(f"{live_server}/s/{token}")
    assert page.url == f"{live_server}/q/post/trust"  # consent and profile are not asked again
    assert page.get_attribute("html", "lang") == language
    for code, data in POST.items():
        assert page.url.endswith(f"/q/post/{code}"), page.url
        assert no_horizontal_scroll(page), code
        fill(page, data)
        next_page(page)
    next_page(page, ".submit-form .next")
    assert page.url.endswith("/q/post/thanks")
    answers = stored(person, "post")
    assert answers[("eval_overall", "")] == 5 and answers[("priorities", "regional_economy")] == 1
    assert ("view_change_text", "") not in answers  # left empty
    assert page.console_errors == []


def test_leave_midway_and_resume_in_a_new_browser(live_server, browser, ws, make):
    person = make.participant(ws)
    link = f"{live_server}/s/{token_of(person)}"
    laptop = browser.new_context(viewport={"width": 360, "height": 740})
    tab = laptop.new_page()
    tab.goto(link)
    answer_pre(tab, live_server, {k: PRE[k] for k in ("consent", "profile", "trust")})
    settled(tab)  # the page says "Saved"
    fill(tab, {"trust_direct": "5"})  # typed, then the browser is closed without Next
    laptop.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740})
    tab = phone.new_page()
    tab.goto(link)
    assert tab.url == f"{live_server}/q/pre/overall"  # where they stopped
    next_page(tab, ".step-buttons .back")
    assert tab.url.endswith("/q/pre/trust")
    assert all(tab.is_checked(f'[name="{code}"][value="4"]') for code in TRUST)
    phone.close()


def test_a_double_clicked_submit_submits_once(live_server, page, ws, make):
    person = make.participant(ws)
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {"consent": PRE["consent"], "profile": PRE["profile"]})
    page.goto(f"{live_server}/q/pre/review")
    with page.expect_navigation(url="**/q/pre/thanks"):
        page.dblclick(".submit-form .next")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Thank you"
    submitted_at = response_of(person).submitted_at
    page.goto(f"{live_server}/q/pre/review")  # a submitted response cannot be reopened
    assert page.url.endswith("/q/pre/thanks")
    assert response_of(person).submitted_at == submitted_at


def test_everything_works_without_javascript(live_server, browser, ws, make):
    person = make.participant(ws)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile", "trust")})
    # Enter in the number box submits the page forward (the form's default button is Next).
    fill(page, {"trust_direct": "2"})
    page.fill('[name="warmth"]', "٤٠")
    with page.expect_navigation():
        page.press('[name="warmth"]', "Enter")
    assert page.url.endswith("/q/pre/priorities")
    assert page.locator("input[type=range]").count() == 0  # no slider without the script
    # A ranking with a duplicate is refused at the field, then fixed.
    fill(page, {**PRE["priorities"], "priorities-regional_economy": "1"})
    next_page(page)
    assert page.url.endswith("/q/pre/priorities")
    assert "different rank" in page.locator(".error-summary").inner_text()
    fill(page, PRE["priorities"])
    next_page(page)
    answer_pre(page, live_server, {k: PRE[k] for k in ("obstacles", "outlook")})
    next_page(page, ".submit-form .next")
    assert page.url.endswith("/q/pre/thanks")
    answers = stored(person)
    assert answers[("warmth", "")] == 40 and answers[("priorities", "counter_terrorism")] == 1
    context.close()


def _to_priorities(page, live_server, person):
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile", "trust")})
    next_page(page)
    assert page.url.endswith("/q/pre/priorities")


def ranks(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        ".ranking-item select", "els => els.map(e => [e.name.split('-')[1], e.value])"
    )


def test_ranking_by_keyboard(live_server, page, ws, make):
    person = make.participant(ws)
    _to_priorities(page, live_server, person)
    shown = [item for item, _ in ranks(page)]  # the order drawn for this participant
    page.focus(".ranking-item:nth-child(1) .move-down")
    page.keyboard.press("Enter")  # the first item goes down one place
    page.keyboard.press("Space")  # and once more: focus stays on its button
    order = [item for item, _ in ranks(page)]
    assert order[:3] == [shown[1], shown[2], shown[0]]
    assert [rank for _, rank in ranks(page)] == [str(i) for i in range(1, 9)]
    assert "3" in page.locator("[data-ranking-status]").inner_text()
    next_page(page)
    settled(page)
    assert stored(person)[("priorities", shown[0])] == 3


def test_ranking_by_touch(live_server, browser, ws, make):
    person = make.participant(ws)
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    _to_priorities(page, live_server, person)
    shown = [item for item, _ in ranks(page)]  # the order drawn for this participant
    last = page.locator(".ranking-item").last
    last.locator(".move-up").tap()
    assert [item for item, _ in ranks(page)][-2] == shown[-1]
    next_page(page)
    settled(page)
    assert stored(person)[("priorities", shown[-1])] == 7
    context.close()


def _box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize(("width", "language"), [(1024, "ur"), (1024, "en"), (360, "ur")])
def test_scales_keep_their_reading_order(live_server, browser, ws, make, width, language):
    person = make.participant(ws, language=language)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/s/{token_of(person)}")
    answer_pre(page, live_server, {k: PRE[k] for k in ("consent", "profile")})
    first = _box(page, '[name="trust_commitments"][value="1"]')
    last = _box(page, '[name="trust_commitments"][value="5"]')
    nr = _box(page, '[name="trust_commitments"][value="-9"]')
    next_button = _box(page, f"{CURRENT} .step-buttons .next")
    back_button = _box(page, f"{CURRENT} .step-buttons .back")
    if width < 600:
        assert first["y"] < last["y"] < nr["y"]  # stacked: code 1 on top in every language
    elif language == "ur":
        assert first["x"] > last["x"] > nr["x"]  # code 1 at the right, where reading starts
        assert back_button["x"] > next_button["x"]  # Back at the start (right), Next at the end
    else:
        assert first["x"] < last["x"] < nr["x"]
        assert back_button["x"] < next_button["x"]
    direction = page.evaluate(
        f"getComputedStyle(document.querySelector('{CURRENT} progress')).direction"
    )
    assert direction == ("rtl" if language == "ur" else "ltr")  # the bar fills from the start
    context.close()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_participant_page_passes_axe(live_server, browser, ws, make, axe_source, language):
    person = make.participant(ws, language=language)
    join = join_code(ws.group("nato"))
    db.session.commit()
    # bypass_csp lets the test inject axe-core; the pages themselves allow no inline script.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    found = {}

    def scan(name: str) -> None:
        found[name] = serious_violations(page, axe_source)
        assert no_horizontal_scroll(page), name

    page.goto(f"{live_server}/s/{token_of(person)}")
    for code, data in PRE.items():
        scan(code)
        fill(page, data)
        if code == "priorities":  # the enhanced ranking too
            scan("priorities (ordered)")
        next_page(page)
    scan("review")
    # The same pages with errors at their fields: shown by the script before the page is left,
    # and by the server for a form posted as without the script (form.submit() skips it).
    page.goto(f"{live_server}/q/pre/overall")
    fill(page, {"warmth": "500"})
    page.locator(f"{CURRENT} .step-buttons .next").click()
    page.wait_for_selector(f"{CURRENT} .error-message")
    scan("errors (script)")
    with page.expect_navigation():
        page.evaluate("document.querySelector('form#answers').submit()")
    assert page.locator(".error-summary").count() == 1
    scan("errors")
    page.goto(f"{live_server}/privacy")
    scan("privacy")
    page.goto(f"{live_server}/q/link")
    scan("personal link")
    page.goto(f"{live_server}/q/pre/review")
    next_page(page, ".submit-form .next")
    scan("thanks")
    page.goto(f"{live_server}/q/")
    scan("nothing left to answer")
    # The findings the organisers share, once others have answered too.
    populate(ws, 6, seed=3, post_share=0.0)
    ws.findings_shared_at = make.now()
    db.session.commit()
    page.goto(f"{live_server}/q/")
    with page.expect_navigation():
        page.click("a.findings-link")
    page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
    assert page.locator(".findings li").count() > 3
    scan("findings")
    page.goto(f"{live_server}/join/{join}")
    if language != "en":
        with page.expect_navigation():
            page.click(f"nav.languages button[value={language}]")
        assert page.get_attribute("html", "lang") == language
    scan("join")
    page.goto(f"{live_server}/s/not-a-token")
    scan("invalid link")
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
