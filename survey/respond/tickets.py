"""Resume tickets: a signed value in every questionnaire form, so that a page's answers are
saved even when the session (or its CSRF token) has expired while the participant was reading.

Why a ticket and not only Flask-WTF's CSRF token: the CSRF token lives in the session, so the
moment the session is lost (cookie expired or cleared, a phone that dropped it) every form in
every open tab would fail, and the participant would lose the page they were typing. The ticket
is signed with the app's secret key and names the response, wave and invitation it was issued
for, so it is unguessable and cannot be produced by another site: it protects against CSRF as
well as the session token does, and it identifies whose answers these are when the session
cannot. It opens nothing that the participant's link would not open, and stops working when
that link is reissued (the invitation is checked on every use).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

SALT = "survey.respond.resume-ticket"


@dataclass(frozen=True)
class Ticket:
    response_id: int
    wave: str
    invitation_id: int
    expired: bool = False  # genuine but too old to authorise a write; still names the page

    def names(self, response_id: int, wave: str, invitation_id: int) -> bool:
        """Whether the ticket was issued for this response, in this wave, through this link."""
        return (self.response_id, self.wave, self.invitation_id) == (
            response_id,
            wave,
            invitation_id,
        )

    def authorises(self, response_id: int, wave: str, invitation_id: int) -> bool:
        """Whether the ticket alone may write to this response: it names it and is current."""
        return not self.expired and self.names(response_id, wave, invitation_id)


def may_write(
    ticket: Ticket | None,
    response_id: int,
    wave: str,
    invitation_id: int,
    *,
    csrf_valid: Callable[[], bool],
) -> bool:
    """Whether a questionnaire POST may write to this response.

    A current ticket for this very response, or else the session's CSRF token (checked only
    then, by `csrf_valid`) when the page carried no ticket or this response's expired one. A
    page whose ticket names anything else never writes, whatever the session.
    """
    if ticket is None:
        return csrf_valid()
    if ticket.authorises(response_id, wave, invitation_id):
        return True
    return ticket.names(response_id, wave, invitation_id) and csrf_valid()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def issue_ticket(response_id: int, wave: str, invitation_id: int) -> str:
    """A signed ticket for the page of this response, wave and link."""
    return _serializer().dumps([response_id, wave, invitation_id])


def read_ticket(value: str | None) -> Ticket | None:
    """The ticket posted with a form, or None when it is missing or forged."""
    if not value or len(value) > 512:
        return None
    max_age = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    expired = False
    try:
        payload = _serializer().loads(value, max_age=max_age)
    except SignatureExpired as error:
        # The signature is genuine, only old: the payload still says which page this is.
        try:
            payload, expired = _serializer().load_payload(error.payload), True
        except BadData:
            return None
    except BadData:
        return None
    try:
        response_id, wave, invitation_id = payload
        return Ticket(int(response_id), str(wave), int(invitation_id), expired)
    except (TypeError, ValueError):
        return None
