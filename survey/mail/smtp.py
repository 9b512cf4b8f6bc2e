"""The SMTP server, through Flask-Mailman: opening a connection with the settings of the moment,
building a message, and telling what the server did with it.

Three outcomes matter to the send log (survey.mail.sending): accepted; refused (the server's
reply is kept, the batch goes on); and no answer (the server cannot be reached, or the
connection broke mid-message: the batch stops, and a message whose fate the server never told
stays recorded as unknown).
"""

import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from flask_mailman.message import BadHeaderError

from survey.extensions import mailman
from survey.mail.content import RenderedMessage
from survey.mail.errors import MailError

REPLY_MAX = 500


class MailNotConfigured(MailError):
    """Mail cannot go out with these settings (the message says which to set)."""


class MailServerUnavailable(MailError):
    """The SMTP server cannot be reached, refuses us, or stopped answering."""


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    reply: str | None = None  # the server's, when it refused
    permanent: bool = False  # a 5xx refusal: the same address will be refused again
    stop: str | None = None  # why the batch cannot go on (the server's fault, not the address's)
    unknown: bool = False  # the connection broke before the server said yes or no


def check_settings() -> None:
    """Raise MailNotConfigured unless a message could be sent with the current settings."""
    config = current_app.config
    if not config.get("MAIL_DEFAULT_SENDER"):
        raise MailNotConfigured("set MAIL_DEFAULT_SENDER, the address messages come from")
    if config.get("MAIL_USE_TLS") and config.get("MAIL_USE_SSL"):
        raise MailNotConfigured("set MAIL_USE_TLS or MAIL_USE_SSL, not both")


def settings_problem() -> str | None:
    """Why no message could be sent with the current settings, if so (check_settings)."""
    try:
        check_settings()
    except MailNotConfigured as error:
        return str(error)
    return None


def server_name() -> str:
    """host:port of the configured server, for messages to the operator."""
    return f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}"


def open_connection():
    """An open connection to the SMTP server; MailServerUnavailable when there is none."""
    check_settings()
    config = current_app.config
    connection = mailman.get_connection(
        backend="smtp",
        host=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        username=config.get("MAIL_USERNAME") or "",
        password=config.get("MAIL_PASSWORD") or "",
        use_tls=bool(config.get("MAIL_USE_TLS")),
        use_ssl=bool(config.get("MAIL_USE_SSL")),
        timeout=config.get("MAIL_TIMEOUT"),
    )
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        close_connection(connection)
        raise MailServerUnavailable(
            f"the mail server {server_name()} cannot be reached ({_describe(error)})"
        ) from None
    return connection


def close_connection(connection) -> None:
    """Say goodbye to the server; a connection that already broke is simply dropped."""
    try:
        connection.close()
    except (OSError, smtplib.SMTPException):
        connection.connection = None


def build_email(
    message: RenderedMessage, to: str, *, reply_to: str | None, unsubscribe: str, connection
) -> EmailMultiAlternatives:
    """The MIME message: plain text with an HTML alternative, to one recipient."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        connection=connection,
        headers={
            # RFC 3834: no out-of-office replies to a message sent by a program.
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{unsubscribe}>",
            # RFC 8058: the mail program's own "Unsubscribe" posts to that address at once.
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": message.language,
        },
    )
    email.attach_alternative(message.html, "text/html")
    return email


def send_one(build: Callable[[object], EmailMultiAlternatives]) -> None:
    """Open a connection, hand the server the one message `build` makes on it, and close it
    (messages outside a batch: a trial, a password reset); MailError unless it was taken."""
    connection = open_connection()
    try:
        outcome = deliver(connection, build(connection))
    finally:
        close_connection(connection)
    if not outcome.accepted:
        raise MailError(outcome.stop or outcome.reply or "the mail server did not take it")


def deliver(connection, email: EmailMultiAlternatives) -> Outcome:
    """Hand one message to the server and say what it answered."""
    try:
        connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as error:
        return _refused(*next(iter(error.recipients.values())))
    except smtplib.SMTPSenderRefused as error:
        reply = _reply(error.smtp_code, error.smtp_error)
        return Outcome(False, reply, stop=f"the mail server refuses the sender address: {reply}")
    except smtplib.SMTPDataError as error:
        return _refused(error.smtp_code, error.smtp_error)
    except (OSError, smtplib.SMTPException) as error:
        reason = f"the connection to the mail server {server_name()} broke ({_describe(error)})"
        return Outcome(False, None, stop=reason, unknown=True)
    except (BadHeaderError, ValueError) as error:
        # Refused before anything reached the server (a header value with a line break, an
        # address the library cannot write): it would be refused again, and its claim must not
        # stay pending as if it might be sent.
        return Outcome(False, f"not sent: {error}"[:REPLY_MAX], permanent=True)
    return Outcome(True)


#: The server's reply when it closes the connection (busy, or holding back a sender that
#: sends too fast): the message was not taken, and the next one would find no connection.
CLOSING = 421


def _refused(code: int, text: bytes | str) -> Outcome:
    """A recipient or a message refused: for good (5xx), for now (4xx), or by a server that
    is closing the connection, which ends the batch (what is left goes in the next one)."""
    reply = _reply(code, text)
    if code == CLOSING:
        stop = f"the mail server {server_name()} closed the connection ({reply})"
        return Outcome(False, reply, stop=stop)
    return Outcome(False, reply, permanent=code >= 500)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {' '.join(text.split())}"[:REPLY_MAX]


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    return str(error) or type(error).__name__
