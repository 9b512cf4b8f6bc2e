"""The console's e-mail pages (counts, confirmation and sending, failures, schedule, message
templates with a preview) and the participants' opt-out page."""

import logging
import re

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.mail.content import message_template
from survey.mail.schedule import wave_schedule
from survey.mail.sending import send_batch
from survey.mail.status import wave_counts, wave_log
from survey.models import AuditEvent, MailMessage, MessageKind, ResponseStatus, StaffUser
from survey.organise.participants import withdraw_participant
from survey.organise.workshops import close_wave
from survey.redaction import RedactingFilter
from survey.tokens import current_invitation, invitation_token, optout_token
from tests.conftest import csrf_token, free_port, mangled, page_token, sign_in

#: What a mail program posts for its own "Unsubscribe" (RFC 8058).
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def console(app, make, client):
    """A workshop with three participants (one without an address) and its organiser signed in."""
    ws = make.workshop("islamabad", title="Islamabad dialogue")
    people = [
        make.participant(ws, name="Ana", email="ana@example.org"),
        make.participant(ws, "pakistan", language="ur", name="Bilal", email="bilal@example.pk"),
        make.participant(ws, name="Cy"),
    ]
    sign_in(client, make.user(grants={ws: "organiser"}))
    return ws, people


def _post_form(client, page_path: str, action: str, data: dict | None = None):
    page = client.get(page_path)
    assert page.status_code == 200, page.status_code
    fields = {"csrf_token": csrf_token(page.get_data(as_text=True)), **(data or {})}
    return client.post(action, data=fields)


def test_the_console_confirms_then_sends(app, smtp_server, console, client):
    ws, _ = console
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    confirm = client.get(f"{base}/invitation").get_data(as_text=True)
    assert "<strong>2</strong> messages will go" in confirm
    assert "1: no e-mail address" in confirm
    response = _post_form(client, f"{base}/invitation", f"{base}/invitation")
    assert response.status_code == 302 and response.location == base
    page = client.get(base).get_data(as_text=True)
    assert "Invitation: 2 sent." in page
    assert len(smtp_server.messages) == 2
    overview = client.get(f"/workshops/{ws.slug}/mail").get_data(as_text=True)
    assert "2 of 3" in overview
    assert ">Invitation, in Urdu</a>" in overview  # the messages by language, named
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.batch"))
    assert event.detail["via"] == "web" and event.actor.endswith("@example.org")


def test_sending_needs_the_csrf_token(app, smtp_server, console, client):
    ws, _ = console
    response = client.post(f"/workshops/{ws.slug}/mail/waves/pre/invitation")
    assert response.status_code == 400
    assert smtp_server.messages == []


def test_failures_show_the_servers_reply(app, smtp_server, console, client):
    ws, people = console
    smtp_server.refuse["bilal@example.pk"] = "550 5.1.1 mailbox unavailable"
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    _post_form(client, f"{base}/invitation", f"{base}/invitation")
    page = client.get(base).get_data(as_text=True)
    assert "1 failed (see below)" in page
    assert "550 5.1.1 mailbox unavailable" in page and people[1].public_id in page


def test_a_server_that_is_down_is_said_and_nothing_is_recorded(app, console, client):
    app.config["MAIL_PORT"] = free_port()
    ws, _ = console
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    _post_form(client, f"{base}/invitation", f"{base}/invitation")
    page = client.get(base).get_data(as_text=True)
    assert "The batch stopped: the mail server 127.0.0.1:" in page
    assert db.session.scalars(select(MailMessage)).all() == []


