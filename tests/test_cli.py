"""survey users / workshops / waves commands."""

import os
import subprocess
import sys

import pyotp
import pytest
from sqlalchemy import select

from survey.auth import two_step
from survey.auth.users import authenticate, user_by_email
from survey.extensions import db
from survey.models import AuditEvent, Role, WaveState
from survey.organise.workshops import workshop_by_slug
from tests.conftest import sign_in


def test_users_create_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=["users", "create", "Ana@Example.org", "--admin"], input="a long enough password\n"
    )
    assert result.exit_code == 0, result.output
    user = user_by_email("ana@example.org")
    assert user.is_admin
    assert authenticate("ana@example.org", "a long enough password") == user
    assert "a long enough password" not in result.output


def test_users_create_refuses_short_passwords_and_duplicates(runner, make):
    make.user("taken@example.org")
    short = runner.invoke(args=["users", "create", "new@example.org"], input="short\n")
    assert short.exit_code != 0 and "at least" in short.output
    dup = runner.invoke(args=["users", "create", "taken@example.org"], input="x" * 12 + "\n")
    assert dup.exit_code != 0 and "exists" in dup.output


def test_users_password_sets_a_new_one_and_ends_the_sessions(app, runner, make, client):
    user = make.user("forgot@example.org")
    sign_in(client, user)
    result = runner.invoke(
        args=["users", "password", "Forgot@Example.org"], input="a brand new passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert "a brand new passphrase" not in result.output
    db.session.expire_all()
    assert authenticate("forgot@example.org", "a brand new passphrase") == user
    assert authenticate("forgot@example.org", make.PASSWORD) is None
    assert client.get("/workshops").status_code == 302  # the session signed in before ended
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password"))
    assert event.actor == "cli"


def test_users_password_refuses_short_passwords_and_unknown_accounts(runner, make):
    make.user("known@example.org")
    short = runner.invoke(args=["users", "password", "known@example.org"], input="short\n")
    assert short.exit_code != 0 and "at least" in short.output
    assert authenticate("known@example.org", make.PASSWORD) is not None
    unknown = runner.invoke(args=["users", "password", "x@example.org"], input="y" * 12 + "\n")
    assert unknown.exit_code != 0 and "no user x@example.org" in unknown.output


def test_users_list_shows_each_account_with_its_state_and_roles(runner, make):
    ws = make.workshop("listed")
    organiser = make.user("b-org@example.org", grants={ws: ("organiser", "researcher")})
    make.user("a-admin@example.org", admin=True).active = False
    secret = two_step.new_secret()
    two_step.turn_on(organiser, secret, pyotp.TOTP(secret).now())
    db.session.commit()
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "a-admin@example.org\tadmin\tsuspended\tnever\t-\tpassword only",
        "b-org@example.org\tstaff\tactive\tnever\torganiser of listed, researcher of listed"
        "\ttwo-step",
    ]


