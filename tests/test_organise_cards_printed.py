"""Cards marked printed: the cards page then lists those still to print, for participants added
since and for links issued anew, a batch at a time."""

import re

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, Invitation
from survey.organise import invitations
from survey.organise.participants import withdraw_participant
from survey.tokens import current_invitation, first_invitations, reissue_invitation
from tests.conftest import csrf_token, sign_in


def _names(html: str) -> list[str]:
    return re.findall(r'<p class="card-name"><bdi>(.*?)</bdi></p>', html)


def _mark_form(html: str) -> dict[str, str]:
    """The fields the page's "Mark … printed" form posts."""
    form = re.search(
        r'<form method="post" action="([^"]+)" class="cards-printed">(.*?)</form>', html, re.S
    )
    assert form, "no form to mark the cards printed"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(2)))
    return {"action": form.group(1), **fields}


def _mark(client, html: str):
    fields = _mark_form(html)
    return client.post(fields.pop("action"), data=fields)


@pytest.fixture
def organiser(app, make, client, monkeypatch):
    monkeypatch.setattr(invitations, "CARDS_PER_BATCH", 2)
    ws = make.workshop()
    people = [make.participant(ws, "nato", name=f"Person {n}") for n in range(1, 6)]
    first_invitations(people)  # as a roster import issues them
    db.session.commit()
    sign_in(client, make.user(grants={ws: "organiser"}))
    return ws, people


def test_a_batch_marked_printed_leaves_the_cards_still_to_print(app, make, client, organiser):
    ws, people = organiser
    cards = f"/workshops/{ws.slug}/cards"
    first = client.get(cards).get_data(as_text=True)
    assert "still to print" not in first  # nothing marked yet: every card is still to print
    assert "Mark these 2 cards printed" in first
    response = _mark(client, first)
    assert response.status_code == 302 and response.location == cards
    page = client.get(cards).get_data(as_text=True)
    assert "2 cards marked printed." in page
    assert "Every card here is marked printed." in page and 'class="cards-printed"' not in page
    assert f'<a href="{cards}?unprinted=1">Only the 3 still to print</a>' in page
    still = client.get(f"{cards}?unprinted=1").get_data(as_text=True)
    assert _names(still) == ["Person 3", "Person 4"] and "3 cards still to print" in still

    # A participant added since, and a printed card whose link is issued anew, are to print;
    # one who withdrew is not.
    late = make.participant(ws, "nato", name="Late")  # added by hand: no link until its card
    reissue_invitation(people[0])
    withdraw_participant(people[2], actor="test")
    db.session.commit()
    still = client.get(f"{cards}?unprinted=1").get_data(as_text=True)
    assert "4 cards still to print" in still
    assert _names(still) == ["Person 1", "Person 4"]
    # A batch of printed cards and one whose link was issued anew marks only that one.
    again = client.get(cards).get_data(as_text=True)
    assert "Mark this batch printed (1 not marked yet)" in again
    assert _mark_form(again)["invitations"] == str(current_invitation(people[0]).id)
    batch_two = client.get(f"{cards}?unprinted=1&batch=2").get_data(as_text=True)
    assert _names(batch_two) == ["Person 5", "Late"] and late.public_id in batch_two


def test_those_still_to_print_are_marked_a_batch_at_a_time(app, make, client, organiser):
    ws, _ = organiser
    still = f"/workshops/{ws.slug}/cards?unprinted=1"
    shown = []
    for _ in range(3):
        html = client.get(still).get_data(as_text=True)
        shown.append(_names(html))
        assert "batch" not in _mark_form(html)  # the next ones are the first batch again
        assert _mark(client, html).location == still
    assert shown == [["Person 1", "Person 2"], ["Person 3", "Person 4"], ["Person 5"]]
    html = client.get(still).get_data(as_text=True)
    assert "No card left to print: every card is marked printed." in html
    everyone = client.get(f"/workshops/{ws.slug}/cards?batch=3").get_data(as_text=True)
    assert _names(everyone) == ["Person 5"] and "This card is marked printed." in everyone
    events = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "invitations.printed")
    ).all()
    assert events == [{"cards": 2}, {"cards": 2}, {"cards": 1}]


def test_marking_again_or_in_another_batch_keeps_the_first_time(app, make, client, organiser):
    ws, people = organiser
    html = client.get(f"/workshops/{ws.slug}/cards?batch=2").get_data(as_text=True)
    fields = _mark_form(html)
    assert fields["batch"] == "2"
    assert _mark(client, html).location == f"/workshops/{ws.slug}/cards?batch=2"
    printed = {i.participant_id: i.card_printed_at for i in db.session.scalars(select(Invitation))}
    assert [p.id for p in people if printed[p.id]] == [people[2].id, people[3].id]
    again = client.post(fields.pop("action"), data=fields)  # the page sent twice
    assert again.status_code == 302
    assert "These cards were already marked printed." in client.get(again.location).get_data(
        as_text=True
    )
    db.session.expire_all()
    assert {
        i.participant_id: i.card_printed_at for i in db.session.scalars(select(Invitation))
    } == printed


@pytest.mark.parametrize(
    "posted", ["", "1 x", "1,2", "-1", "\uff11", "9" * 19, "9" * 5000, " ".join(["1"] * 3)]
)
def test_a_batch_that_no_page_showed_is_refused(app, make, client, organiser, posted):
    ws, _ = organiser
    html = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    response = client.post(
        f"/workshops/{ws.slug}/cards/printed",
        data={"csrf_token": csrf_token(html), "invitations": posted},
    )
    assert response.status_code == 400
    assert db.session.scalars(select(Invitation.card_printed_at)).all() == [None] * 5


def test_only_the_workshops_own_live_links_are_marked(app, make, client, organiser, monkeypatch):
    ws, people = organiser
    monkeypatch.setattr(invitations, "CARDS_PER_BATCH", 3)
    other = make.workshop(slug="elsewhere")
    (foreign,) = first_invitations([make.participant(other, "nato", name="Stranger")])
    db.session.commit()
    html = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    revoked = current_invitation(people[0])
    reissue_invitation(people[0])
    db.session.commit()
    ids = f"{foreign.id} {revoked.id} {current_invitation(people[1]).id}"
    response = client.post(
        f"/workshops/{ws.slug}/cards/printed",
        data={"csrf_token": csrf_token(html), "invitations": ids},
    )
    assert response.status_code == 302
    marked = db.session.scalars(
        select(Invitation.participant_id).where(Invitation.card_printed_at.is_not(None))
    ).all()
    assert marked == [people[1].id]


def test_marking_needs_the_form_token(app, make, client, organiser):
    # Who may mark them: tests/test_access_matrix.py (organisers of the workshop, and admins).
    ws, people = organiser
    ids = str(current_invitation(people[0]).id)
    response = client.post(f"/workshops/{ws.slug}/cards/printed", data={"invitations": ids})
    assert response.status_code == 400
    assert db.session.scalars(select(Invitation.card_printed_at)).all() == [None] * 5


@pytest.mark.parametrize("batch", ["0", "two", "9" * 7])
def test_a_mark_that_would_return_to_no_batch_writes_nothing(app, make, client, organiser, batch):
    ws, _ = organiser
    fields = _mark_form(client.get(f"/workshops/{ws.slug}/cards?batch=2").get_data(as_text=True))
    fields["batch"] = batch
    assert client.post(fields.pop("action"), data=fields).status_code == 404
    assert db.session.scalars(select(Invitation.card_printed_at)).all() == [None] * 5
