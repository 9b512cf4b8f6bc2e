"""Invitation links: the mail-merge CSV, printable QR cards and join posters."""

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from survey.admin.audit_log import readable_detail
from survey.extensions import db
from survey.links import qr_svg
from survey.models import AuditEvent
from survey.organise import invitations
from survey.organise.invitations import CARD_INSTRUCTIONS, invitation_rows, invitations_csv
from survey.respond.headings import workshop_details
from survey.tokens import (
    InvitationInvalid,
    JoinCodeInvalid,
    group_for_join_code,
    invitation_for_card_code,
    invitation_for_token,
)
from tests.conftest import csrf_token, nav_queries, sign_in


def _rows(body: str) -> list[dict]:
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def _token(link: str) -> str:
    match = re.fullmatch(r"https?://[^/]+/s/([A-Za-z0-9_-]+)", link)
    assert match, link
    return match.group(1)


def test_rows_carry_a_link_that_opens_the_participants_invitation(app, make):
    ws = make.workshop()
    a = make.participant(ws, "nato", external_id="A1", name="Ana", email="ana@example.org")
    b = make.participant(ws, "pakistan", language="ur")
    rows = invitation_rows(ws, "https://survey.example.org")
    db.session.commit()
    assert [(r.public_id, r.group, r.language) for r in rows] == [
        (a.public_id, "nato", "en"),
        (b.public_id, "pakistan", "ur"),
    ]
    assert rows[0].name == "Ana" and rows[0].email == "ana@example.org"
    assert rows[0].link.startswith("https://survey.example.org/s/")
    assert invitation_for_token(_token(rows[0].link)).participant.id == a.id
    assert invitation_for_token(_token(rows[1].link)).participant.id == b.id


def test_withdrawn_participants_are_left_out(app, make):
    ws = make.workshop()
    make.participant(ws).withdrawn_at = make.now()
    db.session.commit()
    assert invitation_rows(ws, "https://x.example") == []


def test_csv_is_spreadsheet_safe_with_the_mail_merge_columns(app, make):
    ws = make.workshop()
    make.participant(ws, external_id="=1+1", name='=HYPERLINK("x")', email="a@example.org")
    body = invitations_csv(invitation_rows(ws, "https://x.example"))
    assert body.splitlines()[0] == "\ufeffparticipant,external_id,name,email,group,language,link"
    row = _rows(body)[0]
    assert row["external_id"] == "'=1+1" and row["name"] == '\'=HYPERLINK("x")'


def test_the_mail_merge_file_names_everyone_and_no_address_that_opted_out(app, make):
    ws = make.workshop()
    kept = make.participant(ws, name="Ana", email="ana@example.org")
    out = make.participant(ws, name="Bo", email="bo@example.org")
    joined = make.participant(ws, "pakistan")  # by a group's link: no name, no address
    out.mail_opt_out_at = make.now()
    db.session.commit()
    rows = _rows(invitations_csv(invitation_rows(ws, "https://x.example")))
    assert [(r["participant"], r["email"]) for r in rows] == [
        (kept.public_id, "ana@example.org"),
        (out.public_id, ""),
        (joined.public_id, ""),
    ]
    assert all(r["link"].startswith("https://x.example/s/") for r in rows)


def test_web_download_gives_the_same_links_twice_and_is_audited(app, make, client):
    ws = make.workshop()
    for i in range(3):
        make.participant(ws, name=f"P {i}")
    sign_in(client, make.user(grants={ws: "organiser"}))
    first = client.get(f"/workshops/{ws.slug}/invitations.csv")
    second = client.get(f"/workshops/{ws.slug}/invitations.csv")
    assert first.status_code == 200 and first.mimetype == "text/csv"
    assert "attachment" in first.headers["Content-Disposition"]
    assert first.data == second.data
    links = [row["link"] for row in _rows(first.get_data(as_text=True))]
    assert len(set(links)) == 3 and all(link.startswith("http://localhost/s/") for link in links)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invitations.export")
    ).all()
    assert len(events) == 2 and events[0].detail == {"rows": 3, "via": "web"}


