"""Sending batches against a real SMTP server (aiosmtpd on the loopback): who receives what and
in which language, links that open the questionnaire, nothing sent twice, refusals, a server
that is down, a crash between record and send, and the rate limit."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.mail import pacing, smtp
from survey.mail.lock import MailBusy, sending_lock
from survey.mail.optout import opt_out
from survey.mail.recipients import SkipReason
from survey.mail.schedule import manual_round
from survey.mail.sending import send_batch
from survey.models import (
    AuditEvent,
    MailMessage,
    MessageKind,
    MessageStatus,
    Participant,
    ResponseStatus,
    Wave,
)
from survey.organise.participants import withdraw_participant
from survey.organise.workshops import close_wave
from survey.respond.identity import SESSION_KEY

BASE = "http://survey.test"
LINK = re.compile(r"http://survey\.test(/s/[A-Za-z0-9_-]+)")


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


def _invite(ws, wave="pre", **options):
    return send_batch(ws.wave(wave), MessageKind.INVITATION, base=BASE, **options)


def _remind(ws, wave="pre", **options):
    wave_ = ws.wave(wave)
    return send_batch(wave_, MessageKind.REMINDER, manual_round(wave_), base=BASE, **options)


@pytest.fixture
def roster(make):
    """A workshop with participants reading English, Urdu and French, one without an address,
    one withdrawn and one who opted out."""
    ws = make.workshop(title="Islamabad dialogue")
    people = {
        "en": make.participant(ws, "nato", language="en", name="Ana", email="ana@example.org"),
        "ur": make.participant(ws, "pakistan", language="ur", name="Bilal", email="b@example.pk"),
        "fr": make.participant(ws, "nato", language="fr", name="Chloé", email="chloe@example.fr"),
        "none": make.participant(ws, "pakistan", name="Dina"),
        "gone": make.participant(ws, "nato", name="Eve", email="eve@example.org"),
        "out": make.participant(ws, "nato", name="Faz", email="faz@example.org"),
    }
    withdraw_participant(people["gone"])
    people["out"].mail_opt_out_at = make.now()
    db.session.commit()
    return ws, people


def test_each_participant_gets_the_invitation_in_their_language(app, smtp_server, roster):
    ws, _ = roster
    result = _invite(ws)
    assert result.counts() == "sent 3, failed 0, skipped 2"
    assert result.skipped == {SkipReason.NO_ADDRESS: 1, SkipReason.OPTED_OUT: 1}
    assert sorted(r[0] for r, _ in smtp_server.messages) == [
        "ana@example.org",
        "b@example.pk",
        "chloe@example.fr",
    ]
    (en,) = smtp_server.to("ana@example.org")
    (ur,) = smtp_server.to("b@example.pk")
    (fr,) = smtp_server.to("chloe@example.fr")
    assert en["Subject"] == "Islamabad dialogue: Before the workshop"
    assert "Dear Ana," in _text(en) and "Your personal link:" in _text(en)
    assert "Votre lien personnel" in _text(fr) and "Bonjour Chloé," in _text(fr)
    assert "آپ کا ذاتی لنک" in _text(ur)
    assert '<html lang="ur" dir="rtl">' in _html(ur) and 'dir="rtl"' in _html(ur)
    assert '<html lang="fr" dir="ltr">' in _html(fr)
    assert en["Content-Language"] == "en" and ur["Content-Language"] == "ur"
    assert en["From"] == app.config["MAIL_DEFAULT_SENDER"] and en["To"] == "ana@example.org"
    assert en["Auto-Submitted"] == "auto-generated"
    assert en["List-Unsubscribe"].startswith("<http://survey.test/optout/")
    assert en["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058


def test_the_link_in_a_message_opens_that_participants_questionnaire(
    app, smtp_server, roster, client
):
    ws, people = roster
    _invite(ws)
    (message,) = smtp_server.to("chloe@example.fr")
    path = LINK.search(_text(message)).group(1)
    assert path in _html(message)  # the same link in both parts
    opened = client.get(path)
    assert opened.status_code == 302 and opened.location.startswith("/q/pre/")
    page = client.get(opened.location)
    assert page.status_code == 200
    assert 'lang="fr"' in page.get_data(as_text=True)  # Chloé's questionnaire, in French
    with client.session_transaction() as session:
        assert session[SESSION_KEY][0] == people["fr"].id


def test_a_second_run_sends_nothing(app, smtp_server, roster):
    ws, _ = roster
    _invite(ws)
    again = _invite(ws)
    assert again.counts() == "sent 0, failed 0, skipped 5"
    assert again.skipped[SkipReason.SENT] == 3
    assert len(smtp_server.messages) == 3
    assert db.session.scalar(select(db.func.count()).select_from(MailMessage)) == 3


def test_reminders_skip_those_who_submitted(app, smtp_server, make):
    ws = make.workshop()
    done = make.participant(ws, email="done@example.org")
    started = make.participant(ws, email="started@example.org")
    idle = make.participant(ws, email="idle@example.org")
    make.response(done, "pre")
    make.response(started, "pre", status=ResponseStatus.IN_PROGRESS)
    result = _remind(ws)
    assert result.sent == 2 and result.skipped == {SkipReason.SUBMITTED: 1}
    assert sorted(r[0] for r, _ in smtp_server.messages) == [
        "idle@example.org",
        "started@example.org",
    ]
    (message,) = smtp_server.to("idle@example.org")
    assert message["Subject"].startswith("Reminder: ")
    assert "/optout/" in _text(message)
    assert _remind(ws).counts() == "sent 0, failed 0, skipped 3"  # once per round
    assert idle.id and len(smtp_server.messages) == 2


def test_no_reminder_soon_after_an_invitation(app, smtp_server, make):
    ws = make.workshop()
    make.participant(ws, email="ana@example.org")
    _invite(ws)
    assert _remind(ws).skipped == {SkipReason.RECENT: 1}
    app.config["MAIL_REMINDER_GAP_HOURS"] = 0
    assert _remind(ws).sent == 1


def test_a_refused_recipient_is_recorded_and_the_others_are_sent(app, smtp_server, make):
    ws = make.workshop()
    make.participant(ws, email="ana@example.org")
    bad = make.participant(ws, email="nobody@example.org")
    make.participant(ws, email="cy@example.org")
    smtp_server.refuse["nobody@example.org"] = "550 5.1.1 <nobody@example.org>: no such user"
    result = _invite(ws)
    assert result.counts() == "sent 2, failed 1, skipped 0"
    assert result.failed == [
        (bad.public_id, "nobody@example.org", "550 5.1.1 <nobody@example.org>: no such user")
    ]
    assert sorted(r[0] for r, _ in smtp_server.messages) == ["ana@example.org", "cy@example.org"]
    row = db.session.scalar(select(MailMessage).where(MailMessage.participant_id == bad.id))
    assert (row.status, row.permanent) == (MessageStatus.FAILED, True)
    assert row.reply.startswith("550 5.1.1")
    # Refused for good at this address: not tried again, until the address changes.
    assert _invite(ws).skipped[SkipReason.REFUSED] == 1
    bad.contact.email = "somebody@example.org"
    db.session.commit()
    retried = _invite(ws)
    assert retried.sent == 1 and smtp_server.to("somebody@example.org")
    db.session.refresh(row)
    assert (row.status, row.attempts, row.reply) == (MessageStatus.SENT, 2, None)


def test_a_title_with_a_line_break_goes_into_a_one_line_subject(app, smtp_server, make):
    # A browser sends none, but a title stored before its form made it one line, or a wave's
    # title in an instrument, must not forge a header nor stop the batch.
    ws = make.workshop(title="Islamabad\r\nBcc: evil@example.net")
    make.participant(ws, email="ana@example.org")
    result = _invite(ws)
    assert result.counts() == "sent 1, failed 0, skipped 0"
    ((recipients, message),) = smtp_server.messages
    assert recipients == ["ana@example.org"] and message["Bcc"] is None
    assert message["Subject"] == "Islamabad Bcc: evil@example.net: Before the workshop"


def test_a_message_that_cannot_be_written_fails_for_good_and_the_others_go(
    app, smtp_server, make, monkeypatch
):
    ws = make.workshop()
    make.participant(ws, email="ana@example.org")
    bad = make.participant(ws, email="bo@example.org")
    built = smtp.build_email

    def broken_subject(message, to, **options):
        email = built(message, to, **options)
        if to == "bo@example.org":
            email.subject = "line\nbreak"  # what mail's own checks refuse when it is sent
        return email

    monkeypatch.setattr(smtp, "build_email", broken_subject)
    result = _invite(ws)
    assert result.counts() == "sent 1, failed 1, skipped 0"
    row = db.session.scalar(select(MailMessage).where(MailMessage.participant_id == bad.id))
    assert (row.status, row.permanent) == (MessageStatus.FAILED, True)
    assert row.reply.startswith("not sent: ") and "newline" in row.reply


def test_an_address_the_library_cannot_write_fails_alone_and_the_batch_goes_on(
    app, smtp_server, make
):
    # Stored before the roster refused it (a final dot): mail's own checks refuse it.
    ws = make.workshop()
    bad = make.participant(ws, email="bad@example.org.")
    make.participant(ws, email="good@example.org")
    result = _invite(ws)
    assert result.counts() == "sent 1, failed 1, skipped 0"
    row = db.session.scalar(select(MailMessage).where(MailMessage.participant_id == bad.id))
    assert (row.status, row.permanent) == (MessageStatus.FAILED, True)
    assert row.reply.startswith("not sent: ")
    assert smtp_server.to("good@example.org")


def test_a_server_closing_the_connection_stops_the_batch_without_unknown_outcomes(
    app, smtp_server, make
):
    ws = make.workshop()
    for name in ("a", "b", "c"):
        make.participant(ws, email=f"{name}@example.org")
    smtp_server.refuse["b@example.org"] = "421 4.7.0 Too busy, closing connection"
    result = _invite(ws)
    assert result.stopped.startswith("the mail server") and "421 4.7.0" in result.stopped
    rows = {m.address: m.status for m in db.session.scalars(select(MailMessage))}
    assert rows == {"a@example.org": MessageStatus.SENT, "b@example.org": MessageStatus.FAILED}
    del smtp_server.refuse["b@example.org"]
    assert _invite(ws).sent == 2  # b (a temporary failure) and c, in the next batch


def test_an_address_refused_for_good_is_not_tried_by_the_next_kind_or_wave(app, smtp_server, make):
    ws = make.workshop(open_waves=("pre", "post"))
    bad = make.participant(ws, email="nobody@example.org")
    smtp_server.refuse["nobody@example.org"] = "550 5.1.1 no such user"
    assert _invite(ws).failed[0][2] == "550 5.1.1 no such user"
    del smtp_server.refuse["nobody@example.org"]  # the server would take it now: not asked
    for result in (_remind(ws), _invite(ws, "post")):
        assert result.sent == 0 and result.skipped == {SkipReason.REFUSED: 1}
    assert smtp_server.messages == []
    bad.contact.email = "NoBody@example.org"  # the same address, written otherwise
    db.session.commit()
    assert _remind(ws).skipped == {SkipReason.REFUSED: 1}
    bad.contact.email = "somebody@example.org"
    db.session.commit()
    assert _remind(ws).sent == 1 and smtp_server.to("somebody@example.org")


def test_a_temporary_refusal_is_tried_again_by_the_next_batch(app, smtp_server, make):
    ws = make.workshop()
    make.participant(ws, email="busy@example.org")
    smtp_server.refuse["busy@example.org"] = "451 4.3.0 try again later"
    assert _invite(ws).failed[0][2] == "451 4.3.0 try again later"
    del smtp_server.refuse["busy@example.org"]
    assert _invite(ws).sent == 1


def test_a_server_that_is_down_marks_nothing_sent(app, make):
    from tests.conftest import free_port

    app.config["MAIL_PORT"] = free_port()
    ws = make.workshop()
    make.participant(ws, email="ana@example.org")
    result = _invite(ws)
    assert result.stopped and "cannot be reached" in result.stopped
    assert result.sent == 0 and result.remaining == 1
    assert db.session.scalars(select(MailMessage)).all() == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.batch"))
    assert event.detail["stopped"] == result.stopped and event.detail["sent"] == 0


def test_a_crash_between_record_and_send_does_not_resend(app, smtp_server, make, monkeypatch):
    ws = make.workshop()
    p = make.participant(ws, email="ana@example.org")

    def crash(connection, email):
        raise KeyboardInterrupt  # the process dies after the record, before the hand-over

    monkeypatch.setattr(smtp, "deliver", crash)
    with pytest.raises(KeyboardInterrupt):
        _invite(ws)
    monkeypatch.undo()
    db.session.rollback()
    row = db.session.scalar(select(MailMessage))
    assert (row.participant_id, row.status) == (p.id, MessageStatus.PENDING)

    again = _invite(ws)
    assert again.counts() == "sent 0, failed 0, skipped 1"
    assert again.unknown == [p.public_id]
    assert any("unknown" in line for line in again.details())
    assert smtp_server.messages == []

    resent = _invite(ws, resend_unknown=True)
    assert resent.sent == 1 and len(smtp_server.messages) == 1
    db.session.refresh(row)
    assert (row.status, row.attempts) == (MessageStatus.SENT, 2)


def test_a_connection_broken_mid_message_leaves_its_outcome_unknown(
    app, smtp_server, make, monkeypatch
):
    ws = make.workshop()
    first = make.participant(ws, email="ana@example.org")
    make.participant(ws, email="bo@example.org")

    def broken(connection, email):
        return smtp.Outcome(False, stop="the connection broke", unknown=True)

    monkeypatch.setattr(smtp, "deliver", broken)
    result = _invite(ws)
    assert result.stopped == "the connection broke"
    assert result.unknown == [first.public_id] and result.remaining == 1
    statuses = [m.status for m in db.session.scalars(select(MailMessage))]
    assert statuses == [MessageStatus.PENDING]  # the second was never recorded


class FakeClock:
    """Monotonic time that only moves when the batch waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waited: list[float] = []

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float) -> None:
        self.waited.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(pacing, "clock", fake)
    monkeypatch.setattr(pacing, "pause", fake.pause)
    return fake


