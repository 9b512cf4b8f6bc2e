"""One participant's name, e-mail address and language corrected in the console, without a
roster import: what changes, what the audit log keeps, and what is refused."""

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent
from survey.organise.participants import ParticipantError, edit_participant, withdraw_participant
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def ws(make):
    return make.workshop("islamabad", open_waves=("pre",))


@pytest.fixture
def organiser(ws, make, client):
    sign_in(client, make.user(grants={ws: "organiser"}))


def _edit(client, ws, person, **data):
    url = f"/workshops/{ws.slug}/participants/{person.public_id}/edit"
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(page), **data})


def _events(action="participant.edit"):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_an_organiser_corrects_an_address_and_a_language(app, ws, make, client, organiser):
    person = make.participant(ws, name="Amina Khan", email="amina@exmaple.org", language="en")
    form = client.get(f"/workshops/{ws.slug}/participants/{person.public_id}/edit").text
    assert 'value="Amina Khan"' in form and 'value="amina@exmaple.org"' in form
    assert '<option selected value="en">' in form and 'value="ur">Urdu' in form
    response = _edit(
        client, ws, person, name="Amina\r\nKhan ", email=" amina@example.org ", language="ur"
    )
    assert response.status_code == 302 and response.location.endswith(f"?q={person.public_id}")
    db.session.refresh(person)
    assert (person.contact.name, person.contact.email, person.language) == (
        "Amina Khan",
        "amina@example.org",
        "ur",
    )
    (event,) = _events()
    assert event.detail == {"participant": person.public_id, "changed": ["email", "language"]}
    assert "amina" not in str(event.detail)  # the audit log keeps no personal data
    listing = client.get(response.location).get_data(as_text=True)
    assert f"{person.public_id} is saved." in listing and "give them a new link" in listing


def test_clearing_every_detail_and_adding_them_to_someone_without_any(
    app, ws, make, client, organiser
):
    person = make.participant(ws, name="Bo", email="bo@example.org", language="fr")
    assert _edit(client, ws, person, name="", email="", language="").status_code == 302
    db.session.refresh(person)
    assert (person.contact.name, person.contact.email, person.language) == (None, None, None)
    joined = make.participant(ws)  # joined by a group's link: no contact row
    assert joined.contact is None
    response = _edit(client, ws, joined, name="Chen", email="chen@example.org", language="")
    db.session.refresh(joined)
    assert (joined.contact.name, joined.contact.email) == ("Chen", "chen@example.org")
    assert "new link" not in client.get(response.location).get_data(as_text=True)  # no old one


def test_saving_the_same_details_records_nothing(app, ws, make, client, organiser):
    person = make.participant(ws, name="Dara", email="dara@example.org", language="en")
    response = _edit(client, ws, person, name="Dara", email="dara@example.org", language="en")
    assert response.status_code == 302 and _events() == []
    assert "Nothing changed." in client.get(response.location).get_data(as_text=True)


def test_a_shared_address_is_said(app, ws, make, client, organiser):
    make.participant(ws, name="Ema", email="Office@example.org")
    person = make.participant(ws, name="Farid", email="farid@example.org")
    response = _edit(client, ws, person, name="Farid", email="office@example.org", language="")
    listing = client.get(response.location).get_data(as_text=True)
    assert "office@example.org is also the address of" in listing


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "amina@example", "not an e-mail address"),
        ("email", "a" * 250 + "@x.org", "254"),
        ("name", "x" * 201, "200"),
        ("language", "de", "Not a valid choice"),
    ],
)
def test_a_bad_detail_says_which_field_and_why_and_changes_nothing(
    app, ws, make, client, organiser, field, value, message
):
    person = make.participant(ws, name="Amina", email="amina@example.org", language="en")
    data = {"name": "Amina", "email": "amina@example.org", "language": "en", field: value}
    response = _edit(client, ws, person, **data)
    assert response.status_code == 422
    summary = response.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert message in summary and f'href="#{field}"' in summary
    db.session.refresh(person)
    assert (person.contact.name, person.contact.email, person.language) == (
        "Amina",
        "amina@example.org",
        "en",
    )
    assert _events() == []


def test_a_withdrawn_participant_has_nothing_to_edit(app, ws, make, client, organiser):
    person = make.participant(ws, name="Gul", email="gul@example.org")
    withdraw_participant(person)
    db.session.commit()
    url = f"/workshops/{ws.slug}/participants/{person.public_id}/edit"
    assert client.get(url).status_code == 302
    posted = client.post(
        url, data={"name": "Gul", "csrf_token": csrf_token(client.get("/workshops").text)}
    )
    assert posted.status_code == 302
    db.session.refresh(person)
    assert person.contact is None
    with pytest.raises(ParticipantError):
        edit_participant(person, "Gul", None, None)


def test_only_the_workshops_organisers_edit_and_only_with_the_form(app, ws, make, client):
    person = make.participant(ws, name="Hina")
    url = f"/workshops/{ws.slug}/participants/{person.public_id}/edit"
    sign_in(client, make.user(grants={ws: "researcher"}))
    assert client.get(url).status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/workshops").text)})
    other = make.workshop("lahore")
    sign_in(client, make.user(grants={other: "organiser"}))
    assert client.get(url).status_code == 403
    assert client.get(f"/workshops/lahore/participants/{person.public_id}/edit").status_code == 404
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/workshops").text)})
    sign_in(client, make.user(grants={ws: "organiser"}))
    assert client.post(url, data={"name": "Forged"}).status_code == 400
    listing = client.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    assert f'href="{url}"' in listing
    db.session.refresh(person)
    assert person.contact.name == "Hina"
