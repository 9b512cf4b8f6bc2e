"""Keeps personal-link tokens out of every log line (application and access logs)."""

import logging
import re

from gunicorn.glogging import Logger

# Must match the URL rules of the personal and join links in respond.routes, and of the
# e-mails' opt-out links in mail.routes.
_TOKEN_PATH = re.compile(r"/(s|join|optout)/[^/?#\s\"]+")


def redact(text: str) -> str:
    """Return text with the secret of every /s/, /join/ or /optout/ path replaced."""
    return _TOKEN_PATH.sub(lambda m: f"/{m.group(1)}/[redacted]", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (with its arguments) so no token reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's logger with every access-log atom redacted (the request line, path, query,
    Referer, and the headers and environ variables a custom format may name)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
