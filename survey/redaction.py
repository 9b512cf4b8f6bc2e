"""What reaches a log: never a personal-link token, and one line per record, with every
control character escaped, so that nothing in a request can forge a line (application log,
gunicorn's error and access logs)."""

import logging
import re

from gunicorn.glogging import Logger, SafeAtoms


def _written_any_way(text: str) -> str:
    """A pattern for text as the router reads it: each character as such or percent-encoded,
    to any depth (%73, %2573: mail scanners encode links again), letters in either case."""
    pattern = ""
    for char in text:
        codes = "|".join(sorted({f"{ord(char.lower()):02x}", f"{ord(char.upper()):02x}"}))
        pattern += f"(?:{re.escape(char)}|%(?:25)*(?:{codes}))"
    return pattern


_SLASH = _written_any_way("/")
# The prefix of a personal link, a card code, a join link, an e-mail's opt-out link or a staff
# password reset link (must match their URL rules in respond.routes, respond.card_routes,
# mail.routes and auth.reset_views), then the secret:
# everything up to the end of the path segment or of the query value, which may redact a little
# more than the secret, never less.
_PREFIXES = "|".join(_written_any_way(prefix) for prefix in ("s", "c", "join", "optout", "reset"))
_TOKEN_PATH = re.compile(
    rf"(?P<prefix>{_SLASH}(?:{_PREFIXES})(?:{_SLASH})+)"
    r"""[^/?#&\s"'<>]+""",
    re.IGNORECASE,
)

# C0 and C1 controls and DEL, line and paragraph separators, and the bidirectional controls
# that reorder what a terminal shows.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def redact(text: str) -> str:
    """Return text with the secret of every /s/<token>, /c/<card code>, /join/<code>,
    /optout/<token> or /auth/reset/<token> path replaced, however the path is encoded or
    cased; the rest of the text stays as written."""
    return _TOKEN_PATH.sub(lambda m: f"{m.group('prefix')}[redacted]", text)


def escape_controls(text: str) -> str:
    """Return text with every control character written as its escape (\\n, \\x1b, \\u2028)."""
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return _ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


class RedactingFilter(logging.Filter):
    """Rewrites a record (message with its arguments, traceback, stack) so that no token
    reaches a handler and, with `escape`, so that it stays one line."""

    def __init__(self, *, escape: bool = True) -> None:
        super().__init__()
        self.escape = escape

    def clean(self, text: str) -> str:
        """The text without tokens and, with `escape`, on one line."""
        text = redact(text)
        return escape_controls(text) if self.escape else text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: write both, never fail
            message = record.msg = f"{record.msg!r} % {record.args!r}"
            record.args = None
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Formatters use exc_text when it is set, so the cleaned traceback is what they write.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


def install(logger: logging.Logger, *, escape: bool = True) -> None:
    """Put a RedactingFilter on the logger and on each of its handlers (records propagated
    from other loggers skip the logger's own filters), once."""
    for target in (logger, *logger.handlers):
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter(escape=escape))


class CleanAtoms(SafeAtoms):
    """gunicorn's access-log atoms, each redacted and escaped (then its quotes escaped, as
    gunicorn does) when the format reads it: a request has some sixty, one per header and
    environ variable, and the format names a few."""

    def __init__(self, atoms: dict) -> None:
        dict.__init__(self, atoms)

    def __getitem__(self, key: str):
        value = super().__getitem__(key)
        if not isinstance(value, str):
            return value
        return escape_controls(redact(value)).replace('"', '\\"')


class RedactingGunicornLogger(Logger):
    """gunicorn's logger: its error log filtered like the application's, and every access-log
    atom redacted and escaped (the request line, path, query, Referer, and the headers and
    environ variables a custom format may name)."""

    atoms_wrapper_class = CleanAtoms

    def setup(self, cfg) -> None:
        super().setup(cfg)
        install(self.error_log)
