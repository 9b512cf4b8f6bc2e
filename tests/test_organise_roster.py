"""Roster import: parsing, line-numbered problems, matching on re-import, and the web flow."""

import io
import re

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, Participant, ParticipantContact, ResponseStatus
from survey.organise.invitations import cards, invitation_rows
from survey.organise.roster import parse_roster
from survey.organise.roster_import import apply_roster
from survey.organise.roster_plan import RosterError, RowAction
from survey.public_ids import PUBLIC_ID_ALPHABET
from survey.tokens import invitation_for_token, invitation_token
from survey.uploads import confirmed_upload
from tests.conftest import csrf_token, sign_in
from tests.respond_helpers import token_of

HEADER = "external_id,name,email,group,sector,language\n"


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode()


def _participants(ws) -> list[Participant]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Participant).where(Participant.workshop_id == ws.id).order_by(Participant.id)
        )
    )


def _import(ws, data: bytes):
    plan = parse_roster(ws, data)
    assert plan.valid, plan.problems
    apply_roster(ws, plan)
    db.session.commit()
    return plan


def test_a_valid_file_with_bom_urdu_and_quoted_fields_is_imported(app, make):
    ws = make.workshop()
    data = "\ufeff".encode() + _csv(
        "A1,عائشہ خان,aisha@example.org,pakistan,government,ur",
        'A2,"Smith, John",john@example.org,NATO,military,en',
        'A3,"Line one\nline two",,nato,Diplomatic service,FR',
    )
    plan = _import(ws, data)
    assert plan.counts() == {"added": 3, "updated": 0, "unchanged": 0, "skipped": 0}
    people = _participants(ws)
    assert [p.external_id for p in people] == ["A1", "A2", "A3"]
    assert people[0].contact.name == "عائشہ خان"
    assert people[0].group.code == "pakistan" and people[0].language == "ur"
    assert people[1].contact.name == "Smith, John" and people[1].group.code == "nato"
    assert people[2].contact.name == "Line one line two"  # a name is one line
    assert people[2].sector == "diplomatic" and people[2].language == "fr"


def test_every_new_participant_gets_a_random_public_id_and_a_working_link(app, make):
    ws = make.workshop()
    _import(ws, _csv(*(f"X{i},Person {i},,nato,," for i in range(20))))
    people = _participants(ws)
    ids = [p.public_id for p in people]
    assert len(set(ids)) == 20
    assert all(re.fullmatch(f"P[{PUBLIC_ID_ALPHABET}]{{6}}", i) for i in ids)
    assert ids != sorted(ids)  # random, not a running number (sorted by chance: 1 in 20!)
    for p in people:
        assert len(p.invitations) == 1
        assert invitation_for_token(invitation_token(p.invitations[0])).participant.id == p.id


def test_an_import_reads_the_same_whatever_the_roster_size(app, make, count_statements):
    """New participants' first links are issued without looking up each one's invitations (a
    roster of 3,000 took 4.7 s, most of it a look-up and a flush for each participant). What
    is written grows with the roster: one INSERT a row where the ids must come back (SQLite),
    one statement for all of them elsewhere."""
    reads = []
    for size in (3, 30):
        ws = make.workshop(f"roster-{size}")
        lines = (f"X{i},Person {i},p{i}@example.org,nato,," for i in range(size))
        plan = parse_roster(ws, _csv(*lines))
        with count_statements() as seen:
            apply_roster(ws, plan)
            db.session.commit()
        reads.append([s for s in seen.statements if s.lstrip().upper().startswith("SELECT")])
        assert len(seen.statements) <= 2 * size + len(reads[-1]) + 3  # + contacts, audit
        people = _participants(ws)
        assert len(people) == size and all(len(p.invitations) == 1 for p in people)
        assert {p.invitations[0].issue for p in people} == {1}
    assert len(reads[0]) == len(reads[1]) == 1, reads  # the public ids taken


def test_a_line_without_a_language_leaves_it_to_the_browser(app, make):
    ws = make.workshop(open_waves=("pre",))
    _import(ws, _csv("A1,Ana,,nato,,"))
    (ana,) = _participants(ws)
    assert ana.language is None
    (row,) = invitation_rows(ws, "http://survey.test")
    (card,) = cards(ws, "http://survey.test").items
    assert row.language is None and card.language == "en"  # the questionnaire's default

    browser = app.test_client()
    link = browser.get(f"/s/{token_of(ana)}", headers={"Accept-Language": "ur-PK,ur;q=0.9"})
    page = browser.get(link.location, headers={"Accept-Language": "ur-PK,ur;q=0.9"})
    assert '<html lang="ur" dir="rtl"' in page.text


