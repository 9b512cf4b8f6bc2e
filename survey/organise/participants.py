"""Participants as organisers see them: status per wave (never answers), search, one
participant's details edited, withdrawal and reissued links."""

from dataclasses import dataclass, replace

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from survey.audit import record
from survey.extensions import db
from survey.linking.report import match_report
from survey.models import (
    Answer,
    Invitation,
    MailMessage,
    Participant,
    ParticipantContact,
    Response,
    ResponseStatus,
    StaffUser,
    Workshop,
)
from survey.models._types import utcnow
from survey.paging import Page
from survey.tokens import reissue_invitation


class ParticipantError(ValueError):
    """An operation on a participant that cannot be done, with a message for the organiser."""


# The most participants one page lists: 10,000 on one page made 9 MB of HTML, 1.6 s to render
# and more than a laptop's browser at the venue could take.
PARTICIPANTS_PER_PAGE = 200


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    name: str | None
    email: str | None
    statuses: dict[str, ResponseStatus | None]  # wave code -> status, None: not started


@dataclass(frozen=True)
class ParticipantPage:
    page: Page[ParticipantRow]
    withdrawn: int  # among all the participants matching, not only this page's


def participants_page(
    workshop: Workshop, search: str | None = None, number: int = 1
) -> ParticipantPage | None:
    """Page `number` of the workshop's participants (matching the search), PARTICIPANTS_PER_PAGE
    a page, with the counts of all of them; None when there is no such page."""
    matching = _matching(workshop, search).subquery()
    total, withdrawn = db.session.execute(
        select(func.count(), func.count(matching.c.withdrawn_at)).select_from(matching)
    ).one()
    page = Page(number=number, total=total, size=PARTICIPANTS_PER_PAGE)
    if not page.exists:
        return None
    rows = participant_rows(workshop, search, offset=page.offset, limit=page.size)
    return ParticipantPage(page=replace(page, items=rows), withdrawn=withdrawn)


def participant_rows(
    workshop: Workshop,
    search: str | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[ParticipantRow]:
    """The workshop's participants (matching the search) with their status in every wave, the
    withdrawn last (or the `limit` of them after the first `offset`)."""
    query = (
        _matching(workshop, search)
        .options(joinedload(Participant.contact), joinedload(Participant.group))
        .order_by(Participant.withdrawn_at.is_not(None), Participant.group_id, Participant.id)
        .offset(offset)
        .limit(limit)
    )
    participants = db.session.scalars(query).unique().all()
    waves = {wave.id: wave.code for wave in workshop.waves}
    statuses: dict[int, dict[str, ResponseStatus]] = {}
    if participants:
        # Only these participants' responses (a page of 200 must not read the workshop's all),
        # and those begun: a link only opened is not started.
        answered = select(Response.participant_id, Response.wave_id, Response.status).where(
            Response.participant_id.in_([p.id for p in participants]), Response.begun
        )
        for participant_id, wave_id, status in db.session.execute(answered):
            statuses.setdefault(participant_id, {})[waves[wave_id]] = status
    return [
        ParticipantRow(
            participant=p,
            name=p.contact.name if p.contact else None,
            email=p.contact.email if p.contact else None,
            statuses={code: statuses.get(p.id, {}).get(code) for code in waves.values()},
        )
        for p in participants
    ]


def _matching(workshop: Workshop, search: str | None) -> Select:
    query = (
        select(Participant)
        .outerjoin(ParticipantContact)
        .where(Participant.workshop_id == workshop.id)
    )
    if search and search.strip():
        pattern = "%" + _escape_like(search.strip()) + "%"
        query = query.where(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        Participant.public_id,
                        Participant.external_id,
                        ParticipantContact.name,
                        ParticipantContact.email,
                    )
                )
            )
        )
    return query


def participant_by_public_id(workshop: Workshop, public_id: str) -> Participant | None:
    """The workshop's participant of this public id, if any."""
    return db.session.scalar(
        select(Participant).where(
            Participant.workshop_id == workshop.id, Participant.public_id == public_id
        )
    )