def _handed_times(monkeypatch, clock) -> list[float]:
    times: list[float] = []
    deliver = smtp.deliver

    def timed(connection, email):
        times.append(clock())
        return deliver(connection, email)

    monkeypatch.setattr(smtp, "deliver", timed)
    return times


def test_the_rate_limit_holds_across_a_batch_and_the_next(
    app, smtp_server, make, clock, monkeypatch
):
    app.config["MAIL_MAX_PER_MINUTE"] = 2
    ws = make.workshop(open_waves=("pre", "post"))
    for i in range(5):
        make.participant(ws, email=f"p{i}@example.org")
    times = _handed_times(monkeypatch, clock)
    assert _invite(ws).sent == 5
    assert len(smtp_server.messages) == 5
    assert all(sum(1 for t in times if start <= t < start + 60) <= 2 for start in times), times
    assert times[-1] - times[0] >= 120
    # The next batch counts the messages of this one: no burst at its start.
    before = len(times)
    assert _invite(ws, "post").sent == 5
    assert times[before] - times[before - 1] >= 59


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: withdraw_participant(p), id="withdraws"),
        pytest.param(lambda p: opt_out(p), id="opts-out"),
        pytest.param(lambda p: setattr(p.contact, "email", "new@example.org"), id="moves"),
    ],
)
def test_a_paced_batch_sends_as_things_are_when_each_message_goes(
    app, smtp_server, make, monkeypatch, change
):
    """A batch paced by the rate limit runs for minutes: a participant who withdraws or opts
    out meanwhile gets nothing (and no new row in the send log), one who changes their address
    gets the message at the new one."""
    app.config["MAIL_MAX_PER_MINUTE"] = 1
    ws = make.workshop()
    make.participant(ws, email="a@example.org")
    later = make.participant(ws, email="b@example.org")
    later_id = later.id
    now = [1000.0]
    monkeypatch.setattr(pacing, "clock", lambda: now[0])

    def pause(seconds):  # an organiser acts on b while the batch waits for its turn
        now[0] += seconds
        change(db.session.get(Participant, later_id))
        db.session.commit()

    monkeypatch.setattr(pacing, "pause", pause)
    result = _invite(ws)
    assert smtp_server.to("b@example.org") == []
    if smtp_server.to("new@example.org"):
        assert result.counts() == "sent 2, failed 0, skipped 0"
        return
    assert result.sent == 1 and result.skipped_total == 1
    logged = select(MailMessage).where(MailMessage.participant_id == later_id)
    assert db.session.scalars(logged).all() == []


