"""Who the participant is, as kept in the (signed-cookie, permanent) session after their link
has been opened: the participant and the invitation whose link they used, never the token."""

from __future__ import annotations

from flask import session

SESSION_KEY = "respondent"


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


def forget() -> None:
    """Take the participant out of the session (their link no longer works)."""
    session.pop(SESSION_KEY, None)
