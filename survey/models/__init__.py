"""The data model (docs/domain.md), split by domain; import everything from here."""

from survey.models.audit import AuditEvent
from survey.models.coding import Coding, CodingSample, SettledCoding, Theme
from survey.models.people import Invitation, Participant, ParticipantContact, ParticipantSource
from survey.models.responses import Answer, Response, ResponseSource, ResponseStatus
from survey.models.staff import Grant, Role, StaffUser
from survey.models.workshop import Group, InstrumentVersion, Wave, WaveState, Workshop

__all__ = [
    "Answer",
    "AuditEvent",
    "Coding",
    "CodingSample",
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
    "SettledCoding",
    "StaffUser",
    "Theme",
    "Wave",
    "WaveState",
    "Workshop",
]