def test_reissue_revokes_the_old_link(app, make, client):
    ws = make.workshop()
    p = make.participant(ws)
    sign_in(client, make.user(grants={ws: "organiser"}))
    old = _rows(client.get(f"/workshops/{ws.slug}/invitations.csv").get_data(as_text=True))[0]
    page = client.get(f"/workshops/{ws.slug}/participants").get_data(as_text=True)
    response = client.post(
        f"/workshops/{ws.slug}/participants/{p.public_id}/reissue",
        data={"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302 and f"participant={p.public_id}" in response.location
    new = _rows(client.get(f"/workshops/{ws.slug}/invitations.csv").get_data(as_text=True))[0]
    assert new["link"] != old["link"]
    db.session.expire_all()
    assert invitation_for_token(_token(new["link"])).participant.id == p.id
    with pytest.raises(InvitationInvalid):
        invitation_for_token(_token(old["link"]))


def test_cards_page_has_one_qr_svg_per_participant_in_their_language(app, make, client):
    ws = make.workshop()
    make.participant(ws, "nato", name="Ana")
    make.participant(ws, "pakistan", language="ur")
    make.participant(ws, "pakistan", language="fr")
    sign_in(client, make.user(grants={ws: "organiser"}))
    response = client.get(f"/workshops/{ws.slug}/cards")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    cards = re.findall(
        r'<article class="card" lang="(\w+)" dir="(\w+)">(.*?)</article>', html, re.S
    )
    assert [(lang, direction) for lang, direction, _ in cards] == [
        ("en", "ltr"),
        ("ur", "rtl"),
        ("fr", "ltr"),
    ]
    for lang, _, body in cards:
        assert body.count("<svg") == 1 and "/c/" in body  # the typeable card link
        assert CARD_INSTRUCTIONS[lang] in body.replace("&#39;", "'")
    assert "Ana" in cards[0][2]
    assert "style=" not in html  # the CSP allows no inline style
    only = client.get(f"/workshops/{ws.slug}/cards?group=pakistan").get_data(as_text=True)
    assert only.count("<svg") == 2
    assert client.get(f"/workshops/{ws.slug}/cards?group=martians").status_code == 404
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invitations.cards")
    ).first()
    assert event.detail["cards"] == 3


def test_cards_of_a_withdrawn_or_unknown_participant_say_why_there_is_none(app, make, client):
    # The workshop has participants: "No participant yet: import the roster" would mislead.
    ws = make.workshop()
    make.participant(ws, "nato")
    gone = make.participant(ws, "pakistan")
    gone.withdrawn_at = make.now()
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/cards?participant={gone.public_id}").get_data(
        as_text=True
    )
    assert f"{gone.public_id} has withdrawn" in html and "import the roster" not in html
    html = client.get(f"/workshops/{ws.slug}/cards?group=pakistan").get_data(as_text=True)
    assert "No participant of Pakistan" in html and "import the roster" not in html
    assert client.get(f"/workshops/{ws.slug}/cards?participant=NOSUCH").status_code == 404


def _card_names(html: str) -> list[str]:
    return re.findall(r'<p class="card-name"><bdi>(.*?)</bdi></p>', html)