def test_a_wave_that_closes_during_a_paced_batch_stops_it(app, smtp_server, make, monkeypatch):
    app.config["MAIL_MAX_PER_MINUTE"] = 1
    ws = make.workshop()
    make.participant(ws, email="a@example.org")
    make.participant(ws, email="b@example.org")
    now = [1000.0]
    monkeypatch.setattr(pacing, "clock", lambda: now[0])

    def pause(seconds):
        now[0] += seconds
        close_wave(db.session.get(Wave, ws.wave("pre").id))
        db.session.commit()

    monkeypatch.setattr(pacing, "pause", pause)
    result = _invite(ws)
    assert result.sent == 1 and result.stopped == "the pre wave has closed"
    assert result.remaining == 1 and smtp_server.to("b@example.org") == []


def test_a_batch_with_a_time_budget_leaves_the_rest_for_later(
    app, smtp_server, make, clock, monkeypatch
):
    app.config["MAIL_MAX_PER_MINUTE"] = 2
    ws = make.workshop()
    for i in range(3):
        make.participant(ws, email=f"p{i}@example.org")
    first = _invite(ws, budget=20)
    assert (first.sent, first.remaining) == (2, 1)
    assert clock.waited == []  # it stopped rather than wait past its budget
    for message in db.session.scalars(select(MailMessage)):  # a minute later
        message.handed_at -= timedelta(seconds=61)
    db.session.commit()
    assert _invite(ws, budget=20).sent == 1


