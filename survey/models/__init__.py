"""The data model (docs/domain.md), split by domain; import everything from here."""

from survey.models.audit import AuditEvent
from survey.models.coding import Coding, CodingSample, SettledCoding, Theme
from survey.models.instruments import InstrumentVersion, TranslationReview, VersionOrigin
from survey.models.mail import (
    MailMessage,
    MessageKind,
    MessageStatus,
    MessageTemplate,
    ReminderAnchor,
    ScheduledReminder,
)
from survey.models.people import Invitation, Participant, ParticipantContact, ParticipantSource
from survey.models.responses import Answer, Response, ResponseSource, ResponseStatus
from survey.models.staff import ApiToken, Grant, RecoveryCode, Role, StaffUser
from survey.models.stats import StatsResult
from survey.models.workshop import Group, Wave, WaveState, Workshop

__all__ = [
    "Answer",
    "ApiToken",
    "AuditEvent",
    "Coding",
    "CodingSample",
    "Grant",
    "Group",
    "InstrumentVersion",
    "Invitation",
    "MailMessage",
    "MessageKind",
    "MessageStatus",
    "MessageTemplate",
    "Participant",
    "ParticipantContact",
    "ParticipantSource",
    "RecoveryCode",
    "ReminderAnchor",
    "Response",
    "ResponseSource",
    "ResponseStatus",
    "Role",
    "ScheduledReminder",
    "SettledCoding",
    "StaffUser",
    "StatsResult",
    "Theme",
    "TranslationReview",
    "VersionOrigin",
    "Wave",
    "WaveState",
    "Workshop",
]
