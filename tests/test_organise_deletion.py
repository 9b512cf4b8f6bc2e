"""Deleting a workshop: every row it holds goes, in every table, and nothing of another
workshop; the questionnaire versions and the audit log stay; on the console (admins only, the
slug typed to confirm) and on the command line."""

from sqlalchemy import func, select

from survey.auth.users import user_by_email
from survey.coding.codings import settle_answer
from survey.coding.themes import workshop_themes
from survey.demo.coding import seed_demo_coding
from survey.demo.workshop import DEMO_ADMIN_EMAIL, DEMO_SLUG, ensure_demo_admin, seed_demo
from survey.extensions import db
from survey.models import (
    AuditEvent,
    Coding,
    MailMessage,
    MessageKind,
    MessageTemplate,
    ReminderAnchor,
    ScheduledReminder,
    StatsResult,
)
from survey.organise.deletion import delete_workshop, holdings
from survey.organise.workshops import workshop_by_slug
from tests.conftest import page_token, sign_in

#: Tables that outlive a workshop: accounts, the library, the audit log.
KEPT = {"staff_user", "instrument_version", "translation_review", "audit_event"}


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _full_demo():
    """The demo workshop with something in every table a workshop holds."""
    assert seed_demo() is True
    workshop = workshop_by_slug(DEMO_SLUG)
    ensure_demo_admin()
    admin = user_by_email(DEMO_ADMIN_EMAIL)
    assert seed_demo_coding(workshop, admin) is True
    coded = db.session.scalar(select(Coding).where(Coding.workshop_id == workshop.id))
    settle_answer(workshop, coded.answer, workshop_themes(workshop)[:1], admin)
    wave = workshop.wave("pre")
    participant = workshop.participants[0]
    db.session.add_all(
        [
            MailMessage(
                participant_id=participant.id,
                wave_id=wave.id,
                kind=MessageKind.INVITATION,
                address="ana@example.org",
            ),
            ScheduledReminder(wave_id=wave.id, anchor=ReminderAnchor.AFTER_OPENING, hours=24),
            StatsResult(workshop_id=workshop.id, filter_key="all"),
            MessageTemplate(
                workshop_id=workshop.id,
                kind=MessageKind.REMINDER,
                language="en",
                subject="A reminder",
                body="{link}",
            ),
        ]
    )
    db.session.commit()
    return workshop


def test_deleting_a_workshop_leaves_no_row_of_it_and_every_row_of_another(app, make):
    kept = make.workshop("kept", open_waves=("pre",))
    make.response(make.participant(kept, name="Ana"), kept.wave("pre"))
    db.session.commit()
    before = _counts()
    workshop = _full_demo()
    seeded = _counts()
    held = {name for name, count in seeded.items() if count > before[name]} - KEPT
    assert held == set(before) - KEPT - {"alembic_version"}, "fill every table in _full_demo"
    counted = holdings(workshop)

    delete_workshop(workshop, actor="cli")
    db.session.commit()

    after = _counts()
    assert {name: after[name] for name in held} == {name: before[name] for name in held}
    assert after["instrument_version"] == seeded["instrument_version"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "workshop.delete"))
    assert event.detail["slug"] == DEMO_SLUG and event.workshop_id is None
    assert event.detail["participants"] == counted.participants > 0
    assert event.detail["submitted"] == counted.submitted > 0
    assert event.detail["codings"] == counted.codings > 0
    assert workshop_by_slug(DEMO_SLUG) is None and workshop_by_slug("kept") is not None


def test_an_admin_deletes_a_workshop_once_its_slug_is_typed(app, make, client):
    workshop = make.workshop("isb", open_waves=("pre",))
    make.response(make.participant(workshop, name="Ana"), workshop.wave("pre"))
    organiser = make.user("org@example.org", grants={workshop: "organiser"})
    admin = make.user("admin@example.org", admin=True)
    db.session.commit()
    sign_in(client, organiser)
    page = client.get("/workshops/isb").get_data(as_text=True)
    assert "/workshops/isb/delete" not in page  # organisers are not offered it
    assert client.get("/workshops/isb/delete").status_code == 403
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/workshops")})

    sign_in(client, admin)
    assert 'href="/workshops/isb/delete"' in client.get("/workshops/isb").get_data(as_text=True)
    page = client.get("/workshops/isb/delete").get_data(as_text=True)
    assert "1 participant(s)" in page and "1 submitted response(s)" in page
    token = page_token(client, "/workshops/isb/delete")
    for typed in ("", "isb2", "is"):
        refused = client.post("/workshops/isb/delete", data={"csrf_token": token, "confirm": typed})
        assert refused.status_code == 422 and "error-summary" in refused.text
    assert client.post("/workshops/isb/delete", data={"confirm": "isb"}).status_code == 400
    assert workshop_by_slug("isb") is not None

    done = client.post("/workshops/isb/delete", data={"csrf_token": token, "confirm": " ISB "})
    assert done.status_code == 302 and done.location.endswith("/workshops")
    assert "is deleted, with its 1 participant(s)" in client.get("/workshops").text
    assert workshop_by_slug("isb") is None
    assert client.get("/workshops/isb").status_code == 404
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "workshop.delete"))
    assert event.actor == admin.email and event.detail["slug"] == "isb"


def test_the_command_line_asks_for_the_slug_unless_told_not_to(app, make, runner):
    make.workshop("one")
    make.workshop("two")
    db.session.commit()
    wrong = runner.invoke(args=["workshops", "delete", "one"], input="two\n")
    assert wrong.exit_code != 0 and "not deleted" in wrong.output
    assert "participant(s)" in wrong.output
    assert workshop_by_slug("one") is not None
    typed = runner.invoke(args=["workshops", "delete", "one"], input="one\n")
    assert typed.exit_code == 0, typed.output
    assert workshop_by_slug("one") is None
    told = runner.invoke(args=["workshops", "delete", "two", "--yes"])
    assert told.exit_code == 0 and workshop_by_slug("two") is None
    unknown = runner.invoke(args=["workshops", "delete", "three", "--yes"])
    assert unknown.exit_code != 0 and "no workshop 'three'" in unknown.output
    actors = db.session.scalars(
        select(AuditEvent.actor).where(AuditEvent.action == "workshop.delete")
    ).all()
    assert actors == ["cli", "cli"]
