"""survey invitations send|remind and survey reminders run, against a real SMTP server."""

from datetime import timedelta

from sqlalchemy import select

from survey.extensions import db
from survey.mail.lock import sending_lock
from survey.mail.schedule import add_reminder, remove_reminder
from survey.models import AuditEvent, MailMessage, ReminderAnchor, ResponseStatus
from tests.conftest import free_port


def _lines(result) -> list[str]:
    return result.output.strip().splitlines()


def test_send_prints_one_line_of_counts_and_a_second_run_sends_nothing(
    app, runner, smtp_server, make
):
    ws = make.workshop("islamabad")
    make.participant(ws, email="ana@example.org")
    make.participant(ws, email="bo@example.org")
    make.participant(ws)
    first = runner.invoke(args=["invitations", "send", "islamabad", "pre"])
    assert first.exit_code == 0, first.output
    assert _lines(first)[0] == "sent 2, failed 0, skipped 1"
    assert "skipped 1: no e-mail address" in first.output
    second = runner.invoke(args=["invitations", "send", "islamabad", "pre"])
    assert _lines(second)[0] == "sent 0, failed 0, skipped 3"
    assert len(smtp_server.messages) == 2


def test_failures_are_listed_with_the_servers_reply(app, runner, smtp_server, make):
    ws = make.workshop("islamabad")
    bad = make.participant(ws, email="nobody@example.org")
    make.participant(ws, email="ana@example.org")
    smtp_server.refuse["nobody@example.org"] = "550 5.1.1 no such user"
    result = runner.invoke(args=["invitations", "send", "islamabad", "pre"])
    assert result.exit_code == 0
    assert _lines(result)[0] == "sent 1, failed 1, skipped 0"
    assert f"failed: {bad.public_id} <nobody@example.org>: 550 5.1.1 no such user" in result.output


def test_dry_run_says_who_would_get_a_message(app, runner, smtp_server, make):
    ws = make.workshop("islamabad")
    make.participant(ws, email="ana@example.org")
    result = runner.invoke(args=["invitations", "send", "islamabad", "pre", "--dry-run"])
    assert _lines(result)[0] == "would send 1, skipped 0 (dry run)"
    assert smtp_server.messages == []


def test_remind_goes_to_those_who_have_not_submitted(app, runner, smtp_server, make):
    ws = make.workshop("islamabad")
    done = make.participant(ws, email="done@example.org")
    make.participant(ws, email="idle@example.org")
    make.response(done, "pre", status=ResponseStatus.SUBMITTED)
    result = runner.invoke(args=["invitations", "remind", "islamabad", "pre"])
    assert _lines(result)[0] == "sent 1, failed 0, skipped 1"
    assert "skipped 1: already submitted" in result.output
    again = runner.invoke(args=["invitations", "remind", "islamabad", "pre"])
    assert _lines(again)[0] == "sent 0, failed 0, skipped 2"


def test_a_server_that_is_down_is_a_clear_error(app, runner, make):
    app.config.update(MAIL_PORT=free_port(), PUBLIC_URL="http://survey.test")
    ws = make.workshop("islamabad")
    make.participant(ws, email="ana@example.org")
    result = runner.invoke(args=["invitations", "send", "islamabad", "pre"])
    assert result.exit_code == 1
    assert _lines(result)[0] == "sent 0, failed 0, skipped 0"
    assert "the batch stopped: the mail server 127.0.0.1:" in result.output
    assert "cannot be reached" in result.output
    assert db.session.scalars(select(MailMessage)).all() == []


def test_a_batch_that_cannot_start_is_an_error_and_an_audit_event(app, runner, smtp_server, make):
    ws = make.workshop("islamabad")
    make.participant(ws, email="ana@example.org")
    with sending_lock():
        result = runner.invoke(args=["invitations", "send", "islamabad", "pre"])
    assert result.exit_code == 1
    assert "another batch of messages is being sent right now" in result.output
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.batch"))
    assert event.detail["stopped"].startswith("another batch of messages is being sent")
    assert (event.detail["sent"], event.detail["via"]) == (0, "cli")
    assert smtp_server.messages == []


