"""A staff page in real Chromium keeps its session while someone works on it (js/staff.js),
so that what they type is not lost to the idle time-out, and says at once when the session
has ended anyway."""

import time
from datetime import timedelta

import pytest

from survey.extensions import db
from tests.browser_helpers import sign_in

pytestmark = pytest.mark.browser


def test_typing_keeps_the_session_and_a_session_that_ended_is_said(app, make, live_server, page):
    from playwright.sync_api import expect

    app.config["STAFF_IDLE_TIMEOUT"] = timedelta(seconds=3)  # the page says so every second
    email = make.user("organiser@example.org").email
    db.session.commit()  # hold no transaction open while the server writes
    alive = []
    page.on("request", lambda r: alive.append(r.url) if r.url.endswith("/auth/alive") else None)
    sign_in(page, live_server, email)
    page.goto(f"{live_server}/workshops/new")

    # Typing for twice the idle time, with no request of the page's own.
    field = page.locator("#title")
    started = time.monotonic()
    while time.monotonic() - started < 6:
        field.press("a")
        page.wait_for_timeout(300)
    assert len(alive) >= 3
    page.fill("#title", "Islamabad dialogue")
    page.fill("#slug", "isb")
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.locator("h1")).to_have_text("Islamabad dialogue")  # still signed in

    page.goto(f"{live_server}/workshops/new")
    page.wait_for_timeout(3500)  # left alone: the session ends
    page.locator("#title").press("a")
    expect(page.get_by_role("alert")).to_contain_text("You have been signed out")
    assert page.console_errors == []
