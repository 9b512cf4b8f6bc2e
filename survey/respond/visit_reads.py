"""A participant's visit to one wave, read with one joined select: who they are, their
response (None before they start), the instrument it is answered in, whether consent was given
in another wave and which questions they answered elsewhere. The writes of the questionnaire
are in survey.respond.answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy.orm import aliased

from survey.extensions import db
from survey.instruments import Instrument
from survey.memo import Kept
from survey.models import (
    Answer,
    Group,
    InstrumentVersion,
    Invitation,
    Participant,
    Response,
    ResponseStatus,
    Wave,
    Workshop,
)
from survey.respond.flow import (
    CONSENT,
    PARTICIPANT_FIELDS,
    Step,
    skipped_questions,
    wave_steps,
)

_instruments: Kept[str, Instrument] = Kept(64)


def instrument_for(version_id: int, checksum: str) -> Instrument:
    """The parsed instrument of a version, kept by checksum (versions never change), so that
    a page save reads neither the definition nor parses it."""
    return _instruments.get(
        checksum, lambda: db.session.get(InstrumentVersion, version_id).instrument
    )


@dataclass
class Visit:
    """A participant in one wave: who, where, their response (None before they start) and what
    they have told us in other waves."""

    participant: Participant
    invitation_id: int
    group: str
    workshop: Workshop
    wave: Wave
    response: Response | None
    instrument: Instrument
    consented: bool  # consent given in any wave (it is asked once, in the first one)
    # Questions answered in the participant's other, submitted, responses (profile questions
    # are asked once; an unsubmitted response never reaches the exports, so it does not count).
    answered_elsewhere: frozenset[str]
    # When this browser first showed the response's questionnaire (identity.opening), for the
    # visit of a questionnaire POST from the session's own participant before their first act
    # in it (it becomes the response's start); else None.
    opened: datetime | None = None

    @property
    def ask_consent(self) -> bool:
        return not self.consented or (
            self.response is not None and self.response.consent_at is not None
        )

    @property
    def skip(self) -> frozenset[str]:
        known = {name: getattr(self.participant, name) for name in PARTICIPANT_FIELDS}
        return skipped_questions(
            self.instrument, answered_elsewhere=self.answered_elsewhere, known=known
        )

    def steps(self) -> tuple[Step, ...]:
        """The wave's steps for this participant."""
        return wave_steps(
            self.instrument, self.wave.code, ask_consent=self.ask_consent, skip=self.skip
        )

    @property
    def submitted(self) -> bool:
        return self.response is not None and self.response.submitted

    def awaits_consent(self, steps: Sequence[Step]) -> bool:
        """Whether these steps ask for consent and it has not been given: the other steps wait."""
        consented = self.response is not None and self.response.consent_at is not None
        return steps[0].code == CONSENT and not consented


@cache
def _visit_query(by: str):
    """The visit's joined select for one shape (`by` the participant's or the response's id),
    built once per process: constructing it (aliases, a correlated EXISTS and a scalar
    subquery) cost ten times more than running it. Values come as bind parameters."""
    consent = aliased(Response)
    other = aliased(Response)
    consented = exists().where(
        consent.participant_id == Participant.id, consent.consent_at.is_not(None)
    )
    elsewhere = (
        select(func.aggregate_strings(Answer.question, " "))
        .join(other, other.id == Answer.response_id)
        .where(
            other.participant_id == Participant.id,
            other.wave_id != Wave.id,
            other.status == ResponseStatus.SUBMITTED,
            Answer.item == "",
        )
        .scalar_subquery()
    )
    key = Participant.id if by == "participant" else Response.id
    return (
        select(
            Participant,
            Workshop,
            Wave,
            Response,
            Group.code,
            InstrumentVersion.id,
            InstrumentVersion.checksum,
            consented.label("consented"),
            elsewhere.label("elsewhere"),
        )
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .join(Group, Group.id == Participant.group_id)
        .join(Wave, and_(Wave.workshop_id == Workshop.id, Wave.code == bindparam("wave_code")))
        .join(
            Invitation,
            and_(
                Invitation.participant_id == Participant.id,
                Invitation.id == bindparam("invitation_id"),
                Invitation.revoked_at.is_(None),
            ),
        )
        .outerjoin(
            Response, and_(Response.participant_id == Participant.id, Response.wave_id == Wave.id)
        )
        .join(
            InstrumentVersion,
            InstrumentVersion.id
            == func.coalesce(Response.instrument_version_id, Wave.instrument_version_id),
        )
        .where(Participant.withdrawn_at.is_(None), key == bindparam("key"))
    )


def _visit(by: str, key: int, invitation_id: int, wave_code: str) -> Visit | None:
    parameters = {"key": key, "invitation_id": invitation_id, "wave_code": wave_code}
    row = db.session.execute(_visit_query(by), parameters).first()
    if row is None:
        return None
    participant, workshop, wave, response, group, version_id, checksum, consented, elsewhere = row
    return Visit(
        participant=participant,
        invitation_id=invitation_id,
        group=group,
        workshop=workshop,
        wave=wave,
        response=response,
        instrument=instrument_for(version_id, checksum),
        consented=bool(consented),
        answered_elsewhere=frozenset((elsewhere or "").split()),
    )


def live_participant(participant_id: int, invitation_id: int) -> Participant | None:
    """The participant of a session, while they have not withdrawn and their link is live."""
    return db.session.scalar(
        select(Participant)
        .join(Invitation, Invitation.participant_id == Participant.id)
        .where(
            Participant.id == participant_id,
            Participant.withdrawn_at.is_(None),
            Invitation.id == invitation_id,
            Invitation.revoked_at.is_(None),
        )
    )


def load_visit(participant_id: int, invitation_id: int, wave_code: str) -> Visit | None:
    """The participant's visit to a wave; None when the wave does not exist, the invitation
    has been revoked or the participant has withdrawn."""
    return _visit("participant", participant_id, invitation_id, wave_code)


def load_visit_by_response(response_id: int, invitation_id: int, wave_code: str) -> Visit | None:
    """The visit a resume ticket names (the session is gone, the ticket is not)."""
    return _visit("response", response_id, invitation_id, wave_code)


def submitted_waves(participant_id: int) -> set[str]:
    """The codes of the waves the participant has submitted."""
    return set(
        db.session.scalars(
            select(Wave.code)
            .join(Response, Response.wave_id == Wave.id)
            .where(
                Response.participant_id == participant_id,
                Response.status == ResponseStatus.SUBMITTED,
            )
        )
    )