def test_unknown_outcomes_are_listed_and_resent_only_on_request(app, smtp_server, console, client):
    ws, people = console
    db.session.add(
        MailMessage(
            participant_id=people[0].id, wave_id=ws.wave("pre").id, kind="invitation", round="",
            address="ana@example.org",
        )
    )  # fmt: skip
    db.session.commit()
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    page = client.get(base).get_data(as_text=True)
    assert "Outcome unknown" in page and people[0].public_id in page
    assert "1 earlier message may or may not have gone" in client.get(
        f"{base}/invitation"
    ).get_data(as_text=True)
    _post_form(client, f"{base}/invitation", f"{base}/invitation")
    assert [r for r, _ in smtp_server.messages] == [["bilal@example.pk"]]
    confirm = client.get(f"{base}/invitation?unknown=1").get_data(as_text=True)
    assert "<strong>1</strong> message will go" in confirm
    _post_form(
        client, f"{base}/invitation?unknown=1", f"{base}/invitation", {"resend_unknown": "y"}
    )
    assert smtp_server.to("ana@example.org")


def test_reminders_from_the_console_skip_those_who_submitted(
    app, smtp_server, console, client, make
):
    app.config["MAIL_REMINDER_GAP_HOURS"] = 0
    ws, people = console
    make.response(people[0], "pre", status=ResponseStatus.SUBMITTED)
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    confirm = client.get(f"{base}/reminder").get_data(as_text=True)
    assert "<strong>1</strong> message will go" in confirm
    _post_form(client, f"{base}/reminder", f"{base}/reminder")
    assert [r for r, _ in smtp_server.messages] == [["bilal@example.pk"]]


def test_a_closed_wave_offers_no_sending(app, console, client, make):
    ws, _ = console
    response = client.get(f"/workshops/{ws.slug}/mail/waves/post/reminder")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "not open" in page


def test_the_reminder_schedule(app, console, client):
    ws, _ = console
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    add = _post_form(
        client, base, f"{base}/schedule", {"days": "2", "hours": "0", "anchor": "after_opening"}
    )
    assert add.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Reminder added: 2 days after opening." in page
    (entry,) = wave_schedule(ws.wave("pre"))
    # A refused round is said by the form, where the page opens (#schedule), kept as typed.
    assert f'action="{base}/schedule#schedule"' in page
    bad = _post_form(
        client, base, f"{base}/schedule", {"days": "0", "hours": "0", "anchor": "before_closing"}
    )
    form = bad.get_data(as_text=True).split('<h2 id="schedule">')[1].split("<h2>Send log")[0]
    assert bad.status_code == 422 and "too late" in form
    assert '<option selected value="before_closing">' in form
    typo = _post_form(
        client, base, f"{base}/schedule", {"days": "3", "hours": "30", "anchor": "after_opening"}
    )
    form = typo.get_data(as_text=True).split('<h2 id="schedule">')[1].split("<h2>Send log")[0]
    assert typo.status_code == 422 and "between 0 and 23" in form and 'value="3"' in form
    assert len(wave_schedule(ws.wave("pre"))) == 1
    assert client.post(f"{base}/schedule/{entry.id}/remove").status_code == 400  # no CSRF token
    assert len(wave_schedule(ws.wave("pre"))) == 1
    _post_form(client, base, f"{base}/schedule/{entry.id}/remove")
    assert wave_schedule(ws.wave("pre")) == []
    assert _post_form(client, base, f"{base}/schedule/999/remove").status_code == 404


def test_a_closed_wave_takes_no_reminders(app, console, client):
    ws, _ = console
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    token = page_token(client, base)
    close_wave(ws.wave("pre"))
    db.session.commit()
    page = client.get(base).get_data(as_text=True)
    assert "The wave has closed" in page and "Add the reminder" not in page
    assert '<span class="state state-closed">closed</span>, closed 20' in page  # not "closes"
    # Begun and not submitted: "Started" is the monitor's word for every response begun.
    assert "<dt>In progress</dt>" in page and "<dt>Started</dt>" not in page
    data = {"csrf_token": token, "days": "1", "hours": "0", "anchor": "after_opening"}
    refused = client.post(f"{base}/schedule", data=data)
    assert refused.status_code == 422
    assert "has closed: a reminder would never be sent" in refused.get_data(as_text=True)
    assert wave_schedule(ws.wave("pre")) == []


