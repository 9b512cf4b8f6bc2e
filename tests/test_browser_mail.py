"""E-mail in real Chromium: an organiser gives the contact, sends a wave's invitations from the
console and reads the send log; a participant opens the link from the message they received,
and stops the e-mails from the opt-out page (in Urdu, at phone width, with an axe-core scan)."""

import re

import pytest

from survey.extensions import db
from survey.tokens import optout_token
from tests.browser_helpers import CURRENT, no_horizontal_scroll, serious_violations, sign_in

pytestmark = pytest.mark.browser


def test_an_organiser_sends_the_invitations_and_a_participant_opens_theirs(
    app, make, live_server, page, smtp_server
):
    from playwright.sync_api import expect

    app.config["PUBLIC_URL"] = live_server
    ws = make.workshop("isb", title="Islamabad dialogue")
    make.participant(ws, name="Anna Schmidt", email="anna@example.org")
    make.participant(ws, "pakistan", language="ur", name="عائشہ خان", email="aisha@example.pk")
    make.participant(ws, "pakistan", name="No Address")
    email = make.user("organiser@example.org", grants={ws: "organiser"}).email
    db.session.commit()
    page.set_default_timeout(15_000)

    sign_in(page, live_server, email)
    page.goto(f"{live_server}/workshops/isb")
    page.get_by_role("link", name="Give the contact for participants").click()
    page.fill("#contact_name", "Workshop secretariat")
    page.fill("#contact_email", "desk@example.org")
    page.get_by_role("button", name="Save the contact").click()
    expect(page.locator(".flash")).to_contain_text("contact for participants is saved")

    page.get_by_role("link", name="E-mail", exact=True).click()
    expect(page.locator("h1")).to_have_text("E-mail to participants")
    page.get_by_role("link", name="pre", exact=True).click()
    page.get_by_role("link", name="Send the invitation…").click()
    expect(page.locator(".summary")).to_contain_text("2 messages will go")
    page.get_by_role("button", name="Send 2 messages").click()
    expect(page.locator(".flash")).to_contain_text("Invitation: 2 sent.")
    expect(page.locator(".send-log .message-sent")).to_have_count(2)
    assert page.console_errors == []

    (message,) = smtp_server.to("aisha@example.pk")
    text = message.get_body(("plain",)).get_content()
    assert "desk@example.org" in text
    link = re.search(rf"{re.escape(live_server)}/s/\S+", text).group(0)
    participant = page.context.browser.new_context(viewport={"width": 360, "height": 740})
    phone = participant.new_page()
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator(f"{CURRENT} h1")).to_be_visible()  # the step shown, of them all
    assert "/q/pre/" in phone.url
    participant.close()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_optout_page_asks_then_stops(app, make, live_server, browser, axe_source, language):
    from playwright.sync_api import expect

    ws = make.workshop("isb")
    ws.contact_email = "desk@example.org"
    person = make.participant(ws, language=language, email="p@example.org")
    token = optout_token(person)
    db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/optout/{token}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")
    assert no_horizontal_scroll(page)
    assert serious_violations(page, axe_source) == []
    page.locator("form button[type=submit].button").click()
    expect(page.locator("h1")).to_have_text(
        "مزید کوئی ای میل نہیں" if language == "ur" else "No more e-mails"
    )
    expect(page.locator(".contact")).to_contain_text("desk@example.org")
    assert serious_violations(page, axe_source) == []
    db.session.refresh(person)
    assert person.mail_opt_out_at is not None
    context.close()
