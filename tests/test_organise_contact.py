"""The organisers' contact for participants: edited in the console, shown on the privacy
notice, the QR cards and the thank-you page (and in every e-mail: test_mail_sending)."""

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent
from survey.organise.workshops import close_wave, set_contact
from tests.conftest import csrf_token, sign_in
from tests.respond_helpers import PRE, Respondent, token_of


@pytest.fixture
def ws(make):
    ws = make.workshop("islamabad", open_waves=("pre",))
    set_contact(ws, "Workshop <secretariat>", "desk@example.org", "+92 51 123 4567")
    db.session.commit()
    return ws


def _contact_form(client, ws, **data):
    page = client.get(f"/workshops/{ws.slug}/contact").get_data(as_text=True)
    return client.post(
        f"/workshops/{ws.slug}/contact", data={"csrf_token": csrf_token(page), **data}
    )


def test_organisers_edit_the_contact(app, make, client):
    ws = make.workshop("islamabad")
    sign_in(client, make.user(grants={ws: "organiser"}))
    response = _contact_form(
        client, ws, contact_name=" Desk ", contact_email="desk@example.org", contact_phone=""
    )
    assert response.status_code == 302
    db.session.refresh(ws)
    assert (ws.contact_name, ws.contact_email, ws.contact_phone) == (
        "Desk",
        "desk@example.org",
        None,
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "workshop.contact"))
    assert event.detail == {"changed": ["contact_name", "contact_email"]}
    page = client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    assert "Desk · desk@example.org" in page


def test_the_contact_name_and_group_labels_keep_one_line(app, make, client):
    ws = make.workshop("islamabad")
    sign_in(client, make.user(grants={ws: "organiser"}))
    assert _contact_form(client, ws, contact_name="Desk\r\nBcc: x@example.org").status_code == 302
    url = f"/workshops/{ws.slug}/groups"
    page = client.get(url).get_data(as_text=True)
    labels = {"label_nato": "NATO\nofficials", "label_pakistan": "Pakistan"}
    assert client.post(url, data={**labels, "csrf_token": csrf_token(page)}).status_code == 302
    db.session.refresh(ws)
    assert ws.contact_name == "Desk Bcc: x@example.org"
    assert ws.group("nato").label == "NATO officials"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "desk@example", "not an e-mail address"),
        ("contact_email", "desk @example.org", "not an e-mail address"),
        ("contact_phone", "call me", "Digits, spaces"),
        ("contact_name", "x" * 201, "200"),
    ],
)
def test_a_bad_contact_says_which_field_and_why(app, make, client, field, value, message):
    ws = make.workshop("islamabad")
    sign_in(client, make.user(grants={ws: "organiser"}))
    response = _contact_form(client, ws, **{field: value})
    assert response.status_code == 422
    summary = response.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert message in summary and f'href="#{field}"' in summary  # named, and led to
    db.session.refresh(ws)
    assert getattr(ws, field) is None


def test_the_privacy_notice_gives_the_contact(app, ws, make, client):
    person = make.participant(ws, language="fr")
    Respondent(client).open(token_of(person))
    html = client.get("/privacy").get_data(as_text=True)
    assert "Contacter les organisateurs" in html
    assert "Workshop &lt;secretariat&gt;" in html  # escaped
    assert 'href="mailto:desk@example.org"' in html and 'href="tel:+92511234567"' in html


def test_the_privacy_notice_of_a_workshop_being_joined_gives_its_contact(app, ws, client):
    from survey.tokens import join_code

    client.get(f"/join/{join_code(ws.group('nato'))}")
    assert "desk@example.org" in client.get("/privacy").get_data(as_text=True)


def test_without_a_contact_nothing_is_shown(app, make, client):
    person = make.participant(make.workshop(), language="en")
    Respondent(client).open(token_of(person))
    assert "Contact the organisers" not in client.get("/privacy").get_data(as_text=True)


def test_the_thank_you_page_gives_the_contact(app, ws, make, client):
    person = make.participant(ws)
    you = Respondent(client)
    you.open(token_of(person))
    assert you.complete("pre", PRE).location == "/q/pre/thanks"
    html = you.get("/q/pre/thanks").get_data(as_text=True)
    assert "Contact the organisers" in html and "desk@example.org" in html


def test_a_closed_wave_gives_the_contact_it_asks_to_use(app, ws, make, client):
    person = make.participant(ws)
    you = Respondent(client)
    you.open(token_of(person))
    close_wave(ws.wave("pre"))
    db.session.commit()
    html = you.get("/q/pre/consent").get_data(as_text=True)
    assert "please contact the organisers" in html
    assert "Contact the organisers" in html and 'href="mailto:desk@example.org"' in html


def test_the_cards_give_the_contact(app, ws, make, client):
    make.participant(ws, language="ur", name="Bilal")
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    assert "سوالات:" in html
    assert (
        '<bdi class="contact-email">desk@example.org</bdi><br>'
        '<bdi class="contact-phone">+92 51 123 4567</bdi><br>'
        '<bdi class="contact-name">Workshop &lt;secretariat&gt;</bdi>'
    ) in html


def test_the_contact_link_on_participant_pages_is_encoded(app, ws, client):
    from survey.tokens import join_code

    ws.contact_email = "desk?cc=x%40evil.example@example.org"
    db.session.commit()
    client.get(f"/join/{join_code(ws.group('nato'))}")
    html = client.get("/privacy").get_data(as_text=True)
    assert 'href="mailto:desk%3Fcc%3Dx%2540evil.example@example.org"' in html
    assert ">desk?cc=x%40evil.example@example.org</a>" in html