def test_one_batch_at_a_time(app):
    with sending_lock(), pytest.raises(MailBusy), sending_lock():
        pass
    with sending_lock():  # released
        pass


def test_every_batch_is_an_audit_event(app, smtp_server, roster):
    ws, _ = roster
    _invite(ws, actor="cli", via="cli")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.batch"))
    assert event.detail == {
        "wave": "pre",
        "kind": "invitation",
        "round": "invitation",
        "sent": 3,
        "failed": 0,
        "skipped": 2,
        "unknown": 0,
        "not_reached": 0,
        "stopped": None,
        "via": "cli",
    }
    assert event.actor == "cli" and event.workshop_id == ws.id


def test_a_dry_run_sends_and_records_nothing(app, smtp_server, roster):
    ws, _ = roster
    result = _invite(ws, dry_run=True)
    assert result.counts() == "would send 3, skipped 2 (dry run)"
    assert smtp_server.messages == []
    assert db.session.scalars(select(MailMessage)).all() == []


def test_without_a_sender_nothing_is_attempted(app, make):
    app.config["MAIL_DEFAULT_SENDER"] = None
    ws = make.workshop()
    make.participant(ws, email="ana@example.org")
    with pytest.raises(smtp.MailNotConfigured, match="MAIL_DEFAULT_SENDER"):
        _invite(ws)
    assert db.session.scalars(select(MailMessage)).all() == []