def test_resend_unknown_is_an_explicit_request(app, runner, smtp_server, make):
    ws = make.workshop("islamabad")
    p = make.participant(ws, email="ana@example.org")
    db.session.add(
        MailMessage(
            participant_id=p.id, wave_id=ws.wave("pre").id, kind="invitation", round="",
            address="ana@example.org",
        )
    )  # fmt: skip
    db.session.commit()
    plain = runner.invoke(args=["invitations", "send", "islamabad", "pre"])
    assert _lines(plain)[0] == "sent 0, failed 0, skipped 1"
    assert f"unknown: {p.public_id}" in plain.output
    resent = runner.invoke(args=["invitations", "send", "islamabad", "pre", "--resend-unknown"])
    assert _lines(resent)[0] == "sent 1, failed 0, skipped 0"


def test_unknown_workshop_wave_or_address_are_errors(app, runner, make):
    make.workshop("islamabad")
    assert "no workshop 'x'" in runner.invoke(args=["invitations", "send", "x", "pre"]).output
    assert (
        "no wave 'later'"
        in runner.invoke(args=["invitations", "send", "islamabad", "later"]).output
    )
    app.config["PUBLIC_URL"] = None
    result = runner.invoke(args=["invitations", "send", "islamabad", "pre"])
    assert result.exit_code == 1 and "PUBLIC_URL" in result.output


def test_reminders_run_sends_the_due_rounds_once(app, runner, smtp_server, make):
    app.config["MAIL_REMINDER_GAP_HOURS"] = 0
    ws = make.workshop("islamabad", open_waves=("pre",))
    make.participant(ws, email="ana@example.org")
    done = make.participant(ws, email="done@example.org")
    make.response(done, "pre")
    assert _lines(runner.invoke(args=["reminders", "run"])) == ["nothing due"]
    wave = ws.wave("pre")
    wave.opens_at -= timedelta(days=2)
    add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24)  # due a day ago
    add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24 * 30)  # not yet due
    db.session.commit()
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    assert _lines(result)[0] == (
        "islamabad pre, reminder 1 day after opening: sent 1, failed 0, skipped 1"
    )
    assert [r for r, _ in smtp_server.messages] == [["ana@example.org"]]
    again = runner.invoke(args=["reminders", "run"])
    assert _lines(again)[0].endswith("sent 0, failed 0, skipped 2")
    assert len(smtp_server.messages) == 1
    # A round that hands out nothing is no batch worth an audit event.
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.batch"))
    assert [e.detail["sent"] for e in events] == [1]


def test_a_round_that_replaces_a_removed_one_is_sent(app, runner, smtp_server, make):
    """Its round is new in the send log: the removed round's messages do not count for it."""
    app.config["MAIL_REMINDER_GAP_HOURS"] = 0
    ws = make.workshop("islamabad")
    make.participant(ws, email="ana@example.org")
    wave = ws.wave("pre")
    wave.opens_at -= timedelta(days=3)
    wave.closes_at = wave.opens_at + timedelta(days=5)
    first = add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24)
    db.session.commit()
    assert "sent 1" in runner.invoke(args=["reminders", "run"]).output
    removed = first.round
    remove_reminder(first)
    db.session.commit()
    second = add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 48)
    db.session.commit()
    assert second.round != removed
    result = runner.invoke(args=["reminders", "run"])
    assert "reminder 2 days before closing: sent 1, failed 0, skipped 0" in result.output
    assert len(smtp_server.messages) == 2


def test_reminders_run_sends_only_the_latest_due_round(app, runner, smtp_server, make):
    app.config["MAIL_REMINDER_GAP_HOURS"] = 0
    ws = make.workshop("islamabad")
    make.participant(ws, email="ana@example.org")
    wave = ws.wave("pre")
    wave.opens_at -= timedelta(days=3)
    wave.closes_at = wave.opens_at + timedelta(days=4)
    add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24)
    add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 36)
    db.session.commit()
    result = runner.invoke(args=["reminders", "run"])
    assert "reminder 1 day 12 hours before closing: sent 1" in result.output
    assert len(smtp_server.messages) == 1
