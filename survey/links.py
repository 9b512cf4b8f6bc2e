"""The participants' links as they are handed out: the public address they start with, the
personal and join link URLs, and their QR codes. Shared by the console's invitations and the
participant's own link page.

Every link is recomputed from its HMAC by survey.tokens, so downloading the mail-merge file
again or reprinting a card gives the same link; only a reissue changes it.
"""

import re

import segno
from flask import current_app, has_request_context, request
from markupsafe import Markup

from survey.models import Invitation
from survey.tokens import invitation_token


class PublicAddressError(ValueError):
    """Links cannot be made (no usable public address), with a message for the operator."""


def base_url(explicit: str | None = None) -> str:
    """Where links point: the given base, else PUBLIC_URL, else the host of this request."""
    base = explicit or current_app.config.get("PUBLIC_URL")
    if not base and has_request_context():
        base = request.host_url
    if not base:
        raise PublicAddressError("no public address for links: set PUBLIC_URL or give --base-url")
    if not re.match(r"^https?://[^/\s]+", base):
        raise PublicAddressError(f"{base!r} is not an http(s) address")
    return base.rstrip("/")


def personal_link(base: str, token: str) -> str:
    """The URL of a personal link."""
    # Must match the personal-link route of survey.respond (docs/domain.md: /s/<token>).
    return f"{base}/s/{token}"


def card_link(base: str, code: str) -> str:
    """The short address of a card code, printed on the card to be typed."""
    # Must match the card-code route of survey.respond (docs/domain.md: /c/<code>).
    return f"{base}/c/{code}"


def join_link(base: str, code: str) -> str:
    """The URL of a group's join link."""
    # Must match the join route of survey.respond (docs/domain.md: /join/<code>).
    return f"{base}/join/{code}"


def optout_link(base: str, token: str) -> str:
    """The URL of an e-mail's opt-out link."""
    # Must match the opt-out route of survey.mail (and survey.redaction's list of secret paths).
    return f"{base}/optout/{token}"


def invitation_link(invitation: Invitation, base: str | None = None) -> str:
    """The personal link of an invitation, recomputed (at `base`, else as base_url() says)."""
    return personal_link(base or base_url(), invitation_token(invitation))


def qr_svg(link: str, title: str) -> Markup:
    """An inline SVG QR code (attributes only: nothing the style CSP would block)."""
    code = segno.make(link, error="m", micro=False)
    # segno escapes the title and builds the rest from the code's modules: safe to inline.
    return Markup(code.svg_inline(scale=4, border=2, omitsize=True, title=title))  # noqa: S704
