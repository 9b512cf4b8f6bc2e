"""What a workshop's study asks for once it is over: removing the participants' personal data
while keeping their anonymous answers, or deleting the workshop and everything it holds.

Removing the personal data deletes the names and e-mail addresses, the log of e-mails sent (it
holds the addresses), the reminder schedule and the roster's external ids; the public ids,
groups, sectors, linking codes (keyed hashes) and answers stay, so that the exports, dashboards
and coding go on. It waits until no wave is open or due to open, so that a personal link can
only say that the questionnaire has closed.

Deleting the workshop deletes its people and their personal data, links, answers, e-mails and
their log, codings, themes, kept statistics and staff roles. The database's cascades delete them
with the workshop's row (the codings first); the questionnaire versions stay (the library and
other workshops use them), and so does the audit log, whose events lose their workshop but gain
one naming what went."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Select, delete, func, select, update

from survey.audit import record
from survey.extensions import db
from survey.models import (
    Answer,
    Coding,
    MailMessage,
    Participant,
    ParticipantContact,
    Response,
    ResponseStatus,
    ScheduledReminder,
    SettledCoding,
    StaffUser,
    Theme,
    Wave,
    Workshop,
)
from survey.models._types import utcnow
from survey.text import quantity


@dataclass(frozen=True)
class Holdings:
    """What deleting a workshop deletes, counted for the confirmation and the audit log."""

    participants: int
    submitted: int  # responses submitted
    in_progress: int  # responses started and not submitted
    answers: int
    messages: int  # e-mails in the send log
    codings: int  # coders' codings of the free text


def holdings(workshop: Workshop) -> Holdings:
    """Counts of what the workshop holds, in one statement."""
    waves = select(Wave.id).where(Wave.workshop_id == workshop.id)
    responses = select(func.count()).where(Response.wave_id.in_(waves))
    counts = {
        "participants": select(func.count()).where(Participant.workshop_id == workshop.id),
        "submitted": responses.where(Response.status == ResponseStatus.SUBMITTED),
        "in_progress": responses.where(Response.status != ResponseStatus.SUBMITTED),
        "answers": select(func.count())
        .select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.wave_id.in_(waves)),
        "messages": select(func.count()).where(MailMessage.wave_id.in_(waves)),
        "codings": select(func.count()).where(Coding.workshop_id == workshop.id),
    }
    return Holdings(**_counted(counts))


def _counted(counts: dict[str, Select]) -> dict[str, int]:
    """Each count by its name, all in one statement."""
    row = db.session.execute(
        select(*(count.scalar_subquery().label(name) for name, count in counts.items()))
    ).one()
    return row._asdict()


def delete_workshop(workshop: Workshop, *, actor: StaffUser | str | None = None) -> Holdings:
    """Delete the workshop and everything it holds (see the module); the audit event
    `workshop.delete` names it and counts what went. The caller commits."""
    held = holdings(workshop)
    record(
        "workshop.delete",
        actor=actor,
        detail={"slug": workshop.slug, "title": workshop.title, **asdict(held)},
    )
    # A coding's themes and a theme's parent are kept by references that do not cascade (a
    # theme in use cannot be deleted alone); PostgreSQL checks them as the cascades go, so
    # what refers to the themes goes first.
    for coded in (Coding, SettledCoding):
        db.session.execute(delete(coded).where(coded.workshop_id == workshop.id))
    db.session.execute(update(Theme).where(Theme.workshop_id == workshop.id).values(parent_id=None))
    db.session.execute(delete(Workshop).where(Workshop.id == workshop.id))
    db.session.expunge_all()  # the workshop's rows the session loaded are gone
    return held


@dataclass(frozen=True)
class PersonalData:
    """The personal data a workshop holds, counted for the confirmation and the audit log."""

    contacts: int  # participants with a name or an e-mail address
    external_ids: int  # participants with the roster's id
    messages: int  # e-mails in the send log

    @property
    def described(self) -> str:
        """What is removed, as the command line's confirmation and the console's message say
        it."""
        return (
            f"the names and addresses of {quantity(self.contacts, 'participant')}, "
            f"{quantity(self.external_ids, 'roster id')}, "
            f"{quantity(self.messages, 'e-mail')} in the log"
        )


class PersonalDataStays(ValueError):
    """Personal data cannot be removed yet; the message says why."""


def personal_data(workshop: Workshop) -> PersonalData:
    """Counts of the personal data the workshop holds, in one statement."""
    people = select(Participant.id).where(Participant.workshop_id == workshop.id)
    counts = {
        "contacts": select(func.count()).where(ParticipantContact.participant_id.in_(people)),
        "external_ids": select(func.count()).where(
            Participant.workshop_id == workshop.id, Participant.external_id.is_not(None)
        ),
        "messages": select(func.count()).where(MailMessage.participant_id.in_(people)),
    }
    return PersonalData(**_counted(counts))


def why_personal_data_stays(workshop: Workshop) -> str | None:
    """Why the personal data cannot be removed now (a wave open, or due to open: its
    participants need their reminders), or None."""
    now = utcnow()
    for wave in workshop.waves:
        if wave.is_open(now):
            return f"the wave {wave.code} is open: close it first"
        if wave.opens_at is not None and wave.opens_at > now:
            return f"the wave {wave.code} is due to open: close it or clear its opening first"
    return None


def remove_personal_data(
    workshop: Workshop, *, actor: StaffUser | str | None = None
) -> PersonalData:
    """Remove the participants' personal data and keep their answers (see the module);
    PersonalDataStays while a wave is open or due to open. The audit event
    `workshop.personal_data_removed` counts what went. The caller commits."""
    if (why := why_personal_data_stays(workshop)) is not None:
        raise PersonalDataStays(why)
    held = personal_data(workshop)
    people = select(Participant.id).where(Participant.workshop_id == workshop.id)
    waves = select(Wave.id).where(Wave.workshop_id == workshop.id)
    db.session.execute(
        delete(ParticipantContact).where(ParticipantContact.participant_id.in_(people))
    )
    db.session.execute(delete(MailMessage).where(MailMessage.participant_id.in_(people)))
    db.session.execute(delete(ScheduledReminder).where(ScheduledReminder.wave_id.in_(waves)))
    db.session.execute(
        update(Participant).where(Participant.workshop_id == workshop.id).values(external_id=None)
    )
    record("workshop.personal_data_removed", workshop=workshop, actor=actor, detail=asdict(held))
    db.session.expire_all()
    return held