def test_cards_come_in_batches_split_at_the_boundary(app, make, client, monkeypatch):
    monkeypatch.setattr(invitations, "CARDS_PER_BATCH", 2)
    drawn = []
    monkeypatch.setattr(invitations, "qr_svg", lambda link, title: drawn.append(link) or "")
    ws = make.workshop()
    for n, group in enumerate(("pakistan", "nato", "pakistan", "nato", "nato"), start=1):
        make.participant(ws, group, name=f"Person {n}")
    sign_in(client, make.user(grants={ws: "organiser"}))
    # In roster order, as on one page before: the groups' order, then who came first.
    shown = {}
    for batch in (1, 2, 3):
        html = client.get(f"/workshops/{ws.slug}/cards?batch={batch}").get_data(as_text=True)
        shown[batch] = _card_names(html)
        assert len(drawn) == len(shown[batch])  # no QR code drawn for a card not shown
        drawn.clear()
        assert [q["batch"] for q in nav_queries(html, "card-batches")] == [["1"], ["2"], ["3"]]
        assert f'aria-current="page">{2 * batch - 1}–' in html
    assert shown == {
        1: ["Person 2", "Person 4"],
        2: ["Person 5", "Person 1"],
        3: ["Person 3"],
    }
    assert "Cards 5–5 of 5" in html and "in 3 batches of at most 2" in html
    first = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    assert _card_names(first) == shown[1] and "Cards 1–2 of 5" in first


def test_batch_links_keep_the_group_and_a_participant_stays_one_card(
    app, make, client, monkeypatch
):
    monkeypatch.setattr(invitations, "CARDS_PER_BATCH", 1)
    ws = make.workshop()
    one = make.participant(ws, "nato", name="Ana")
    make.participant(ws, "nato", name="Bilal")
    make.participant(ws, "pakistan", name="Chloé")
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/cards?group=nato&batch=2").get_data(as_text=True)
    assert _card_names(html) == ["Bilal"] and "Cards 2–2 of 2" in html
    assert nav_queries(html, "card-batches") == [
        {"group": ["nato"], "batch": ["1"]},
        {"group": ["nato"], "batch": ["2"]},
    ]
    # The participants page links to one participant's card: one card, no batches.
    html = client.get(f"/workshops/{ws.slug}/cards?participant={one.public_id}").get_data(
        as_text=True
    )
    assert _card_names(html) == ["Ana"] and "card-batches" not in html


@pytest.mark.parametrize("batch", ["0", "4", "-1", "two", "1.5", "\uff12", "9" * 40])
def test_a_batch_that_is_not_there_is_not_found(app, make, client, monkeypatch, batch):
    monkeypatch.setattr(invitations, "CARDS_PER_BATCH", 2)
    ws = make.workshop()
    for _ in range(5):
        make.participant(ws)
    sign_in(client, make.user(grants={ws: "organiser"}))
    assert (
        client.get(f"/workshops/{ws.slug}/cards", query_string={"batch": batch}).status_code == 404
    )
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "invitations.cards")).all()
        == []
    )


def test_a_workshop_without_participants_has_one_empty_batch(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/cards?batch=1").get_data(as_text=True)
    assert "No participant yet" in html and "card-batches" not in html
    assert client.get(f"/workshops/{ws.slug}/cards?batch=2").status_code == 404


def test_the_audit_log_says_which_batch_was_shown(app, make, client, monkeypatch):
    monkeypatch.setattr(invitations, "CARDS_PER_BATCH", 2)
    ws = make.workshop()
    for _ in range(5):
        make.participant(ws, "pakistan")
    sign_in(client, make.user(grants={ws: "organiser"}))
    client.get(f"/workshops/{ws.slug}/cards?group=pakistan&batch=3")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invitations.cards")
    ).one()
    assert event.detail == {"cards": 1, "group": "pakistan", "participant": None, "batch": "3 of 3"}
    assert readable_detail(event.detail) == [
        ("cards", "1"),
        ("group", "pakistan"),
        ("participant", "—"),
        ("batch", "3 of 3"),
    ]


def test_a_workshop_of_one_batch_looks_as_before(app, make, client, monkeypatch):
    monkeypatch.setattr(invitations, "CARDS_PER_BATCH", 3)
    ws = make.workshop()
    for _ in range(3):
        make.participant(ws)
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    assert html.count("<svg") == 3
    assert "card-batches" not in html and "batch" not in html and "3 cards, eight to" in html
    make.participant(ws)  # one more than a batch holds
    html = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    assert html.count("<svg") == 3 and "Cards 1–3 of 4" in html


