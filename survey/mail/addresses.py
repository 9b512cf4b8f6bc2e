"""Checking an e-mail address before anything is sent to it (rosters, the workshop contact)."""

import re
from urllib.parse import quote

# A dot-atom local part (RFC 5322, unquoted: what rosters hold) and a host name of labels.
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def address_problem(address: str) -> str | None:
    """Why `address` cannot receive mail (a short reason), or None when it looks deliverable."""
    if any(c.isspace() for c in address):
        return "it contains a space"
    if address.count("@") != 1:
        return "it needs exactly one @"
    local, domain = address.split("@")
    if not local or not domain:
        return "the part before or after the @ is empty"
    if len(local) > 64 or len(address) > 254:
        return "it is too long"
    if not _LOCAL.match(local):
        return "the part before the @ has a character mail servers refuse, or two dots"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "the part after the @ is not a domain name"
    # No dot at the end: a fully qualified name, which mail libraries refuse to write.
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return "the part after the @ is not a domain name"
    if labels[-1].isdigit():
        return "the part after the @ is not a domain name"
    return None


def mailto(address: str) -> str:
    """A `mailto:` link to the address, percent-encoded (RFC 6068): a `?`, `&` or `%` that an
    address may hold before its @ never adds a copy, a subject or a body to the message."""
    return "mailto:" + quote(address, safe="@.!$'*+-/^_`{|}~")
