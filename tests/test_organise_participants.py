"""Participants: status per wave without answers, search, withdrawal and reissued links."""

import re

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
from survey.organise import participants
from survey.organise.participants import (
    ParticipantError,
    participant_rows,
    reissue_link,
    withdraw_participant,
)
from survey.tokens import InvitationInvalid, current_invitation, invitation_token
from survey.tokens import invitation_for_token as redeem
from tests.conftest import csrf_token, nav_queries, sign_in


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
    assert f"{again.public_id} and {first.public_id} are withdrawn: 2 responses" in (
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


def _listed(html: str) -> list[str]:
    """The public ids of the participants a page lists, in order."""
    return re.findall(r'<th scope="row" role="rowheader">(\w+)', html)


def test_participants_come_in_pages_split_at_the_boundary(app, make, client, monkeypatch):
    monkeypatch.setattr(participants, "PARTICIPANTS_PER_PAGE", 2)
    ws = make.workshop()
    people = [make.participant(ws, group) for group in ("pakistan", "nato", "nato", "pakistan")]
    gone = make.participant(ws, "nato")
    gone.withdrawn_at = make.now()
    db.session.commit()
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/participants"
    shown = {}
    for number in (1, 2, 3):
        html = client.get(f"{url}?page={number}").get_data(as_text=True)
        shown[number] = _listed(html)
        assert [q["page"] for q in nav_queries(html, "participant-pages")] == [["1"], ["2"], ["3"]]
        assert f'aria-current="page">{2 * number - 1}–' in html
    # In the order of one page before: the groups' order, who came first, the withdrawn last.
    by_group = sorted(people, key=lambda p: (p.group_id, p.id))
    order = [p.public_id for p in (*by_group, gone)]
    assert [*shown[1], *shown[2], *shown[3]] == order
    assert [len(ids) for ids in shown.values()] == [2, 2, 1]
    assert "Participants 5–5 of 5" in html
    first = client.get(url).get_data(as_text=True)
    assert _listed(first) == shown[1] and "Participants 1–2 of 5" in first


def test_a_page_full_or_less_looks_as_before(app, make, client, monkeypatch):
    monkeypatch.setattr(participants, "PARTICIPANTS_PER_PAGE", 3)
    ws = make.workshop()
    for _ in range(3):
        make.participant(ws)
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    assert len(_listed(html)) == 3 and "participant-pages" not in html
    assert "page=" not in html and "Participants 1–" not in html and "3 participants." in html
    make.participant(ws)  # one more than a page holds
    html = client.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    assert len(_listed(html)) == 3 and "Participants 1–3 of 4" in html
    assert "4 participants." in html


def test_the_counts_are_of_every_page(app, make, client, monkeypatch):
    monkeypatch.setattr(participants, "PARTICIPANTS_PER_PAGE", 2)
    ws = make.workshop()
    for n in range(5):
        p = make.participant(ws, name=f"Ana {n}")
        if n < 2:
            p.withdrawn_at = make.now()  # listed last: on the last page, not the first
    make.participant(ws, name="Bo")
    db.session.commit()
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    assert len(_listed(html)) == 2 and 'class="withdrawn"' not in html
    assert "6 participants (2 withdrawn)." in html
    html = client.get(f"/workshops/{ws.slug}/participants?q=ana&page=2").get_data(as_text=True)
    assert len(_listed(html)) == 2 and "5 participants (2 withdrawn) matching “ana”" in html


def test_the_search_is_kept_in_the_page_links_and_its_matches_paged(app, make, client, monkeypatch):
    monkeypatch.setattr(participants, "PARTICIPANTS_PER_PAGE", 2)
    ws = make.workshop()
    aminas = [make.participant(ws, name=f"Amina {n}").public_id for n in range(3)]
    for n in range(4):
        make.participant(ws, name=f"Bo {n}")
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/participants"
    first = client.get(url, query_string={"q": "amina"}).get_data(as_text=True)
    second = client.get(url, query_string={"q": "amina", "page": "2"}).get_data(as_text=True)
    assert [*_listed(first), *_listed(second)] == aminas
    assert nav_queries(second, "participant-pages") == [
        {"q": ["amina"], "page": ["1"]},
        {"q": ["amina"], "page": ["2"]},
    ]
    assert "Participants 3–3 of 3" in second
    assert client.get(url, query_string={"q": "amina", "page": "3"}).status_code == 404
    assert client.get(url, query_string={"page": "4"}).status_code == 200  # 7 in all


@pytest.mark.parametrize("page", ["0", "4", "-1", "two", "1.5", "\uff12", "9" * 40])
def test_a_page_that_is_not_there_is_not_found(app, make, client, monkeypatch, page):
    monkeypatch.setattr(participants, "PARTICIPANTS_PER_PAGE", 2)
    ws = make.workshop()
    for _ in range(5):
        make.participant(ws)
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/participants"
    assert client.get(url, query_string={"page": page}).status_code == 404


def test_a_page_costs_the_same_statements_however_many_participants(
    app, make, client, monkeypatch, count_statements
):
    """Only the page's participants, and their responses, are read: the statements a page sends
    are the same, to the letter, for a workshop of 3 participants and for one of 31."""
    monkeypatch.setattr(participants, "PARTICIPANTS_PER_PAGE", 2)
    sign_in(client, make.user(admin=True))
    sent = []
    for size in (3, 31):
        ws = make.workshop(open_waves=("pre", "post"))
        for _ in range(size):
            make.response(make.participant(ws, name="Ana"), "pre", answers())
        last = -(-size // 2)
        for number in (1, last):
            with count_statements() as seen:
                html = client.get(f"/workshops/{ws.slug}/participants?page={number}").get_data(
                    as_text=True
                )
            listed = _listed(html)
            assert len(listed) == (2 if number < last else 1)
            # The statuses are read for the page's participants, not the workshop's all.
            statuses = [s for s in seen.statements if "FROM response" in s]
            assert [_bound_in(s) for s in statuses] == [len(listed)], statuses
            sent.append(seen.statements)
    assert sent[0] == sent[2] and sent[1] == sent[3]


def _bound_in(statement: str) -> int:
    """How many values the statement's closing `participant_id IN (...)` is given (one
    placeholder each: "?" on SQLite, "%(name)s::INTEGER" on PostgreSQL)."""
    _, found, values = statement.partition("participant_id IN (")
    assert found and values.endswith(")"), statement
    return values.count(",") + 1


def test_many_pages_link_the_first_the_last_and_those_near(app, make, client, monkeypatch):
    monkeypatch.setattr(participants, "PARTICIPANTS_PER_PAGE", 1)
    ws = make.workshop()
    for _ in range(12):
        make.participant(ws)
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/participants?page=6").get_data(as_text=True)
    assert [q["page"][0] for q in nav_queries(html, "participant-pages")] == [
        "1",
        "4",
        "5",
        "6",
        "7",
        "8",
        "12",
    ]
    assert html.count('<li aria-hidden="true">…</li>') == 2
    assert 'aria-label="Pages of participants"' in html and "Participants 6–6 of 12" in html