def test_cards_links_match_the_csv_links(app, make, client):
    ws = make.workshop(title="Islamabad dialogue", place="Islamabad")
    ws.starts_on, ws.ends_on = date(2026, 12, 1), date(2026, 12, 2)
    db.session.commit()
    person = make.participant(ws)
    sign_in(client, make.user(grants={ws: "organiser"}))
    link = _rows(client.get(f"/workshops/{ws.slug}/invitations.csv").get_data(as_text=True))[0]
    html = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    # The QR code is the CSV's personal link; the printed link is its card code, typeable.
    assert str(qr_svg(link["link"], f"QR code of the personal link for {person.public_id}")) in html
    printed = re.search(
        r'<p class="card-link" dir="ltr">http://localhost/c/<wbr><span class="card-code">'
        r"([0-9A-Z-]+)</span></p>",
        html,
    )
    assert invitation_for_card_code(printed.group(1)).participant == person
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}", printed.group(1))
    # The card names the workshop the participant takes part in: its title, place and dates.
    assert '<p class="card-workshop"><bdi>Islamabad dialogue</bdi></p>' in html
    details = workshop_details(ws, "en")
    assert details.place == "Islamabad" and "2026" in details.dates
    assert f'<p class="card-group card-details"><bdi>Islamabad</bdi> · {details.dates}</p>' in html


def test_an_urdu_card_isolates_the_place_from_its_dates(app, make, client):
    # Unisolated, "Islamabad" takes the day's digits of the Urdu date into its left-to-right
    # run: "2026 دسمبر Islamabad · 1–2" on the printed card.
    ws = make.workshop(place="Islamabad")
    ws.starts_on, ws.ends_on = date(2026, 12, 1), date(2026, 12, 2)
    db.session.commit()
    make.participant(ws, "pakistan", language="ur")
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/cards").get_data(as_text=True)
    card = re.search(r'<article class="card" lang="ur" dir="rtl">(.*?)</article>', html, re.S)
    details = re.search(r'<p class="card-group card-details">(<bdi>.*?)</p>', card.group(1))
    assert details.group(1).startswith("<bdi>Islamabad</bdi> · ") and "دسمبر" in details.group(1)


def test_posters_carry_each_groups_join_link(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/posters").get_data(as_text=True)
    posters = re.findall(r'<article class="poster">(.*?)</article>', html, re.S)
    assert len(posters) == 2
    for poster, group in zip(posters, ("nato", "pakistan"), strict=True):
        assert poster.count("<svg") == 1
        code = re.search(r"/join/([A-Za-z0-9_-]+)", poster).group(1)
        assert group_for_join_code(code).code == group
        assert 'lang="ur" dir="rtl"' in poster and 'lang="fr"' in poster


def test_groups_page_relabels_and_replaces_join_links(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    page = client.get(f"/workshops/{ws.slug}/groups").get_data(as_text=True)
    old_code = re.search(r"/join/([A-Za-z0-9_-]+)", page).group(1)
    response = client.post(
        f"/workshops/{ws.slug}/groups",
        data={"csrf_token": csrf_token(page), "label_nato": "NATO side", "label_pakistan": "PK"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [g.label for g in ws.groups] == ["NATO side", "PK"]
    same = client.post(
        f"/workshops/{ws.slug}/groups",
        data={"csrf_token": csrf_token(page), "label_nato": "x", "label_pakistan": "X"},
    )
    assert same.status_code == 200 and "same label" in same.get_data(as_text=True)
    db.session.expire_all()
    assert [g.label for g in ws.groups] == ["NATO side", "PK"]
    client.post(f"/workshops/{ws.slug}/groups/nato/new-code", data={"csrf_token": csrf_token(page)})
    db.session.expire_all()
    with pytest.raises(JoinCodeInvalid):
        group_for_join_code(old_code)
