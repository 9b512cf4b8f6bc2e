"""Who the participant is, as kept in the (signed-cookie, permanent) session after their link
has been opened: the participant and the invitation whose link they used, never the token."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, g, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin

SESSION_KEY = "respondent"
#: [response id, seconds since the epoch]: when this browser first showed that response's
#: questionnaire, before the participant's first act in it (see `note_opening`).
OPENED_KEY = "opened"
#: Set on `g` by an answer to the page's script (survey.respond.replies).
SCRIPTS_ANSWER = "scripts_answer"


class ParticipantSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that an answer to the questionnaire's script (a
    background save, the wave's steps) does not send the cookie again when nothing in it
    changed: the page the script runs on has just renewed it, and signing it once more on every
    save cost a tenth of the save's work."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Whether to send the session cookie with this response."""
        if g.get(SCRIPTS_ANSWER) and not session.modified:
            return False
        return super().should_set_cookie(app, session)


def remember(participant_id: int, invitation_id: int) -> None:
    """Keep the participant and the link they opened in the (permanent) session."""
    session[SESSION_KEY] = [participant_id, invitation_id]
    session.permanent = True


def respondent() -> tuple[int, int] | None:
    """(participant id, invitation id) of the session, or None."""
    value = session.get(SESSION_KEY)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    return None


def note_opening(response_id: int, moment: datetime) -> None:
    """Remember when this browser first showed a response's questionnaire, until the
    participant's first act in it takes it as the response's start: another browser (a mail
    scanner that followed the link, a chat app's preview) may have opened it long before."""
    if opening(response_id) is None:
        session[OPENED_KEY] = [response_id, int(moment.timestamp())]


def opening(response_id: int) -> datetime | None:
    """When this browser first showed the response's questionnaire (`note_opening`), or None."""
    value = session.get(OPENED_KEY)
    if not (isinstance(value, list) and len(value) == 2 and value[0] == response_id):
        return None
    return datetime.fromtimestamp(value[1], UTC) if isinstance(value[1], int) else None
