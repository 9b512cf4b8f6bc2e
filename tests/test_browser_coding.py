"""Coding in real Chromium: one answer at a time by keyboard, a list by keyboard, the plain
form without JavaScript, right-to-left answers in a left-to-right page, phone width, axe."""

import pytest

from survey.coding.codings import coded_answers
from survey.extensions import db
from tests.browser_helpers import no_horizontal_scroll, serious_violations, sign_in
from tests.coding_helpers import URDU, coding_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app, make):
    world = coding_world(texts_per_cell=3)
    world.coder = make.user("coder@example.org", grants={world.workshop: "organiser"})
    db.session.commit()  # hold no transaction open while the server writes
    return world


def coded(world, text):
    db.session.commit()  # a fresh snapshot: the server has written since
    found = coded_answers(world.workshop.id).get(world.answers[text].id)
    return None if found is None else found.by_coder.get(world.coder.id)


def test_one_answer_at_a_time_by_keyboard(world, live_server, page):
    from playwright.sync_api import expect

    page.set_default_timeout(15_000)
    sign_in(page, live_server, world.coder)
    page.goto(f"{live_server}/workshops/{world.workshop.slug}/coding")
    page.get_by_role("link", name="one at a time").first.click()
    expect(page.locator(".answer-text")).to_be_visible()
    first = page.locator(".answer-text").inner_text()
    assert no_horizontal_scroll(page)
    page.keyboard.press("2")  # the second theme of the codebook: border
    page.keyboard.press("3")
    expect(page.locator(".theme-box input").nth(1)).to_be_checked()
    page.keyboard.press("0")  # "no theme" clears the themes
    expect(page.locator(".theme-box input").nth(1)).not_to_be_checked()
    page.keyboard.press("2")
    expect(page.locator(".no-theme input")).not_to_be_checked()
    page.keyboard.press("s")
    page.wait_for_load_state()
    expect(page.locator(".answer-text")).not_to_have_text(first)
    assert coded(world, first) == frozenset({"border"})
    second = page.locator(".answer-text").inner_text()
    page.keyboard.press("0")
    page.keyboard.press("s")
    page.wait_for_load_state()
    expect(page.locator(".answer-text")).not_to_have_text(second)
    assert coded(world, second) == frozenset()
    # The filter was "not coded by me": the answers coded are now under "coded by me".
    page.goto(f"{live_server}/workshops/{world.workshop.slug}/coding/hope_text?show=mine")
    mine = page.locator(".coded-answer", has_text=second)
    expect(mine.locator(".no-theme input")).to_be_checked()
    expect(page.locator(".coded-answer")).to_have_count(2)
    assert not page.console_errors


def test_a_list_by_keyboard_with_an_urdu_answer(world, live_server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(15_000)
    sign_in(page, live_server, world.coder)
    page.goto(f"{live_server}/workshops/{world.workshop.slug}/coding/hope_text?group=pakistan")
    urdu = page.locator(".answer-text", has_text=URDU)
    direction = urdu.evaluate("e => getComputedStyle(e).direction")
    assert direction == "rtl" and page.evaluate("document.documentElement.dir") == "ltr"
    page.keyboard.press("j")
    page.keyboard.press("1")
    page.keyboard.press("j")
    page.keyboard.press("3")
    page.keyboard.press("s")
    page.wait_for_load_state()
    expect(page.locator(".flash")).to_contain_text("2 answers changed")
    texts = page.locator(".answer-text").all_inner_texts()
    assert coded(world, texts[0]) == frozenset({"security"})
    assert coded(world, texts[1]) == frozenset({"dialogue"})
    assert coded(world, texts[2]) is None
    assert not errors
    context.close()


def test_the_form_works_without_javascript(world, live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, world.coder)
    page.goto(f"{live_server}/workshops/{world.workshop.slug}/coding/takeaway_text?group=nato")
    text = page.locator(".answer-text").first.inner_text()
    page.locator(".coded-answer").first.get_by_label("Political dialogue").check()
    page.get_by_role("button", name="Save this page").click()
    page.wait_for_load_state()
    assert coded(world, text) == frozenset({"dialogue"})
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_coding_pages_pass_axe(world, live_server, browser, axe_source, width):
    from survey.coding.settling import settle  # noqa: F401  (pages below list settled ones)

    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, world.coder)
    slug = world.workshop.slug
    found = {}
    for path in (
        "",
        "/hope_text",
        "/hope_text/next",
        "/themes",
        "/samples",
        "/agreement",
        "/hope_text/disagreements",
    ):
        page.goto(f"{live_server}/workshops/{slug}/coding{path}")
        found[path] = serious_violations(page, axe_source)
        assert no_horizontal_scroll(page), path
    assert not any(found.values()), found
    context.close()
