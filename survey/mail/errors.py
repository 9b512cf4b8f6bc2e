"""The one family of errors the mail area raises, each with a message for the organiser."""


class MailError(Exception):
    """Messages cannot be sent as asked; the message says why."""
