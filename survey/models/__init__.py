"""The data model (docs/domain.md), split by domain; import everything from here."""

from survey.models.audit import AuditEvent
from survey.models.people import Invitation, Participant, ParticipantContact, ParticipantSource
from survey.models.responses import Answer, Response, ResponseSource, ResponseStatus
from survey.models.staff import Grant, Role, StaffUser
from survey.models.stats import StatsResult
from survey.models.workshop import Group, InstrumentVersion, Wave, WaveState, Workshop

__all__ = [
    "Answer",
    "AuditEvent",
    "Grant",
    "Group",
    "InstrumentVersion",
    "Invitation",
    "Participant",
    "ParticipantContact",
    "ParticipantSource",
    "Response",
    "ResponseSource",
    "ResponseStatus",
    "Role",
    "StaffUser",
    "StatsResult",
    "Wave",
    "WaveState",
    "Workshop",
]