def test_a_file_full_of_errors_reports_each_line_and_writes_nothing(app, make):
    ws = make.workshop()
    data = _csv(
        "A1,Good Row,good@example.org,nato,,en",  # line 2: fine
        "A2,No Group,,,,",  # line 3
        'A3,"Quoted\nacross lines",,martians,,',  # lines 4-5: unknown group
        "A4,Bad Mail,not-an-email,nato,,",  # line 6
        "A5,Bad Sector,,nato,astronaut,",  # line 7
        "A6,Bad Language,,nato,,de",  # line 8
        "A1,Duplicate,,pakistan,,",  # line 9: same external_id as line 2
        "A7,Too,many,nato,,,extra",  # line 10
        "A2,Again,,martians,,",  # line 11: unknown group and the same external_id as line 3
    )
    plan = parse_roster(ws, data)
    assert not plan.valid
    by_line = {}
    for problem in plan.problems:
        by_line.setdefault(problem.line, []).append(problem.message)
    assert sorted(by_line) == [3, 4, 6, 7, 8, 9, 10, 11]
    assert "group is missing" in by_line[3][0]
    assert "martians" in by_line[4][0] and "continues to line 5" in by_line[4][0]
    assert "not-an-email" in by_line[6][0]
    assert "astronaut" in by_line[7][0]
    assert "de" in by_line[8][0]
    assert "line 2" in by_line[9][0]
    assert "7 values" in by_line[10][0]
    assert "martians" in by_line[11][0] and "same external_id as line 3" in by_line[11][1]
    try:
        apply_roster(ws, plan)
    except RosterError as error:
        assert "line 3" in str(error)
    else:
        raise AssertionError("an invalid plan was applied")
    db.session.rollback()
    assert _participants(ws) == []


def test_not_utf8_is_refused_with_the_line_of_the_first_bad_byte(app, make):
    ws = make.workshop()
    data = _csv("A1,Ana,,nato,,") + "A2,José,,nato,,\n".encode("latin-1")
    plan = parse_roster(ws, data)
    assert [(p.line, "UTF-8" in p.message) for p in plan.problems] == [(3, True)]


def test_header_problems(app, make):
    ws = make.workshop()
    plan = parse_roster(ws, b"name,emial\nAna,a@example.org\n")
    messages = " ".join(str(p) for p in plan.problems)
    assert "unknown column “emial”" in messages and "“group” is required" in messages
    assert parse_roster(ws, b"").problems[0].message.startswith("the file is empty")
    assert "no participants" in parse_roster(ws, b"group\n").problems[0].message


def test_an_unknown_column_is_named_as_the_file_writes_it(app, make):
    # Read as "e_mail", but the organiser looks for what their spreadsheet's header says.
    ws = make.workshop()
    plan = parse_roster(ws, b"Group;Mail;Phone number\nnato;a@example.org;1\n")
    messages = [p.message for p in plan.problems]
    assert [m.split(" (")[0] for m in messages] == [
        "unknown column “Mail”",
        "unknown column “Phone number”",
    ]


@pytest.mark.parametrize("header", ["E-mail", "e-mail address", "Email Address", "EMAIL"])
def test_the_address_column_may_be_spelt_as_the_console_and_spreadsheets_do(app, make, header):
    ws = make.workshop()
    plan = parse_roster(ws, f"Group,{header}\nnato,a@example.org\n".encode())
    assert plan.problems == [] and [line.email for line in plan.lines] == ["a@example.org"]


def test_a_repeated_column_is_one_problem(app, make):
    ws = make.workshop()
    plan = parse_roster(ws, b"group,name,group\nnato,Ana,nato\n")
    assert [str(p) for p in plan.problems] == ["line 1: the column “group” appears twice"]


def test_headers_are_forgiving_and_semicolons_work(app, make):
    ws = make.workshop()
    plan = parse_roster(ws, "External ID;Name;Group\nB1;Zoé;Pakistan\n".encode())
    assert plan.valid, plan.problems
    assert plan.lines[0].external_id == "B1" and plan.lines[0].group == "pakistan"


