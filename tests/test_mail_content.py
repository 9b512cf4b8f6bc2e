"""Message templates: the shipped defaults, a workshop's own texts and their checks, and one
participant's message rendered as plain text and HTML (escaped, nothing remote)."""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.mail import content
from survey.mail.addresses import address_problem
from survey.mail.content import MessageValues, TemplateError, render_message, template_problems
from survey.models import AuditEvent, MessageKind


def _values(**changes) -> MessageValues:
    values = {
        "language": "en",
        "name": "Ana",
        "workshop": "Islamabad dialogue",
        "wave": "After the workshop",
        "link": "http://survey.test/s/TOKEN",
        "closes": datetime(2014, 5, 3, 13, 0, tzinfo=UTC),
        "timezone": "Asia/Karachi",
        "contact_name": "Secretariat",
        "contact_email": "desk@example.org",
        "contact_phone": "+92 51 111",
        "optout_link": "http://survey.test/optout/OPT",
    }
    return MessageValues(**{**values, **changes})


def _shipped(kind=MessageKind.INVITATION, language="en") -> content.Template:
    words = content.shipped()["languages"][language][kind.value]
    return content.Template(kind, language, words["subject"], words["body"], False, None)


@pytest.mark.parametrize("language", ["en", "ur", "fr"])
@pytest.mark.parametrize("kind", list(MessageKind))
def test_the_shipped_texts_are_complete_and_valid(language, kind):
    words = content.shipped()["languages"][language]
    assert {"greeting", "greeting_unnamed", "contact", "phone", "optout"} <= set(words)
    assert "{optout_link}" in words["optout"]
    assert template_problems(words[kind.value]["subject"], words[kind.value]["body"]) == []


def test_the_shipped_translations_are_marked_for_review():
    assert set(content.shipped()["review"]) == {"ur", "fr"}


def test_a_message_in_plain_text_and_html(app):
    message = render_message(_shipped(), _values())
    assert message.subject == "Islamabad dialogue: After the workshop"
    assert message.text.startswith("Dear Ana,\n\nYou are invited")
    assert "http://survey.test/s/TOKEN" in message.text
    # 13:00 UTC is 18:00 in Karachi, written in the participant's language.
    assert "closes on Saturday, May 3, 2014, 6:00\u202fPM (Asia/Karachi)." in message.text
    assert "desk@example.org" in message.text and "+92 51 111" in message.text
    assert "http://survey.test/optout/OPT" in message.text
    anchors = dict(re.findall(r'<a href="([^"]+)" dir="ltr"[^>]*>([^<]+)</a>', message.html))
    assert anchors == {
        "http://survey.test/s/TOKEN": "http://survey.test/s/TOKEN",
        "mailto:desk@example.org": "desk@example.org",
        "http://survey.test/optout/OPT": "http://survey.test/optout/OPT",
    }
    assert "<bdi>Islamabad dialogue</bdi>" in message.html


def test_french_and_urdu_dates_and_direction(app):
    fr = render_message(_shipped(language="fr"), _values(language="fr"))
    assert "ferme le samedi 3 mai 2014, 18:00 (Asia/Karachi)" in fr.text
    ur = render_message(_shipped(language="ur"), _values(language="ur", name=None))
    assert ur.text.startswith("محترم شرکت کنندہ،")
    # Latin pieces of an Urdu sentence are isolated, so they keep their order.
    assert "\u20666:00 PM (Asia/Karachi)\u2069" in ur.text
    assert "\u2066+92 51 111\u2069" in ur.text
    assert '<html lang="ur" dir="rtl">' in ur.html and '<div lang="ur" dir="rtl">' in ur.html


def test_a_line_naming_the_closing_time_is_left_out_when_there_is_none(app):
    message = render_message(_shipped(), _values(closes=None))
    assert "closes" not in message.text and "closes" not in message.html


def test_without_a_name_the_greeting_names_nobody(app):
    assert render_message(_shipped(), _values(name=None)).text.startswith("Dear participant,")


def test_text_from_rosters_and_organisers_is_escaped_in_the_html(app):
    template = content.Template(
        MessageKind.INVITATION, "en", "{workshop}", "<b>{name}</b> {link}", True, None
    )
    message = render_message(
        template,
        _values(name='<script>alert("x")</script>', workshop="A & B <i>", contact_name="<img>"),
    )
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert "&lt;b&gt;" in message.html and "&lt;img&gt;" in message.html
    assert message.subject == "A & B <i>"  # a header, not HTML
    assert '<script>alert("x")</script>' in message.text  # plain text stays as written


