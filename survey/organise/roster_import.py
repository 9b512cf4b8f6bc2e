"""Applying a checked roster (survey.organise.roster): add and update participants, issue the new
ones' links, and record the import in the audit log. The web confirmation and
`survey roster import` both end here."""

from sqlalchemy import select

from survey.audit import record
from survey.extensions import db
from survey.models import (
    Group,
    Participant,
    ParticipantContact,
    ParticipantSource,
    StaffUser,
    Workshop,
)
from survey.organise.roster_plan import RosterError, RosterLine, RosterPlan, RowAction
from survey.public_ids import new_public_id
from survey.tokens import first_invitations


def apply_roster(
    workshop: Workshop,
    plan: RosterPlan,
    *,
    actor: StaffUser | str | None = None,
    filename: str | None = None,
) -> RosterPlan:
    """Write a valid plan: add and update participants, issue the new ones' invitations."""
    if not plan.valid:
        raise RosterError(plan.problems)
    groups = {g.code: g for g in workshop.groups}
    taken = set(
        db.session.scalars(
            select(Participant.public_id).where(Participant.workshop_id == workshop.id)
        )
    )
    added = []
    for line in plan.lines:
        if line.action is RowAction.ADDED:
            participant = Participant(
                workshop=workshop,
                group=groups[line.group],
                public_id=new_public_id(taken),
                external_id=line.external_id,
                sector=line.sector,
                language=line.language,
                source=ParticipantSource.ROSTER,
            )
            if line.name or line.email:
                participant.contact = ParticipantContact(name=line.name, email=line.email)
            db.session.add(participant)
            added.append(participant)
        elif line.action is RowAction.UPDATED:
            _update(db.session.get(Participant, line.participant_id), line, groups)
    db.session.flush()  # one flush gives every new participant the id its token is keyed by
    first_invitations(added)
    record(
        "roster.import",
        workshop=workshop,
        actor=actor,
        detail={**plan.counts(), "file": filename},
    )
    return plan


def _update(participant: Participant, line: RosterLine, groups: dict[str, Group]) -> None:
    if "external_id" in line.changes:
        participant.external_id = line.external_id
    if "group" in line.changes:
        participant.group = groups[line.group]
    if "sector" in line.changes:
        participant.sector = line.sector
    if "language" in line.changes:
        participant.language = line.language
    if "name" in line.changes or "email" in line.changes:
        if participant.contact is None:
            participant.contact = ParticipantContact()
        if "name" in line.changes:
            participant.contact.name = line.name
        if "email" in line.changes:
            participant.contact.email = line.email
