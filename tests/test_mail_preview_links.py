"""The message preview in the console fits a phone: the personal and opt-out links wrap by the
app's stylesheet (the page's Content-Security-Policy refuses inline styles), while the message
sent keeps its inline style for mail programs."""

import re

import pytest

from survey.mail import content
from survey.mail.content import MessageValues, render_message
from survey.models import MessageKind
from tests.browser_helpers import no_horizontal_scroll
from tests.browser_helpers import sign_in as browser_sign_in
from tests.conftest import sign_in


@pytest.fixture
def ws(make):
    ws = make.workshop("islamabad", title="Islamabad dialogue")
    make.participant(ws, "pakistan", language="ur", name="Bilal", email="bilal@example.pk")
    make.participant(ws, language="fr", name="Chloé", email="chloe@example.fr")
    return ws


def links(html: str) -> list[str]:
    return re.findall(r"<a href=\"[^\"]+\" dir=\"ltr\"[^>]*>", html)


def test_the_preview_links_carry_the_class_the_stylesheet_wraps(app, make, client, ws):
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/mail/messages/invitation/ur").get_data(as_text=True)
    anchors = links(html.split('<div class="message-preview">')[1])
    assert len(anchors) >= 2  # the personal link and the opt-out link
    assert all('class="mail-link"' in anchor for anchor in anchors)
    assert not any("style=" in anchor for anchor in anchors)  # the page's policy refuses them
    css = client.get(re.search(r'href="(/assets/css/organise\.[^"]+)"', html).group(1)).text
    rule = re.search(r"\.message-preview \.mail-link \{([^}]*)\}", css).group(1)
    assert "overflow-wrap: anywhere" in rule and "word-break: break-all" in rule


def test_the_message_itself_keeps_its_inline_style(app):
    words = content.shipped()["languages"]["ur"][MessageKind.INVITATION.value]
    template = content.Template(
        MessageKind.INVITATION, "ur", words["subject"], words["body"], False, None
    )
    values = MessageValues(
        language="ur",
        name="Bilal",
        workshop="Islamabad dialogue",
        wave="Before the workshop",
        link="http://survey.test/s/" + "T" * 32,
        closes=None,
        timezone="Asia/Karachi",
        contact_name=None,
        contact_email=None,
        contact_phone=None,
        optout_link="http://survey.test/optout/" + "O" * 40,
    )
    anchors = links(render_message(template, values).html)
    assert len(anchors) == 2
    assert all(
        'class="mail-link" style="overflow-wrap:anywhere;word-break:break-all;"' in anchor
        for anchor in anchors
    )


@pytest.mark.browser
@pytest.mark.parametrize("kind, language", [("invitation", "ur"), ("reminder", "fr")])
def test_the_preview_fits_a_phone(app, make, live_server, page, ws, kind, language):
    email = make.user("organiser@example.org", grants={ws: "organiser"}).email
    browser_sign_in(page, live_server, email)
    page.goto(f"{live_server}/workshops/{ws.slug}/mail/messages/{kind}/{language}")
    anchors = page.locator(".message-preview a.mail-link")
    assert anchors.count() >= 2
    assert no_horizontal_scroll(page)
    for index in range(anchors.count()):
        box = anchors.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (language, index, box)
    assert page.console_errors == []  # no inline style for the policy to refuse