def withdraw_participant(participant: Participant, *, actor: StaffUser | str | None = None) -> int:
    """Delete the participant's answers in every wave and personal data (with the log of the
    e-mails sent to them); return the number of responses deleted. The audit event names only
    the public id."""
    if participant.withdrawn:
        raise ParticipantError(f"{participant.public_id} has already withdrawn")
    responses = select(Response.id).where(Response.participant_id == participant.id)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    deleted = db.session.execute(
        delete(Response).where(Response.participant_id == participant.id)
    ).rowcount
    db.session.execute(
        delete(ParticipantContact).where(ParticipantContact.participant_id == participant.id)
    )
    # The send log holds the address and the server's replies (which quote it): personal data.
    db.session.execute(delete(MailMessage).where(MailMessage.participant_id == participant.id))
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(Invitation.participant_id == participant.id, Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.expire(participant, ["responses", "contact", "invitations"])
    # The linking-code hashes and the sector are the participant's answers too. The public id
    # stays for the audit trail, and the external_id so that a re-imported roster does not
    # invite the person again (roster.py skips withdrawn participants).
    participant.link_mother = participant.link_day = None
    participant.link_town = participant.link_siblings = None
    participant.sector = None
    participant.withdrawn_at = now
    record(
        "participant.withdraw",
        workshop=participant.workshop,
        actor=actor,
        detail={"participant": participant.public_id, "responses_deleted": deleted},
    )
    return deleted


def edit_participant(
    participant: Participant, name: str | None, email: str | None, language: str | None
) -> list[str]:
    """Set a participant's name, e-mail address and language (empty values: none), as a roster
    row would; return the fields that changed. The audit event names the public id and the
    fields, not their values."""
    if participant.withdrawn:
        raise ParticipantError(f"{participant.public_id} has withdrawn; nothing is kept to edit")
    contact = participant.contact or ParticipantContact()
    wanted = {"name": name or None, "email": email or None}
    changed = [field for field, value in wanted.items() if getattr(contact, field) != value]
    for field in changed:
        setattr(contact, field, wanted[field])
    if changed and participant.contact is None:
        participant.contact = contact
    if (language or None) != participant.language:
        participant.language = language or None
        changed.append("language")
    if changed:
        record(
            "participant.edit",
            workshop=participant.workshop,
            detail={"participant": participant.public_id, "changed": changed},
        )
    return changed


def sharing_the_address(participant: Participant) -> list[str]:
    """The public ids of the workshop's other participants (not withdrawn) with the same e-mail
    address, in any case: their messages all go to that one mailbox."""
    email = participant.contact.email if participant.contact else None
    if not email:
        return []
    query = (
        select(Participant.public_id)
        .join(ParticipantContact)
        .where(
            Participant.workshop_id == participant.workshop_id,
            Participant.id != participant.id,
            Participant.withdrawn_at.is_(None),
            func.lower(ParticipantContact.email) == email.lower(),
        )
        .order_by(Participant.public_id)
    )
    return list(db.session.scalars(query))


def paired_by_code(participant: Participant) -> list[Participant]:
    """The participants whose responses the linking code pairs with this one's (docs/linking.md,
    "Matching"): most likely the same person, who joined again after losing their link, and
    whom the dashboards count as one."""
    pairs = match_report(participant.workshop).linked
    others = {a if b == participant.id else b for a, b in pairs if participant.id in (a, b)}
    if not others:
        return []
    query = select(Participant).where(Participant.id.in_(others)).order_by(Participant.public_id)
    return list(db.session.scalars(query))


def reissue_link(participant: Participant, *, actor: StaffUser | str | None = None) -> Invitation:
    """Revoke the participant's link and issue a new one."""
    if participant.withdrawn:
        raise ParticipantError(f"{participant.public_id} has withdrawn; no new link is issued")
    invitation = reissue_invitation(participant)
    record(
        "invitation.reissue",
        workshop=participant.workshop,
        actor=actor,
        detail={"participant": participant.public_id, "issue": invitation.issue},
    )
    return invitation


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