def test_editing_a_template_with_a_preview(app, console, client):
    ws, people = console
    path = f"/workshops/{ws.slug}/mail/messages/invitation/ur"
    page = client.get(path).get_data(as_text=True)
    assert "<h1>Invitation, in Urdu</h1>" in page and f'action="{path}/reset"' not in page
    assert "native speaker" in page
    assert people[1].public_id in page and "آپ کا ذاتی لنک" in page  # Bilal reads Urdu
    preview = _post_form(
        client,
        path,
        path,
        {"subject": "Hi {wave}", "body": "Salam {name}: {link}", "action": "preview"},
    ).get_data(as_text=True)
    assert "Salam Bilal: " in preview and "/s/" in preview
    assert not message_template(ws, MessageKind.INVITATION, "ur").customised  # not saved
    bad = _post_form(client, path, path, {"subject": "Hi", "body": "no link", "action": "save"})
    assert bad.status_code == 422 and "must contain {link}" in bad.get_data(as_text=True)
    saved = _post_form(
        client, path, path, {"subject": "Hi {wave}", "body": "Salam {link}", "action": "save"}
    )
    assert saved.status_code == 302
    assert message_template(ws, MessageKind.INVITATION, "ur").body == "Salam {link}"
    assert f'action="{path}/reset"' in client.get(path).get_data(as_text=True)
    _post_form(client, path, f"{path}/reset")
    assert not message_template(ws, MessageKind.INVITATION, "ur").customised
    assert client.get(f"/workshops/{ws.slug}/mail/messages/invitation/de").status_code == 404
    assert client.get(f"/workshops/{ws.slug}/mail/messages/letter/en").status_code == 404