def test_a_file_over_the_size_limit_is_refused(app, make):
    ws = make.workshop()
    app.config["ROSTER_MAX_BYTES"] = 100
    plan = parse_roster(ws, _csv(*(f"A{i},Someone,,nato,," for i in range(10))))
    assert "larger than" in plan.problems[0].message


def test_reimport_matches_by_external_id_then_email_then_name_and_group(app, make):
    ws = make.workshop()
    _import(
        ws,
        _csv(
            "A1,Ana,ana@example.org,nato,,en",
            ",Bo,bo@example.org,nato,,en",
            ",Cy,,pakistan,,en",
        ),
    )
    before = {p.contact.name: p.public_id for p in _participants(ws)}
    plan = parse_roster(
        ws,
        _csv(
            "A1,Ana Maria,ana@example.org,nato,,en",  # external_id: renamed
            "B2,Bo,BO@example.org,nato,,fr",  # e-mail (any case): gets an external_id
            ",Cy,,PAKISTAN,,en",  # name and group (a code in any case)
            "D4,Dee,,nato,,en",  # new
        ),
    )
    assert plan.valid, plan.problems
    actions = [(line.action, line.matched_by, line.changes) for line in plan.lines]
    assert actions == [
        (RowAction.UPDATED, "external_id", ("name",)),
        (RowAction.UPDATED, "email", ("external_id", "language")),
        (RowAction.UNCHANGED, "name and group", ()),
        (RowAction.ADDED, None, ()),
    ]
    apply_roster(ws, plan)
    db.session.commit()
    people = {p.contact.name: p for p in _participants(ws)}
    assert len(people) == 4
    assert people["Ana Maria"].public_id == before["Ana"]
    assert people["Bo"].external_id == "B2" and people["Bo"].language == "fr"
    assert people["Cy"].public_id == before["Cy"]


def test_importing_the_same_file_twice_changes_nothing(app, make):
    ws = make.workshop()
    data = _csv("A1,Ana,ana@example.org,nato,government,en", ",Bo,,pakistan,,ur")
    _import(ws, data)
    plan = _import(ws, data)
    assert plan.counts()["unchanged"] == 2 and plan.counts()["added"] == 0
    assert len(_participants(ws)) == 2


def test_a_row_without_id_email_or_name_is_added_again_and_said_so(app, make):
    ws = make.workshop()
    data = _csv(",,,nato,military,en")
    _import(ws, data)
    plan = _import(ws, data)
    assert plan.counts()["added"] == 1
    assert "added as a new participant" in plan.notes[0].message and plan.notes[0].line == 2
    assert len(_participants(ws)) == 2


def test_a_withdrawn_participant_is_skipped(app, make):
    ws = make.workshop()
    p = make.participant(ws, external_id="A1")
    p.withdrawn_at = make.now()
    db.session.commit()
    plan = _import(ws, _csv("A1,Ana,,nato,,"))
    assert plan.lines[0].action is RowAction.SKIPPED
    assert "withdrawn" in plan.notes[0].message
    assert len(_participants(ws)) == 1


def test_group_cannot_change_once_the_participant_has_answered(app, make):
    ws = make.workshop()
    p = make.participant(ws, "nato", external_id="A1")
    make.response(p, "pre", status=ResponseStatus.IN_PROGRESS)
    plan = parse_roster(ws, _csv("A1,,,pakistan,,"))
    assert "already answered" in plan.problems[0].message
    q = make.participant(ws, "nato", external_id="B1")
    plan = parse_roster(ws, _csv("B1,,,pakistan,,"))
    assert plan.valid and plan.lines[0].changes == ("group",)
    apply_roster(ws, plan)
    db.session.commit()
    db.session.refresh(q)
    assert q.group.code == "pakistan"


def test_two_rows_matching_one_participant_or_ambiguous_names_are_problems(app, make):
    ws = make.workshop()
    make.participant(ws, external_id="A1", email="ana@example.org")
    make.participant(ws, name="Sam")
    make.participant(ws, name="Sam")
    plan = parse_roster(ws, _csv("A1,,,nato,,", ",,ana@example.org,nato,,", ",Sam,,nato,,"))
    messages = [str(p) for p in plan.problems]
    assert any(m.startswith("line 3:") and "same participant" in m for m in messages)
    assert any(m.startswith("line 4:") and "2 participants" in m for m in messages)


