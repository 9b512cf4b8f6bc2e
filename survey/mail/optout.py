"""Opting out: a participant's own link in every message stops further e-mail to them (the
questionnaire itself stays open to them). Recorded in the audit log under their public id,
never with the link's token."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.audit import record
from survey.extensions import db
from survey.models import Participant, Workshop
from survey.models._types import utcnow


def opt_out(participant: Participant) -> bool:
    """Stop e-mail to the participant; False when they had opted out already."""
    if participant.mail_opt_out_at is not None:
        return False
    participant.mail_opt_out_at = utcnow()
    record(
        "mail.opt_out",
        workshop=participant.workshop,
        actor=f"participant {participant.public_id}",
        detail={"participant": participant.public_id},
    )
    return True


def opted_out(workshop: Workshop) -> list[Participant]:
    """The workshop's participants who opted out, the latest first."""
    return list(
        db.session.scalars(
            select(Participant)
            .options(selectinload(Participant.contact))
            .where(
                Participant.workshop_id == workshop.id,
                Participant.mail_opt_out_at.is_not(None),
            )
            .order_by(Participant.mail_opt_out_at.desc())
        )
    )