def test_a_templates_problems_are_listed_at_the_top_and_said_at_their_field(app, console, client):
    ws, _ = console
    path = f"/workshops/{ws.slug}/mail/messages/invitation/en"
    bad = _post_form(client, path, path, {"subject": "Hi {name}", "body": "Hi", "action": "save"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert '<a href="#subject">Subject: The subject names {name}' in summary
    assert '<a href="#body">Message: The message must contain {link}' in summary
    # The subject's problem is said at the subject, not again at the message.
    body_error = re.search(r'<p class="error-message" id="body-error">(.*?)</p>', html).group(1)
    assert "subject" not in body_error
    # A screen reader hears the field's hint and its problem, not the problem alone.
    subject = re.search(r'<input[^>]*id="subject"[^>]*>', html).group(0)
    assert 'aria-describedby="subject-hint subject-error"' in subject
    assert 'aria-invalid="true"' in subject


def test_the_preview_is_for_the_participant_and_wave_chosen(app, console, client):
    ws, people = console
    path = f"/workshops/{ws.slug}/mail/messages/invitation/en"
    chosen = client.get(f"{path}?participant={people[2].public_id}&wave=post")
    page = chosen.get_data(as_text=True)
    assert f'<option value="{people[2].public_id}" selected>' in page
    assert '<option value="post" selected>' in page
    assert "Dear Cy," in page
    post_title = ws.instrument.wave_title("post", "en")
    assert post_title in page and ws.instrument.wave_title("pre", "en") not in page
    # Someone who is not taking part falls back to the default choice.
    other = client.get(f"{path}?participant=nobody").get_data(as_text=True)
    assert f'<option value="{people[0].public_id}" selected>' in other


def test_a_trial_goes_to_the_organiser_with_links_that_lead_nowhere(
    app, smtp_server, console, client
):
    ws, people = console
    organiser = next(u for u in db.session.scalars(select(StaffUser)))
    path = f"/workshops/{ws.slug}/mail/messages/invitation/ur"
    text = {"subject": "دعوت {wave}", "body": "{greeting}\n\n{link}", "action": "trial"}
    response = _post_form(client, path, path, text)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"A trial of this text is sent to {organiser.email}" in page
    (message,) = smtp_server.to(organiser.email)
    assert message["Subject"].strip().startswith("[Trial] دعوت")  # folded: a leading space
    body = message.get_body(("plain",)).get_content()
    assert "Bilal" in body  # as the participant previewed would read it
    assert "http://survey.test/s/trial-message-link" in body
    assert invitation_token(current_invitation(people[1])) not in message.as_string()
    assert optout_token(people[1]) not in message.as_string()
    assert client.get("/s/trial-message-link").status_code == 404  # leads nowhere
    assert not message_template(ws, MessageKind.INVITATION, "ur").customised  # not saved
    assert db.session.scalar(select(MailMessage.id)) is None  # the send log is untouched
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.trial")).one()
    assert event.detail == {
        "kind": "invitation",
        "language": "ur",
        "wave": "pre",
        "to": organiser.email,
    }


def test_a_trial_that_cannot_go_says_why_and_a_bad_text_is_not_sent(app, console, client):
    ws, _ = console
    path = f"/workshops/{ws.slug}/mail/messages/invitation/en"
    bad = _post_form(client, path, path, {"subject": "Hi", "body": "no link", "action": "trial"})
    assert bad.status_code == 422 and "must contain {link}" in bad.get_data(as_text=True)
    assert "The trial" not in bad.get_data(as_text=True)  # neither sent nor tried
    text = {"subject": "Hi", "body": "{link}", "action": "trial"}
    failed = _post_form(client, path, path, text)  # MAIL_PORT 9: nothing listens
    assert "The trial was not sent: the mail server" in failed.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.trial")) is None


# --- opting out -----------------------------------------------------------------------------


def test_opting_out_asks_first_then_stops_the_mail(app, smtp_server, make, client):
    ws = make.workshop("islamabad")
    p = make.participant(ws, language="fr", email="chloe@example.fr")
    path = f"/optout/{optout_token(p)}"
    page = client.get(path)
    assert page.status_code == 200
    assert "Arrêter les e-mails" in page.get_data(as_text=True)  # her language
    client.get(path)  # a mail scanner following the link changes nothing
    db.session.refresh(p)
    assert p.mail_opt_out_at is None
    done = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert done.status_code == 302 and done.location == path
    db.session.refresh(p)
    assert p.mail_opt_out_at is not None
    assert "Plus d'e-mails" in client.get(path).get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.opt_out"))
    assert event.detail == {"participant": p.public_id}
    assert optout_token(p) not in str(event.detail) + event.actor
    result = send_batch(ws.wave("pre"), MessageKind.INVITATION, base="http://survey.test")
    assert result.counts() == "sent 0, failed 0, skipped 1"
    assert smtp_server.messages == []


def test_an_optout_post_needs_the_csrf_token(app, make, client):
    p = make.participant(make.workshop(), email="ana@example.org")
    assert client.post(f"/optout/{optout_token(p)}").status_code == 400
    db.session.refresh(p)
    assert p.mail_opt_out_at is None


def test_a_mail_programs_one_click_unsubscribe_stops_the_mail_at_once(app, make, client):
    """RFC 8058: the mail program posts `List-Unsubscribe=One-Click` to the message's
    List-Unsubscribe address, with no cookie and no CSRF token."""
    p = make.participant(make.workshop(), email="ana@example.org")
    path = f"/optout/{optout_token(p)}"
    answer = client.post(path, data=ONE_CLICK)

    assert answer.status_code == 200  # read by the mail program: no redirect to follow
    db.session.refresh(p)
    assert p.mail_opt_out_at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.opt_out"))
    # Anything else posted without the page's token is still refused; a bad token still is.
    other = make.participant(p.workshop, email="bo@example.org")
    refused = client.post(f"/optout/{optout_token(other)}", data={"List-Unsubscribe": "yes"})
    assert refused.status_code == 400
    forged = client.post(f"/optout/{mangled(optout_token(other))}", data=ONE_CLICK)
    assert forged.status_code == 404
    db.session.refresh(other)
    assert other.mail_opt_out_at is None


def test_a_bad_or_withdrawn_optout_link_is_the_invalid_link_page(app, make, client):
    p = make.participant(make.workshop(), email="ana@example.org")
    token = optout_token(p)
    assert client.get(f"/optout/{mangled(token)}").status_code == 404
    assert client.get("/optout/" + "A" * 500).status_code == 404
    assert client.get("/optout/%%%").status_code == 404
    withdraw_participant(p)
    db.session.commit()
    assert client.get(f"/optout/{token}").status_code == 404


def test_optout_tokens_are_kept_out_of_the_logs(app, make):
    p = make.participant(make.workshop())
    token = optout_token(p)
    record = logging.LogRecord("x", logging.INFO, "", 0, "GET /optout/%s 200", (token,), None)
    RedactingFilter().filter(record)
    assert token not in record.getMessage() and "/optout/[redacted]" in record.getMessage()


def test_organisers_see_who_opted_out(app, console, client):
    ws, people = console
    people[0].mail_opt_out_at = people[0].created_at
    db.session.commit()
    page = client.get(f"/workshops/{ws.slug}/mail").get_data(as_text=True)
    assert people[0].public_id in page and "Ana" in page.split("Opted out")[1]
    wave = client.get(f"/workshops/{ws.slug}/mail/waves/pre").get_data(as_text=True)
    assert "opted out" in wave


def test_without_a_sender_the_console_says_what_to_set(app, console, client):
    app.config["MAIL_DEFAULT_SENDER"] = None
    ws, (ana, _, _) = console
    assert "MAIL_DEFAULT_SENDER" in client.get(f"/workshops/{ws.slug}/mail").get_data(as_text=True)
    # A new link is not offered by e-mail, ticked, only to fail once given.
    page = client.get(f"/workshops/{ws.slug}/participants/{ana.public_id}/reissue").text
    assert 'name="email"' not in page
    assert "The new link cannot be e-mailed from here: set MAIL_DEFAULT_SENDER" in page


def test_the_counts_of_a_wave(app, smtp_server, console, make):
    from survey.mail.status import wave_log

    ws, people = console
    extra = make.participant(ws, email="dee@example.org")
    make.response(extra, "pre")
    make.response(people[1], "pre", status=ResponseStatus.IN_PROGRESS)
    smtp_server.refuse["bilal@example.pk"] = "550 no"
    send_batch(ws.wave("pre"), MessageKind.INVITATION, base="http://survey.test")
    counts = wave_log(ws.wave("pre")).counts()
    assert counts == {
        "participants": 4,
        "with_address": 3,
        "not_invited": 1,  # Bilal (refused); Dee has submitted, Cy has no address
        "invited": 1,
        "failed": 1,
        "unknown": 0,
        "reminded": 0,
        "opted_out": 0,
        "started": 1,
        "submitted": 1,
    }


def test_the_overview_reads_the_participants_once_for_every_wave(
    app, console, client, count_statements
):
    """The counts of each wave come from one read of the participants (at 10,000 of them each
    read is most of a second), each wave's messages and responses apart; the counts are each
    wave's own."""
    ws, _ = console
    with count_statements() as seen:
        page = client.get(f"/workshops/{ws.slug}/mail")
    assert page.status_code == 200
    participant_reads = [s for s in seen.statements if re.search(r"FROM participant JOIN", s)]
    assert len(participant_reads) == 1, participant_reads
    counts = dict(wave_counts(ws))
    assert set(counts) == set(ws.waves)
    for wave in ws.waves:
        assert counts[wave] == wave_log(wave).counts()


def test_the_send_log_comes_a_page_at_a_time_under_counts_of_everyone(
    app, console, client, make, monkeypatch
):
    from survey.mail import status

    monkeypatch.setattr(status, "SEND_LOG_PER_PAGE", 2)
    ws, _ = console
    make.participant(ws, name="Dee", email="dee@example.org")
    roster = [row.participant.public_id for row in wave_log(ws.wave("pre")).rows]
    base = f"/workshops/{ws.slug}/mail/waves/pre"
    first, second = client.get(base).text, client.get(f"{base}?page=2").text
    listed = [
        re.findall(r'<th scope="row" role="rowheader">(\w+)</th>', page.split(">Send log<")[1])
        for page in (first, second)
    ]
    assert listed == [roster[:2], roster[2:]]
    assert "Participants 1–2 of 4" in first and "Participants 3–4 of 4" in second
    assert f'href="{base}?page=2#send-log"' in first
    assert f'href="{base}?page=1#send-log"' in second
    for page in (first, second):  # the counts are of every participant
        assert "3 of 4 participants have an e-mail address" in page
    for wrong in ("0", "3", "x", "1.5"):
        assert client.get(f"{base}?page={wrong}").status_code == 404


LINK = re.compile(r"http://(?:localhost|survey\.test)(/s/[A-Za-z0-9_-]+)")


def _link_in(message) -> str:
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def test_a_new_link_is_e_mailed_by_itself_as_the_invitation(app, smtp_server, console, client):
    ws, (ana, bilal, cy) = console
    send_batch(ws.wave("pre"), MessageKind.INVITATION, base="http://localhost")
    old = _link_in(smtp_server.to("ana@example.org")[0])
    url = f"/workshops/{ws.slug}/participants/{ana.public_id}/reissue"
    page = client.get(url).get_data(as_text=True)
    assert 'name="email" value="1" checked' in page
    assert "E-mail the new link to ana@example.org now, as their invitation to the pre wave" in page
    response = client.post(url, data={"csrf_token": csrf_token(page), "email": "1"})
    assert response.status_code == 302
    assert "The new link was e-mailed to ana@example.org." in client.get(response.location).text
    first, second = smtp_server.to("ana@example.org")
    assert second["Subject"] == first["Subject"] and _link_in(second) != old
    row = db.session.scalar(select(MailMessage).where(MailMessage.round == "link-2"))
    assert (row.participant_id, row.kind) == (ana.id, MessageKind.INVITATION)
    assert (
        "invitation with a new link: sent"
        in client.get(f"/workshops/{ws.slug}/mail/waves/pre").text
    )
    visitor = app.test_client()
    assert visitor.get(old).status_code == 404
    assert visitor.get(_link_in(second)).location.startswith("/q/pre/")
    # Invitations go once: a batch after it leaves them alone, and so for one never invited.
    again = send_batch(ws.wave("pre"), MessageKind.INVITATION, base="http://localhost")
    assert again.sent == 0
    bilal.contact.email = "bilal@example.org"  # not invited at this address yet
    db.session.commit()
    url = f"/workshops/{ws.slug}/participants/{bilal.public_id}/reissue"
    client.post(url, data={"csrf_token": page_token(client, url), "email": "1"})
    assert len(smtp_server.to("bilal@example.org")) == 1
    assert send_batch(ws.wave("pre"), MessageKind.INVITATION, base="http://localhost").sent == 0
    # Without an address (Cy), or left unticked, nothing is sent and the card is the way.
    url = f"/workshops/{ws.slug}/participants/{cy.public_id}/reissue"
    assert 'name="email"' not in client.get(url).text
    client.post(url, data={"csrf_token": page_token(client, url)})
    assert len(smtp_server.messages) == 4


def test_a_new_link_sent_after_a_refused_invitation_counts_as_the_invitation(
    app, smtp_server, console, client
):
    ws, (ana, _, _) = console
    smtp_server.refuse["ana@example.org"] = "451 4.3.0 try again later"
    send_batch(ws.wave("pre"), MessageKind.INVITATION, base="http://localhost")
    del smtp_server.refuse["ana@example.org"]
    url = f"/workshops/{ws.slug}/participants/{ana.public_id}/reissue"
    client.post(url, data={"csrf_token": page_token(client, url), "email": "1"})
    counts = wave_log(ws.wave("pre")).counts()
    assert counts["invited"] == 2 and counts["not_invited"] == 0  # Ana's and Bilal's