def test_an_email_matching_someone_with_another_external_id_is_a_problem(app, make):
    ws = make.workshop()
    make.participant(ws, external_id="A1", email="ana@example.org")
    plan = parse_roster(ws, _csv("Z9,,ana@example.org,nato,,"))
    assert "external_id is A1, not Z9" in plan.problems[0].message


# --- the web flow ---------------------------------------------------------------------------


def _upload(client, ws, data: bytes, filename: str = "roster.csv"):
    page = client.get(f"/workshops/{ws.slug}/roster").get_data(as_text=True)
    return client.post(
        f"/workshops/{ws.slug}/roster",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _confirm_fields(html: str) -> dict:
    fields = dict(re.findall(r'name="(payload|csrf_token)"[^>]*value="([^"]*)"', html))
    assert "payload" in fields, "no confirmation form"
    return fields


def test_upload_shows_a_dry_run_and_writes_only_on_confirmation(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    data = _csv("A1,Ana,ana@example.org,nato,,en", '"A2","Smith, Jo",,pakistan,,ur')
    response = _upload(client, ws, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>2</strong> added" in html and "Smith, Jo" in html
    assert _participants(ws) == []  # a dry run only
    fields = _confirm_fields(html)
    checked = confirmed_upload("roster", ws, fields["payload"])
    assert checked.data == data and checked.filename == "roster.csv"  # byte for byte
    response = client.post(f"/workshops/{ws.slug}/roster/confirm", data=fields)
    assert response.status_code == 302 and response.location.endswith("/participants")
    assert len(_participants(ws)) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roster.import"))
    assert event.detail["added"] == 2 and event.detail["file"] == "roster.csv"


def test_a_file_the_roster_already_holds_offers_nothing_to_import(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    data = _csv("A1,Ana,ana@example.org,nato,,en")
    client.post(
        f"/workshops/{ws.slug}/roster/confirm",
        data=_confirm_fields(_upload(client, ws, data).get_data(as_text=True)),
    )
    html = _upload(client, ws, data).get_data(as_text=True)
    assert (
        "<strong>0</strong> added, <strong>0</strong> updated, <strong>1</strong> unchanged" in html
    )
    assert "Nothing to import" in html and "roster/confirm" not in html


def test_the_check_lists_the_lines_that_change_and_counts_the_unchanged(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    _import(ws, _csv("A1,Ana,,nato,,en", "A2,Bilal,,pakistan,,ur", "A3,Chloé,,nato,,fr"))
    again = _csv(
        "A1,Ana,,nato,,en", "A2,Bilal Khan,,pakistan,,ur", "A3,Chloé,,nato,,fr", "A4,Dan,,nato,,"
    )
    html = _upload(client, ws, again).get_data(as_text=True)
    listed = re.findall(r'<tr class="action-(\w+)">\s*<td class="num">(\d+)</td>', html)
    assert listed == [("updated", "3"), ("added", "5")]  # the file's lines, its header line 1
    assert "The 2 unchanged lines are not listed." in html
    html = _upload(client, ws, _csv("A1,Ana,,nato,,en")).get_data(as_text=True)
    assert "Nothing to import" in html and "roster-plan" not in html
    assert "The 1 unchanged line is not listed." not in html  # nothing is listed at all
    html = _upload(client, ws, _csv("A4,Dan,,nato,,")).get_data(as_text=True)
    assert "roster-plan" in html and "not listed" not in html


def test_upload_of_a_bad_file_lists_the_problems_and_offers_no_import(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    response = _upload(client, ws, _csv("A1,Ana,,nato,,", "A2,Bo,,nowhere,,", "A3,Cy,x,nato,,"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<strong>Line 3</strong>" in html and "<strong>Line 4</strong>" in html
    assert "roster/confirm" not in html
    assert _participants(ws) == []


def test_upload_of_a_non_utf8_file_says_so(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    response = _upload(client, ws, "group,name\nnato,Zoë\n".encode("utf-16"))
    assert response.status_code == 422
    assert "not UTF-8" in response.get_data(as_text=True)


def test_confirmation_after_someone_else_changed_the_roster_shows_the_new_plan(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    fields = _confirm_fields(_upload(client, ws, _csv("A1,Ana,,nato,,")).get_data(as_text=True))
    make.participant(ws, external_id="A1", name="Ana Old")  # imported meanwhile
    response = client.post(f"/workshops/{ws.slug}/roster/confirm", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "changed since the check" in html
    assert "<strong>1</strong> updated" in html
    assert '<button type="submit" class="button">Import: update 1</button>' in html
    assert db.session.scalar(select(func.count()).select_from(ParticipantContact)) == 1


def test_tampered_confirmation_is_refused_without_a_500(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    fields = _confirm_fields(_upload(client, ws, _csv("A1,Ana,,nato,,")).get_data(as_text=True))
    fields["payload"] = "not a signed file!"
    assert client.post(f"/workshops/{ws.slug}/roster/confirm", data=fields).status_code == 400
    assert _participants(ws) == []


def test_an_oversized_request_is_refused_with_413(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = _upload(client, ws, _csv(*(f"A{i},Someone,,nato,," for i in range(1000))))
    assert response.status_code == 413
    assert _participants(ws) == []


# --- e-mail addresses -----------------------------------------------------------------------


def test_a_malformed_address_is_a_problem_naming_its_line_and_why(app, make):
    ws = make.workshop()
    plan = parse_roster(
        ws, _csv("A1,Ana,ana@example..org,nato,,", "A2,Bo,bo smith@example.org,nato,,")
    )
    assert [(p.line, p.message) for p in plan.problems] == [
        (2, "“ana@example..org” is not an e-mail address: the part after the @ is not a "
            "domain name"),
        (3, "“bo smith@example.org” is not an e-mail address: it contains a space"),
    ]  # fmt: skip


def test_participants_sharing_an_address_are_flagged(app, make):
    ws = make.workshop()
    data = _csv("A1,Ana,office@example.org,nato,,", "A2,Bo,OFFICE@example.org,nato,,")
    plan = parse_roster(ws, data)
    assert plan.valid, plan.problems
    assert [(n.line, n.message) for n in plan.notes] == [
        (2, "office@example.org is also the address of line 3: their messages will all go to "
            "that one mailbox"),
        (3, "OFFICE@example.org is also the address of line 2: their messages will all go to "
            "that one mailbox"),
    ]  # fmt: skip
    _import(ws, data)
    assert _import(ws, data).counts()["unchanged"] == 2  # and a re-import tells them apart


def test_an_address_another_participant_has_already_is_flagged(app, make):
    ws = make.workshop()
    other = make.participant(ws, external_id="A9", email="ana@example.org")
    make.participant(ws, external_id="A2", email="bo@example.org")
    plan = parse_roster(ws, _csv("A2,Bo,ana@example.org,nato,,"))
    assert plan.valid, plan.problems
    assert [n.message for n in plan.notes] == [
        f"ana@example.org is also the address of {other.public_id}: their messages will all go "
        "to that one mailbox"
    ]
    assert parse_roster(ws, _csv("A2,Bo,bo@example.org,nato,,")).notes == []


def test_sharing_an_address_needs_an_external_id_each(app, make):
    ws = make.workshop()
    plan = parse_roster(
        ws, _csv(",Ana,office@example.org,nato,,", "A2,Bo,office@example.org,nato,,")
    )
    assert [(p.line, p.message) for p in plan.problems] == [
        (3, "the same e-mail as line 2; participants who share an address need an external_id "
            "each"),
    ]  # fmt: skip


def test_the_check_page_shows_a_shared_address_as_a_warning(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    response = _upload(
        client, ws, _csv("A1,Ana,office@example.org,nato,,", "A2,Bo,office@example.org,nato,,")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "roster/confirm" in html
    assert "is also the address of line 3" in html


def test_a_quote_left_open_is_a_problem_at_its_line_not_a_name(app, make):
    ws = make.workshop()
    plan = parse_roster(ws, b'group,name\nnato,Ana\nnato,"Bilal\npakistan,Chen\n')
    assert [str(p) for p in plan.problems] == [
        'line 3: the CSV cannot be read: a quoted cell is never closed (a " opens it and no " '
        "ends it)"
    ]
    stray = parse_roster(ws, b'group,name\nnato,"Ana"s\n')
    assert [p.line for p in stray.problems] == [2]
    assert "written twice" in str(stray.problems[0])
