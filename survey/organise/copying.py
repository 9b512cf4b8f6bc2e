"""A new workshop set up as an earlier one was, for a series of workshops: the groups' labels,
the contact for participants, the messages written for it, its reminder rounds and its theme
codebook. Nothing of its participants, answers, codings or wave windows comes along. What the
two questionnaires do not share stays as the new one's questionnaire has it: a label of a group
the new workshop does not have, a message in a language it does not speak, reminder rounds of a
wave it does not have."""

from dataclasses import asdict, dataclass

from sqlalchemy import select

from survey.audit import record
from survey.coding.theme_file import import_themes, theme_file
from survey.coding.themes import workshop_themes
from survey.extensions import db
from survey.mail.content import template_languages
from survey.models import MessageTemplate, ScheduledReminder, StaffUser, Wave, Workshop

CONTACT = ("contact_name", "contact_email", "contact_phone")


@dataclass(frozen=True)
class Copied:
    """What came from the earlier workshop, counted."""

    group_labels: int
    contact: bool
    messages: int
    reminder_rounds: int
    themes: int


def copy_setup(
    source: Workshop, target: Workshop, *, actor: StaffUser | str | None = None
) -> Copied:
    """Set `target` up as `source` is (see the module), recorded in the audit log as
    `workshop.copy_setup`; the caller commits."""
    labels = 0
    for group in target.groups:
        earlier = source.group(group.code)
        if earlier is not None and earlier.label != group.label:
            group.label = earlier.label
            labels += 1
    for field in CONTACT:
        setattr(target, field, getattr(source, field))
    languages = set(template_languages(target))
    messages = 0
    for message in db.session.scalars(
        select(MessageTemplate).where(MessageTemplate.workshop_id == source.id)
    ):
        if message.language in languages:
            db.session.add(
                MessageTemplate(
                    workshop_id=target.id,
                    kind=message.kind,
                    language=message.language,
                    subject=message.subject,
                    body=message.body,
                )
            )
            messages += 1
    rounds = 0
    waves = {wave.code: wave for wave in target.waves}
    query = (
        select(ScheduledReminder, Wave.code)
        .join(Wave, ScheduledReminder.wave_id == Wave.id)
        .where(Wave.workshop_id == source.id)
        .order_by(ScheduledReminder.id)
    )
    for reminder, code in db.session.execute(query):
        if code in waves:
            db.session.add(
                ScheduledReminder(wave=waves[code], anchor=reminder.anchor, hours=reminder.hours)
            )
            rounds += 1
    themes = 0
    if workshop_themes(source):
        staff = actor if isinstance(actor, StaffUser) else None  # else the command line
        imported = import_themes(target, theme_file(source).encode("utf-8"), actor=staff)
        themes = len(imported.added)
    copied = Copied(labels, any(getattr(source, f) for f in CONTACT), messages, rounds, themes)
    record(
        "workshop.copy_setup",
        workshop=target,
        actor=actor,
        detail={"from": source.slug, **asdict(copied)},
    )
    return copied
