"""A staff member's forgotten password replaced through a link sent to their address: the link
works for an hour, once, and only the SHA-256 of its token is kept. Another link is sent at most
every few minutes, whoever asks, so that nobody can fill a mailbox. The answer to a request is
the same whether the address has an account or not. Two-step sign-in is still asked for after
a reset: the link replaces the password, not the phone.

The links point at PUBLIC_URL and nowhere else: a link built from the request's Host header
would let anyone who asks for a reset on someone's behalf choose where their token goes.
"""

import logging
import secrets
from datetime import timedelta

from flask import Response, after_this_request, current_app
from flask_mailman import EmailMultiAlternatives
from markupsafe import escape
from sqlalchemy import select

from survey.audit import record
from survey.auth.users import set_password, user_by_email
from survey.extensions import db
from survey.mail import smtp
from survey.mail.errors import MailError
from survey.models import StaffUser
from survey.models._types import utcnow
from survey.net import client_address
from survey.tokens import token_hash

log = logging.getLogger(__name__)

VALID_FOR = timedelta(hours=1)
RESEND_AFTER = timedelta(minutes=5)


def unavailable() -> str | None:
    """Why this server cannot send reset links, if it cannot: no sender, or no public address
    to point them at."""
    if not current_app.config.get("PUBLIC_URL"):
        return "set PUBLIC_URL, the address the links point at"
    return smtp.settings_problem()


def send_after_response(email: str) -> None:
    """Once this response is sent, in this thread: send_reset_link, committed (its failures
    logged). The answer never waits for the mail server, so its time does not tell whether the
    address has an account."""
    app = current_app._get_current_object()
    address = client_address()

    def send() -> None:
        with app.app_context():
            try:
                if send_reset_link(user_by_email(email), address) is None:
                    db.session.commit()
            except MailError as error:
                log.warning("a password reset link was not sent: %s", error)
            finally:
                db.session.remove()

    @after_this_request
    def later(response: Response) -> Response:
        response.call_on_close(send)
        return response


def send_reset_link(
    user: StaffUser | None, address: str | None = None, *, welcome: bool = False
) -> str | None:
    """E-mail a reset link to `user`, for a request from the client `address` (`welcome`: an
    admin's, for a new account, whose message says so); why none was sent (None: it was): no
    such account, a suspended one, or one that had a link less than RESEND_AFTER ago.
    MailError when the mail server fails."""
    now = utcnow()
    if user is None:
        return "there is no such account"
    if not user.active:
        return "the account is suspended"
    if user.reset_sent_at is not None and now - user.reset_sent_at < RESEND_AFTER:
        return "one went less than five minutes ago"  # RESEND_AFTER
    token = secrets.token_urlsafe(32)
    link = f"{current_app.config['PUBLIC_URL'].rstrip('/')}/auth/reset/{token}"
    _deliver(user.email, link, welcome=welcome)
    user.reset_hash, user.reset_sent_at = token_hash(token), now
    record("user.reset_sent", actor=user, detail={"email": user.email}, address=address)
    return None


def user_for_reset(hashed: str | None) -> StaffUser | None:
    """The active account whose reset link has this hash, while the link still works."""
    if not hashed:
        return None
    user = db.session.scalar(select(StaffUser).where(StaffUser.reset_hash == hashed))
    if user is None or not user.active or utcnow() - user.reset_sent_at > VALID_FOR:
        return None
    return user


def reset_password(user: StaffUser, password: str) -> None:
    """Replace the password through the link, which then stops working; every session of
    the account ends (survey.auth.users.set_password)."""
    set_password(user, password)
    user.reset_hash = None
    record("user.password_reset", actor=user, detail={"email": user.email})


def _deliver(address: str, link: str, *, welcome: bool) -> None:
    subject = "Your Dialogue Survey password"
    if welcome:
        why = "An administrator has made you a Dialogue Survey staff account."
        after = "After it, ask for a new link on the sign-in page (Forgotten your password?)."
    else:
        why = "Someone, probably you, asked to replace your Dialogue Survey password."
        after = "If it was not you, ignore this message: your password stays as it is."
    text = f"{why}\n\nTo choose a password, open this link within an hour:\n{link}\n\n{after}\n"
    html = (
        f'<p>{escape(why)}</p><p>To choose a password, <a href="{escape(link)}">open this '
        f"link</a> within an hour.</p><p>{escape(after)}</p>"
    )

    def build(connection) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=current_app.config["MAIL_DEFAULT_SENDER"],
            to=[address],
            connection=connection,
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(html, "text/html")
        return message

    smtp.send_one(build)
