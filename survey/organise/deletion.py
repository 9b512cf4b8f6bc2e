"""Deleting a workshop and everything it holds, once its study is over (or it was only a try):
its people and their personal data, links, answers, e-mails and their log, codings, themes,
kept statistics and staff roles. The database's cascades delete them with the workshop's row
(the codings first); the questionnaire versions stay (the library and other workshops use them),
and so does the audit log, whose events lose their workshop but gain one naming what went."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import delete, func, select, update

from survey.audit import record
from survey.extensions import db
from survey.models import (
    Answer,
    Coding,
    MailMessage,
    Participant,
    Response,
    ResponseStatus,
    SettledCoding,
    StaffUser,
    Theme,
    Wave,
    Workshop,
)


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
    row = db.session.execute(
        select(*(count.scalar_subquery().label(name) for name, count in counts.items()))
    ).one()
    return Holdings(**row._asdict())


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
