"""Participants: status per wave without answers, search, withdrawal and reissued links."""

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.linking import linking_hashes
from survey.models import (
    Answer,
    AuditEvent,
    Invitation,
    ParticipantContact,
    Response,
    ResponseStatus,
)
from survey.organise.participants import (
    ParticipantError,
    participant_rows,
    reissue_link,
    withdraw_participant,
)
from survey.tokens import InvitationInvalid, current_invitation, invitation_token
from survey.tokens import invitation_for_token as redeem
from tests.conftest import csrf_token, sign_in


def answers(hope: str = "my secret hope") -> dict:
    return {"trust_direct": 4, "hope_text": hope}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_rows_show_status_per_wave(app, make):
    ws = make.workshop(open_waves=("pre", "post"))
    a = make.participant(ws, name="Ana")
    b = make.participant(ws, "pakistan")
    make.response(a, "pre", answers())
    make.response(a, "post", answers(), status=ResponseStatus.IN_PROGRESS)
    rows = {row.participant.public_id: row for row in participant_rows(ws)}
    assert rows[a.public_id].statuses == {
        "pre": ResponseStatus.SUBMITTED,
        "post": ResponseStatus.IN_PROGRESS,
    }
    assert rows[b.public_id].statuses == {"pre": None, "post": None}
    assert rows[a.public_id].name == "Ana"


def test_search_by_name_email_public_and_external_id(app, make):
    ws = make.workshop()
    a = make.participant(ws, name="Amina Khan", email="amina@example.org", external_id="HR-7")
    make.participant(ws, name="Bo Berg")
    make.participant(make.workshop(), name="Amina Elsewhere")
    for term in ("amina", "EXAMPLE.ORG", a.public_id.lower(), "hr-7"):
        assert [r.participant.id for r in participant_rows(ws, term)] == [a.id], term
    assert len(participant_rows(ws, "")) == 2
    assert participant_rows(ws, "%") == []  # LIKE wildcards are taken literally


def test_page_lists_status_but_never_answers(app, make, client):
    ws = make.workshop()
    p = make.participant(ws, name="Ana")
    make.response(p, "pre", answers("my secret hope"))
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    assert p.public_id in html and "submitted" in html and "Ana" in html
    assert "my secret hope" not in html
    searched = client.get(f"/workshops/{ws.slug}/participants?q=nobody").get_data(as_text=True)
    assert p.public_id not in searched


def test_withdrawal_deletes_answers_and_personal_data_and_revokes_the_link(app, make):
    ws = make.workshop(open_waves=("pre", "post"))
    p = make.participant(ws, name="Ana", email="ana@example.org", sector="military")
    other = make.participant(ws, name="Bo")
    token = invitation_token(current_invitation(p))
    p.link_mother = "hash"
    db.session.commit()
    make.response(p, "pre", answers())
    make.response(p, "post", answers(), status=ResponseStatus.IN_PROGRESS)
    make.response(other, "pre", answers())
    deleted = withdraw_participant(p)
    db.session.commit()
    assert deleted == 2
    assert count(Response) == 1 and count(Answer) == 2  # only the other participant's
    assert count(ParticipantContact) == 1
    db.session.expire_all()
    assert p.withdrawn and p.contact is None and p.sector is None and p.link_mother is None
    assert all(i.revoked_at is not None for i in p.invitations)
    with pytest.raises(InvitationInvalid):
        redeem(token)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.withdraw"))
    assert event.detail == {"participant": p.public_id, "responses_deleted": 2}
    assert "Ana" not in str(event.detail) and "ana@example.org" not in str(event.detail)
    with pytest.raises(ParticipantError):
        withdraw_participant(p)
    with pytest.raises(ParticipantError):
        reissue_link(p)


def test_withdrawal_asks_for_the_public_id_first(app, make, client):
    ws = make.workshop()
    p = make.participant(ws, name="Ana")
    make.response(p, "pre", answers())
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/participants/{p.public_id}/withdraw"
    page = client.get(url)
    assert page.status_code == 200 and "cannot be undone" in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))
    wrong = client.post(url, data={"csrf_token": token, "confirm": "P000000"})
    assert wrong.status_code == 422 and f"Type {p.public_id}" in wrong.get_data(as_text=True)
    assert count(Response) == 1
    right = client.post(url, data={"csrf_token": token, "confirm": p.public_id.lower()})
    assert right.status_code == 302
    assert count(Response) == 0 and count(Answer) == 0 and count(ParticipantContact) == 0
    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "already withdrawn" in again
    listed = client.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    assert "1 participant (1 withdrawn)." in listed
    assert client.get(f"/workshops/{ws.slug}/participants/NOPE/withdraw").status_code == 404


CODE = {"mother": "Amina", "day": "7", "town": "Lahore", "siblings": "2"}


def test_withdrawing_someone_who_joined_again_withdraws_their_other_answers_too(app, make, client):
    """Someone who lost their link joined again: two participants the linking code pairs. The
    link they hold is the second one; withdrawing it offers to withdraw the first as well."""
    ws = make.workshop(open_waves=("pre", "post"))
    first = make.participant(ws, "pakistan", linking=linking_hashes(ws, CODE))
    again = make.participant(ws, "pakistan", linking=linking_hashes(ws, CODE))
    make.response(first, "pre", answers())
    make.response(again, "post", answers())
    stranger = make.participant(ws, "pakistan")
    make.response(stranger, "post", answers())
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/participants/{again.public_id}/withdraw"
    page = client.get(url).get_data(as_text=True)
    assert f"with those of <strong>{first.public_id}</strong>" in page
    assert '<input checked id="paired_too" name="paired_too" type="checkbox"' in page
    stranger_page = client.get(f"/workshops/{ws.slug}/participants/{stranger.public_id}/withdraw")
    assert "paired_too" not in stranger_page.get_data(as_text=True)

    done = client.post(
        url,
        data={"csrf_token": csrf_token(page), "confirm": again.public_id, "paired_too": "y"},
        follow_redirects=True,
    )
    assert f"{again.public_id} and {first.public_id} are withdrawn: 2 response(s)" in (
        done.get_data(as_text=True)
    )
    db.session.expire_all()
    assert first.withdrawn and again.withdrawn and not stranger.withdrawn
    assert count(Response) == 1


def test_a_pair_can_be_kept_when_the_person_did_not_give_the_other_answers(app, make, client):
    ws = make.workshop(open_waves=("pre", "post"))
    first = make.participant(ws, "nato", linking=linking_hashes(ws, CODE))
    again = make.participant(ws, "nato", linking=linking_hashes(ws, CODE))
    make.response(first, "pre", answers())
    make.response(again, "post", answers())
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/participants/{first.public_id}/withdraw"
    token = csrf_token(client.get(url).get_data(as_text=True))
    client.post(url, data={"csrf_token": token, "confirm": first.public_id})  # box unticked
    db.session.expire_all()
    assert first.withdrawn and not again.withdrawn


def test_reissue_revokes_the_old_link_and_is_audited(app, make):
    ws = make.workshop()
    p = make.participant(ws)
    old = invitation_token(current_invitation(p))
    invitation = reissue_link(p)
    db.session.commit()
    with pytest.raises(InvitationInvalid):
        redeem(old)
    assert redeem(invitation_token(invitation)).participant.id == p.id
    assert count(Invitation) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitation.reissue"))
    assert event.detail == {"participant": p.public_id, "issue": 2}
