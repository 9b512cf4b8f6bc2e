"""A new workshop set up as an earlier one: the group labels, the contact, the messages, the
reminder rounds and the theme codebook come along; nothing of its participants, answers,
codings or windows does; only a workshop one organises can be copied."""

from sqlalchemy import func, select

from survey.coding.themes import create_theme, workshop_themes
from survey.extensions import db
from survey.mail.content import message_template, save_template
from survey.mail.schedule import add_reminder
from survey.models import (
    AuditEvent,
    MessageKind,
    MessageTemplate,
    Participant,
    ReminderAnchor,
    ScheduledReminder,
)
from survey.organise.copying import copy_setup
from survey.organise.workshops import set_contact, workshop_by_slug
from tests.conftest import page_token, sign_in


def _earlier(make):
    """Islamabad 2014, set up: labels, contact, an Urdu invitation, a reminder round, themes."""
    ws = make.workshop("isb-2014", open_waves=("pre",))
    ws.group("nato").label = "NATO officials and experts"
    set_contact(ws, "Secretariat", "desk@example.org", "+92 51 123 4567")
    save_template(
        ws, MessageKind.INVITATION, "ur", "دعوت", "السلام علیکم {name}،\n\n{link}\n\nشکریہ"
    )
    add_reminder(ws.wave("pre"), ReminderAnchor.BEFORE_CLOSING, 24)
    security = create_theme(ws, "security", "Security")
    create_theme(ws, "border", "Border management", "Crossings and trade", parent=security)
    make.participant(ws, name="Ana")
    db.session.commit()
    return ws


def _create(client, **fields):
    data = {
        "title": "Islamabad 2015",
        "slug": "isb-2015",
        "instrument": "nato-pakistan-2014",
        "timezone": "Asia/Karachi",
        "min_cell": "5",
        **fields,
    }
    token = page_token(client, "/workshops/new")
    return client.post("/workshops/new", data={"csrf_token": token, **data})


def test_a_new_workshop_set_up_as_an_earlier_one(app, make, client):
    earlier = _earlier(make)
    organiser = make.user(grants={earlier: "organiser"})
    sign_in(client, organiser)
    form = client.get("/workshops/new").get_data(as_text=True)
    assert '<option value="isb-2014">' in form
    response = _create(client, copy_from="isb-2014")
    assert response.status_code == 302
    new = workshop_by_slug("isb-2015")
    assert new.group("nato").label == "NATO officials and experts"
    assert (new.contact_name, new.contact_email, new.contact_phone) == (
        "Secretariat",
        "desk@example.org",
        "+92 51 123 4567",
    )
    urdu = message_template(new, MessageKind.INVITATION, "ur")
    assert urdu.customised and urdu.subject == "دعوت"
    rounds = db.session.scalars(
        select(ScheduledReminder).where(ScheduledReminder.wave_id == new.wave("pre").id)
    ).all()
    assert [(r.anchor, r.hours) for r in rounds] == [(ReminderAnchor.BEFORE_CLOSING, 24)]
    themes = {t.code: t for t in workshop_themes(new)}
    assert set(themes) == {"security", "border"}
    assert themes["border"].parent is themes["security"]
    assert themes["border"].description == "Crossings and trade"
    # Nothing of the earlier workshop's people or windows.
    people = select(func.count()).where(Participant.workshop_id == new.id)
    assert db.session.scalar(people) == 0
    assert new.wave("pre").opens_at is None
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "workshop.copy_setup")
    ).one()
    assert event.workshop_id == new.id and event.detail == {
        "from": "isb-2014",
        "group_labels": 1,
        "contact": True,
        "messages": 1,
        "reminder_rounds": 1,
        "themes": 2,
    }
    page = client.get(response.location).get_data(as_text=True)
    assert "It is set up as" in page
    # The earlier workshop is as it was.
    assert len(workshop_themes(earlier)) == 2 and earlier.group("nato").label.startswith("NATO")


def test_without_a_choice_nothing_is_copied(app, make, client):
    earlier = _earlier(make)
    sign_in(client, make.user(grants={earlier: "organiser"}))
    assert _create(client).status_code == 302
    new = workshop_by_slug("isb-2015")
    assert new.contact_email is None and workshop_themes(new) == []
    assert not message_template(new, MessageKind.INVITATION, "ur").customised


def test_only_a_workshop_one_organises_can_be_copied(app, make, client):
    earlier = _earlier(make)
    sign_in(client, make.user(grants={earlier: "researcher"}))
    form = client.get("/workshops/new").get_data(as_text=True)
    assert 'name="copy_from"' not in form  # nothing to offer
    forged = _create(client, copy_from="isb-2014")
    assert forged.status_code == 200 and "Not a valid choice" in forged.get_data(as_text=True)
    assert workshop_by_slug("isb-2015") is None


def test_what_the_new_questionnaire_does_not_have_stays_behind(app, make):
    earlier = _earlier(make)
    db.session.add(
        MessageTemplate(
            workshop_id=earlier.id,
            kind=MessageKind.REMINDER,
            language="de",  # not a language of the questionnaire
            subject="Erinnerung",
            body="{link}",
        )
    )
    new = make.workshop("isb-2015")
    copied = copy_setup(earlier, new)
    db.session.commit()
    assert copied.messages == 1
    languages = db.session.scalars(
        select(MessageTemplate.language).where(MessageTemplate.workshop_id == new.id)
    ).all()
    assert languages == ["ur"]


def test_the_command_line_sets_a_new_workshop_up_as_an_earlier_one(app, make):
    _earlier(make)
    runner = app.test_cli_runner()
    args = ["workshops", "create", "isb-2015", "--title", "Islamabad 2015"]
    result = runner.invoke(args=[*args, "--copy-from", "isb-2014"])
    assert result.exit_code == 0 and "set up as isb-2014" in result.output
    new = workshop_by_slug("isb-2015")
    assert new.contact_email == "desk@example.org" and len(workshop_themes(new)) == 2
    missing = runner.invoke(args=[*args[:2], "isb-2016", *args[3:], "--copy-from", "nowhere"])
    assert missing.exit_code != 0 and "no workshop 'nowhere'" in missing.output
    assert workshop_by_slug("isb-2016") is None