def test_users_grant_gives_a_role_in_one_workshop(runner, make):
    ws = make.workshop("grant-ws")
    user = make.user("org@example.org")
    result = runner.invoke(
        args=["users", "grant", "org@example.org", "grant-ws", "--role", "organiser"]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert user.roles_in(ws) == {Role.ORGANISER}
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grant.add"))
    bad = runner.invoke(args=["users", "grant", "org@example.org", "grant-ws", "--role", "boss"])
    assert bad.exit_code != 0


def test_workshops_create_and_list(runner):
    result = runner.invoke(
        args=[
            "workshops",
            "create",
            "isb-2014",
            "--title",
            "Islamabad",
            "--timezone",
            "Asia/Karachi",
        ]
    )
    assert result.exit_code == 0, result.output
    ws = workshop_by_slug("isb-2014")
    assert ws.timezone == "Asia/Karachi" and ws.instrument_key == "nato-pakistan-2014"
    listing = runner.invoke(args=["workshops", "list"])
    assert "isb-2014" in listing.output and "pre scheduled" in listing.output


def test_workshops_create_refuses_bad_input(runner, make):
    make.workshop("exists")
    assert (
        "exists already"
        in runner.invoke(args=["workshops", "create", "exists", "--title", "x"]).output
    )
    # An option the command cannot read is a bad argument (2); a workshop it refuses, 1.
    mars = runner.invoke(
        args=["workshops", "create", "new-one", "--title", "x", "--timezone", "Mars/Base"]
    )
    assert mars.exit_code == 2 and "is not an IANA time zone name" in mars.output
    factory = runner.invoke(
        args=["workshops", "create", "new-one", "--title", "x", "--timezone", "Factory"]
    )
    assert factory.exit_code == 2 and "is not an IANA time zone name" in factory.output
    assert runner.invoke(args=["workshops", "create", "exists", "--title", "x"]).exit_code == 1
    assert (
        "no instrument"
        in runner.invoke(
            args=["workshops", "create", "new-two", "--title", "x", "--instrument", "nope"]
        ).output
    )


def test_waves_open_and_close_now(runner, make):
    ws = make.workshop("wv", open_waves=())
    assert runner.invoke(args=["waves", "open", "wv", "post"]).exit_code == 0
    db.session.expire_all()
    assert ws.wave("post").state() is WaveState.OPEN
    assert runner.invoke(args=["waves", "close", "wv", "post"]).exit_code == 0
    db.session.expire_all()
    assert ws.wave("post").state() is WaveState.CLOSED
    unknown = runner.invoke(args=["waves", "open", "wv", "later"])
    assert unknown.exit_code != 0 and "waves: pre, post" in unknown.output


def test_a_wave_already_open_or_closed_keeps_its_window(runner, make):
    """Opening an open wave again would move its opening time, and the reminders counted from
    it; closing a closed one its closing time: the console refuses both, and so does this."""
    ws = make.workshop("wv", open_waves=("pre",))
    window = (ws.wave("pre").opens_at, ws.wave("pre").closes_at)
    again = runner.invoke(args=["waves", "open", "wv", "pre"])
    assert again.exit_code == 1 and "wv pre is already open; nothing changed" in again.output
    assert runner.invoke(args=["waves", "close", "wv", "pre"]).exit_code == 0
    db.session.expire_all()
    closed = ws.wave("pre").closes_at
    twice = runner.invoke(args=["waves", "close", "wv", "pre"])
    assert twice.exit_code == 1 and "is already closed" in twice.output
    unopened = runner.invoke(args=["waves", "close", "wv", "post"])
    assert unopened.exit_code == 1 and "wv post is not open" in unopened.output
    db.session.expire_all()
    assert ws.wave("pre").opens_at == window[0] and ws.wave("pre").closes_at == closed
    assert ws.wave("post").opens_at is None


def test_commands_record_the_events_the_console_records(runner, make):
    # The same domain functions record them, so the command line and the console cannot differ.
    make.workshop("aud", open_waves=())
    make.user("org@example.org")
    for args in (
        ["workshops", "create", "aud-2", "--title", "Second"],
        ["waves", "open", "aud", "pre"],
        ["waves", "close", "aud", "pre"],
        ["users", "grant", "org@example.org", "aud", "--role", "researcher"],
    ):
        assert runner.invoke(args=args).exit_code == 0, args
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor, e.detail) for e in events] == [
        ("workshop.create", "cli", {"slug": "aud-2"}),
        ("wave.open", "cli", {"wave": "pre"}),
        ("wave.close", "cli", {"wave": "pre"}),
        ("grant.add", "cli", {"email": "org@example.org", "role": "researcher"}),
    ]


@pytest.mark.parametrize(
    ("database", "said"),
    [
        (None, "is not set up for this version (no such table: workshop): run survey db upgrade"),
        ("postgresql://postgres@127.0.0.1:1/none", "the database cannot be used: connection"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line_not_a_traceback(tmp_path, database, said):
    """An empty SQLite file (never upgraded), or a PostgreSQL server that is not there."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SURVEY_ENV")}
    env["SURVEY_INSTANCE_PATH"] = str(tmp_path)
    if database:
        env["DATABASE_URL"] = database
    command = [sys.executable, "-c", "from survey.cli import main; main()", "workshops", "list"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and said in " ".join(done.stderr.split())


@pytest.mark.parametrize(
    "title",
    ["", "   ", "x" * 201],
)
def test_workshops_create_refuses_a_title_the_console_refuses(runner, title):
    done = runner.invoke(args=["workshops", "create", "new-ws", "--title", title])
    assert done.exit_code == 1 and "at most 200 characters" in done.output
    assert workshop_by_slug("new-ws") is None


def test_a_title_or_place_typed_over_lines_is_kept_on_one(runner):
    typed = ["--title", "Islamabad\nBcc: evil@example.org", "--place", "Islamabad\r\nPakistan"]
    assert runner.invoke(args=["workshops", "create", "new-ws", *typed]).exit_code == 0
    workshop = workshop_by_slug("new-ws")
    assert workshop.title == "Islamabad Bcc: evil@example.org"
    assert workshop.place == "Islamabad Pakistan"


def test_a_port_no_server_can_listen_on_is_a_bad_argument(runner):
    done = runner.invoke(args=["demo", "--port", "99999", "--no-serve"])
    assert done.exit_code == 2 and "99999 is not in the range 1<=x<=65535" in done.output