def _stopped_batch(reason: str, via: str = "cli") -> dict:
    return {
        "wave": "pre",
        "kind": "invitation",
        "round": "invitation",
        "sent": 0,
        "failed": 0,
        "skipped": 0,
        "unknown": 0,
        "not_reached": 0,
        "stopped": reason,
        "via": via,
    }


def test_a_batch_that_cannot_start_is_recorded_as_stopped(app, smtp_server, make):
    ws = make.workshop()
    make.participant(ws, email="ana@example.org")
    sender, app.config["MAIL_DEFAULT_SENDER"] = app.config["MAIL_DEFAULT_SENDER"], None
    with pytest.raises(smtp.MailNotConfigured) as not_configured:
        _invite(ws, actor="cli", via="cli")
    app.config["MAIL_DEFAULT_SENDER"] = sender
    with sending_lock(), pytest.raises(MailBusy) as busy:
        _invite(ws, actor="cli", via="cli")

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "mail.batch").order_by(AuditEvent.id)
    )
    assert [(e.actor, e.workshop_id, e.detail) for e in events] == [
        ("cli", ws.id, _stopped_batch(str(not_configured.value))),
        ("cli", ws.id, _stopped_batch(str(busy.value))),
    ]
    assert smtp_server.messages == []
    assert db.session.scalars(select(MailMessage)).all() == []


def test_closed_and_unopened_waves_take_no_messages(app, make):
    from survey.mail.errors import MailError

    ws = make.workshop(open_waves=())
    make.participant(ws, email="ana@example.org")
    with pytest.raises(MailError, match="no opening time"):
        _invite(ws)
    with pytest.raises(MailError, match="not open"):
        _remind(ws)


def test_replies_go_to_the_organisers_contact(app, smtp_server, make):
    ws = make.workshop()
    ws.contact_name, ws.contact_email, ws.contact_phone = (
        "Secretariat",
        "desk@example.org",
        "+92 51 1",
    )
    db.session.commit()
    make.participant(ws, email="ana@example.org")
    _invite(ws)
    (message,) = smtp_server.to("ana@example.org")
    assert message["Reply-To"] == "desk@example.org"
    assert "Secretariat" in _text(message) and "+92 51 1" in _text(message)
    assert 'href="mailto:desk@example.org"' in _html(message)


def test_withdrawal_deletes_the_send_log_of_the_participant(app, smtp_server, make):
    ws = make.workshop()
    p = make.participant(ws, email="ana@example.org")
    make.participant(ws, email="bo@example.org")
    _invite(ws)
    withdraw_participant(p)
    db.session.commit()
    addresses = [m.address for m in db.session.scalars(select(MailMessage))]
    assert addresses == ["bo@example.org"]
