"""Looking up the secret of a personal link, a card code or a join link, with failed look-ups
limited per client address (docs/operations.md).

A valid token or join code always opens: only a look-up that fails consults the limit and is
counted against it. So a whole venue behind one address can start at the same moment, even
after stale QR cards or mistyped links have used up that address's failures. Guessing stays
hopeless because of the secrets' size (tokens 192 bits, card codes 140, join codes 128;
survey.tokens), not because of the limit, which keeps an address from hammering the look-up
with failures.

Personal links, card codes and join codes share one budget per address, counted with
Flask-Limiter's own storage and limit objects (survey.counters): in Redis when
RATELIMIT_STORAGE_URI names it, so that every app host behind the load balancer sees the same
count.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from survey.counters import counted
from survey.models import Group, Invitation
from survey.net import client_address
from survey.tokens import (
    InvitationInvalid,
    JoinCodeInvalid,
    group_for_join_code,
    invitation_for_card_code,
    invitation_for_token,
)

#: The limiter's scope of failed look-ups (its key is the address and this scope).
SCOPE = "failed-lookup"
#: Tokens and join codes are ~32 characters; a longer one is garbage, refused unread.
SECRET_MAX = 200

_Found = TypeVar("_Found")


class TooManyFailedLookups(TooManyRequests):
    """This address has used up its failed look-ups for now (shown as the 429 page)."""


def invitation_for_link(token: str) -> Invitation:
    """The invitation of a personal link's token; raises InvitationInvalid (a failure, counted)
    or TooManyFailedLookups (a failure beyond the address's limit)."""
    return _looked_up(invitation_for_token, token, InvitationInvalid)


def invitation_for_card(code: str) -> Invitation:
    """The invitation of a code typed from a card; raises InvitationInvalid (a failure,
    counted) or TooManyFailedLookups (a failure beyond the address's limit)."""
    return _looked_up(invitation_for_card_code, code, InvitationInvalid)


def group_for_join_link(code: str) -> Group:
    """The group of a join code; raises JoinCodeInvalid (a failure, counted) or
    TooManyFailedLookups (a failure beyond the address's limit)."""
    return _looked_up(group_for_join_code, code, JoinCodeInvalid)


def _looked_up(find: Callable[[str], _Found], secret: str, invalid: type[Exception]) -> _Found:
    try:
        if len(secret) > SECRET_MAX:
            raise invalid
        return find(secret)
    except invalid:
        _count_failure()
        raise


def _count_failure() -> None:
    """Count a failed look-up against the client's address, refusing it beyond the limit."""
    # The keys Flask-Limiter itself gives a shared limit, so the count is the one it keeps.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    keys = [key for key in (prefix, client_address(), SCOPE) if key]
    limits = parse_many(current_app.config["FAILED_LOOKUP_LIMIT"])
    results = counted(lambda counters: [counters.hit(limit, *keys) for limit in limits], off=[])
    if not all(results):
        raise TooManyFailedLookups
