"""A staff page in real Chromium keeps its session while someone works on it (js/staff.js),
so that what they type is not lost to the idle time-out, and says at once when the session
has ended anyway; a staff member changes their own password, and their other sessions end;
two-step sign-in set up on a phone, then asked for; a forgotten password replaced through the
link sent by e-mail; a token for scripts made."""

import time
from datetime import timedelta

import pytest

from survey.extensions import db
from tests.browser_helpers import no_horizontal_scroll, serious_violations, sign_in

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


def test_a_new_password_ends_the_other_sessions_and_opens_the_next_sign_in(
    app, make, live_server, browser, axe_source
):
    from playwright.sync_api import expect

    email = make.user("organiser@example.org").email
    db.session.commit()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    here, there = phone.new_page(), laptop.new_page()
    sign_in(here, live_server, email)
    sign_in(there, live_server, email)

    here.get_by_role("link", name="Your password").click()
    expect(here.locator("h1")).to_have_text("Your password")
    assert serious_violations(here, axe_source) == []
    assert no_horizontal_scroll(here)
    here.fill("#current", make.PASSWORD)
    here.fill("#password", "a much longer passphrase")
    here.fill("#again", "a much longer passphrase")
    here.get_by_role("button", name="Change the password").click()
    expect(here.get_by_role("status")).to_contain_text("Your password is changed")

    there.get_by_role("link", name="Workshops").click()
    expect(there.locator("h1")).to_have_text("Sign in")  # that session has ended
    here.get_by_role("link", name="Workshops").click()
    expect(here.locator("h1")).not_to_have_text("Sign in")  # this one goes on

    here.get_by_role("button", name="Sign out").click()
    sign_in(here, live_server, email, "a much longer passphrase")
    expect(here.get_by_role("link", name="Your password")).to_be_visible()
    phone.close()
    laptop.close()


def test_two_step_sign_in_set_up_on_a_phone_then_asked_for(
    app, make, live_server, browser, axe_source
):
    import pyotp
    from playwright.sync_api import expect

    email = make.user("organiser@example.org").email
    db.session.commit()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    here = phone.new_page()
    sign_in(here, live_server, email)
    here.get_by_role("link", name="Your password").click()
    here.get_by_role("link", name="Set it up").click()
    expect(here.locator("h1")).to_have_text("Two-step sign-in")
    expect(here.locator(".setup-qr svg")).to_be_visible()
    assert serious_violations(here, axe_source) == []
    assert no_horizontal_scroll(here)
    secret = here.locator(".setup-key").inner_text().replace(" ", "")
    here.fill("#current", make.PASSWORD)
    here.fill("#code", pyotp.TOTP(secret).now())
    here.get_by_role("button", name="Turn two-step sign-in on").click()
    expect(here.locator("h1")).to_have_text("Two-step sign-in is on")
    codes = here.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert no_horizontal_scroll(here)

    here.get_by_role("button", name="Sign out").click()
    sign_in(here, live_server, email)
    expect(here.locator("h1")).to_have_text("Sign in: your code")
    assert serious_violations(here, axe_source) == []
    here.fill("#code", codes[0])
    here.get_by_role("button", name="Sign in").click()
    expect(here.get_by_role("status")).to_contain_text("You signed in with a recovery code")
    expect(here.get_by_role("link", name="Your password")).to_be_visible()
    phone.close()


def test_a_forgotten_password_replaced_through_the_link_on_a_phone(
    app, make, live_server, browser, axe_source, smtp_server
):
    import re

    from playwright.sync_api import expect

    email = make.user("organiser@example.org").email
    db.session.commit()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    here = phone.new_page()
    here.goto(f"{live_server}/auth/login")
    here.get_by_role("link", name="Get a link to choose a new one").click()
    assert serious_violations(here, axe_source) == []
    here.fill("#email", email)
    here.get_by_role("button", name="Send me a link").click()
    expect(here.locator("h1")).to_have_text("Look in your mailbox")
    deadline = time.monotonic() + 10
    while not smtp_server.to(email) and time.monotonic() < deadline:
        here.wait_for_timeout(100)  # the message goes once the answer has
    (message,) = smtp_server.to(email)
    path = re.search(r"/auth/reset/\S+", message.get_body(("plain",)).get_content()).group(0)
    here.goto(f"{live_server}{path}")
    expect(here.locator("h1")).to_have_text("Choose a new password")
    assert "/auth/reset/" not in here.url  # the token has left the address bar
    assert serious_violations(here, axe_source) == []
    assert no_horizontal_scroll(here)
    here.fill("#password", "a much longer passphrase")
    here.fill("#again", "a much longer passphrase")
    here.get_by_role("button", name="Change the password").click()
    expect(here.get_by_role("status")).to_contain_text("Your password is changed")
    sign_in(here, live_server, email, "a much longer passphrase")
    expect(here.get_by_role("link", name="Your password")).to_be_visible()
    phone.close()


def test_a_token_for_scripts_made_on_a_phone(
    app, make, live_server, browser, axe_source, monkeypatch
):
    from playwright.sync_api import expect

    from survey.auth import api_tokens

    # A token without a hyphen, where a line could break anyway: the longest to wrap.
    monkeypatch.setattr(api_tokens.secrets, "token_urlsafe", lambda n: "Q" * 43)
    email = make.user("researcher@example.org").email
    db.session.commit()
    phone = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    here = phone.new_page()
    sign_in(here, live_server, email)
    here.get_by_role("link", name="Your password").click()
    here.get_by_role("link", name="Your tokens").click()
    here.fill("#name", "R script for the report")
    here.get_by_role("button", name="Make a token").click()
    expect(here.locator("code.token")).to_contain_text("ds_")
    assert no_horizontal_scroll(here)  # the long token wraps
    assert serious_violations(here, axe_source) == []
    expect(here.locator(".tokens")).to_contain_text("R script for the report")
    phone.close()