def test_a_typed_value_cannot_turn_the_rest_of_a_line_around(app):
    """A right-to-left override in a title or name would reverse what follows it in the subject
    and the plain text, which have no markup to isolate it: such characters are left out."""
    template = content.Template(
        MessageKind.INVITATION,
        "en",
        "{workshop}: {wave} (reply)",
        "Hello {name}, see {link}",
        True,
        None,
    )
    message = render_message(
        template,
        _values(
            workshop="Dialogue \u202eevil\u202c",
            wave="Post \u2067wave",
            name="Ana\u202d\u2069",
            contact_name="Desk\u202b",
        ),
    )
    assert message.subject == "Dialogue evil: Post wave (reply)"
    typed = {chr(c) for c in range(0x202A, 0x202F)} | {"\u2067"}
    for version in (message.subject, message.text, message.html):
        assert not set(version) & typed
    assert message.text.count("\u2066") == message.text.count("\u2069") == 1
    assert "Hello Ana, see" in message.text and "\nDesk\n" in message.text
    # The isolates the message sets itself stay (the phone number, left to right).
    assert "\u2066+92 51 111\u2069" in message.text


def test_the_html_loads_nothing_remote_and_tracks_nothing(app):
    html = render_message(_shipped(), _values()).html
    assert not re.search(r"<(img|script|link|iframe|object|embed)\b", html, re.I)
    assert "src=" not in html and "url(" not in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs == [
        "http://survey.test/s/TOKEN",
        "mailto:desk@example.org",
        "http://survey.test/optout/OPT",
    ]


def test_template_checks():
    assert template_problems("Hi", "no link here") == [
        "the message must contain {link}, the participant's personal link"
    ]
    problems = template_problems("Hi {link}\nthere", "{link} {nmae} {0.__class__}")
    assert "the subject must be one line" in problems
    assert any("the subject names {link}" in p for p in problems)
    assert any("names {nmae}" in p for p in problems)
    assert any("names {0.__class__}" in p for p in problems)


def test_a_workshops_own_text_replaces_the_default_and_can_be_reset(app, make):
    ws = make.workshop()
    assert not content.message_template(ws, MessageKind.REMINDER, "fr").customised
    assert content.message_template(ws, MessageKind.REMINDER, "fr").review_note
    content.save_template(ws, MessageKind.REMINDER, "fr", " Rappel ", "Bonjour\r\n{link}\r\n")
    db.session.commit()
    own = content.message_template(ws, MessageKind.REMINDER, "fr")
    assert (own.subject, own.body, own.customised, own.review_note) == (
        "Rappel",
        "Bonjour\n{link}",
        True,
        None,
    )
    assert not content.message_template(ws, MessageKind.REMINDER, "en").customised
    with pytest.raises(TemplateError, match="must contain"):
        content.save_template(ws, MessageKind.REMINDER, "fr", "Rappel", "no link")
    content.reset_template(ws, MessageKind.REMINDER, "fr")
    db.session.commit()
    assert not content.message_template(ws, MessageKind.REMINDER, "fr").customised
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.template"))
    assert [e.detail for e in events] == [
        {"kind": "reminder", "language": "fr"},
        {"kind": "reminder", "language": "fr", "reset": True},
    ]


def test_a_contact_address_cannot_add_fields_to_its_mailto_link(app):
    """An address may hold ? & = % before its @; in the link they are encoded, so that they
    never add a copy, a subject or a body to the message a participant writes."""
    address = "desk?cc=attacker%40evil.example&subject=Urgent@organisers.org"
    assert address_problem(address) is None
    message = render_message(_shipped(), _values(contact_email=address))
    hrefs = re.findall(r'href="(mailto:[^"]+)"', message.html)
    assert hrefs == [
        "mailto:desk%3Fcc%3Dattacker%2540evil.example%26subject%3DUrgent@organisers.org"
    ]
    assert urlsplit(hrefs[0]).query == ""
    assert f">{address.replace('&', '&amp;')}</a>" in message.html and address in message.text
