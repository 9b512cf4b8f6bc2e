"""Personal invitation tokens, card codes and group join codes: the only module that makes or
reads them.

A token is HMAC(invitation key, kind ‖ id ‖ issue number), so a link can be recomputed for the
mail-merge file or a QR card at any time without being stored; the database keeps only its
SHA-256 for lookup. Raising the issue number revokes the old link. An e-mail's opt-out link
carries a token of its own that needs no lookup at all: the participant's id and its HMAC.

A card code is the same personal link in a form a person can type from a printed card
(docs/domain.md, "Card code"): 140 bits of another HMAC in Crockford's base32, which has no
I, L, O or U, grouped by four. It is read whatever the case, the spaces or dashes, and with
O typed for 0 and I or L for 1.
"""

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable

from flask import current_app
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload

from survey.extensions import db
from survey.models import Group, Invitation, Participant
from survey.models._types import utcnow

TOKEN_BYTES = 24  # 192 bits
JOIN_CODE_BYTES = 16  # 128 bits
#: Crockford's base32: the digits and the letters but I, L, O and U.
CARD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CARD_CODE_CHARACTERS = 28  # 140 bits, 5 bits a character: at least 128, in whole groups
CARD_CODE_GROUP = 4
# How a card code may be typed: any case, spaces and dashes anywhere, look-alike letters.
_CARD_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.]+")
_LOOK_ALIKES = str.maketrans("OIL", "011")
OPTOUT_MAC_BYTES = 16  # 128 bits
_ID_BYTES = 8


class InvitationInvalid(Exception):
    """The token is unknown, revoked, or its participant has withdrawn."""


class JoinCodeInvalid(Exception):
    """The join code is unknown or has been replaced."""


class OptOutInvalid(Exception):
    """The opt-out token is malformed, forged, or its participant no longer exists."""


def _key() -> bytes:
    key = current_app.config.get("INVITATION_KEY") or current_app.config["SECRET_KEY"]
    return key.encode() if isinstance(key, str) else key


def _digest(message: str, size: int) -> bytes:
    return hmac.new(_key(), message.encode(), hashlib.sha256).digest()[:size]


def _mac(message: str, size: int) -> str:
    return base64.urlsafe_b64encode(_digest(message, size)).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """The SHA-256 of a token or join code: all the database keeps of it."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(invitation: Invitation) -> str:
    """The personal link's token of an invitation, recomputed from its HMAC."""
    return _mac(f"invitation:{invitation.participant_id}:{invitation.issue}", TOKEN_BYTES)


def card_code(invitation: Invitation) -> str:
    """The code printed on the invitation's card, grouped (7K3M-Q9TP-…), recomputed."""
    return _grouped(_card_code(invitation))


def _card_code(invitation: Invitation) -> str:
    digest = hmac.new(
        _key(), f"card:{invitation.participant_id}:{invitation.issue}".encode(), hashlib.sha256
    ).digest()
    bits = CARD_CODE_CHARACTERS * 5
    number = int.from_bytes(digest, "big") >> (len(digest) * 8 - bits)
    return "".join(CARD_ALPHABET[(number >> shift) & 31] for shift in range(bits - 5, -1, -5))


def _grouped(code: str) -> str:
    return "-".join(code[i : i + CARD_CODE_GROUP] for i in range(0, len(code), CARD_CODE_GROUP))


def typed_card_code(typed: str) -> str | None:
    """The card code a person typed, as generated (no dashes), or None if it cannot be one."""
    code = _CARD_SEPARATORS.sub("", typed.strip()).upper().translate(_LOOK_ALIKES)
    if len(code) != CARD_CODE_CHARACTERS or not set(code) <= set(CARD_ALPHABET):
        return None
    return code


def card_code_to_print(invitation: Invitation) -> str:
    """The card code for a card about to be printed, its hash stored first where the stored one
    is not this code's: the invitation was issued before card codes existed, or before they
    grew to their present length (the card is the only place the code is shown)."""
    code = _card_code(invitation)
    invitation.code_hash = token_hash(code)  # the same hash again writes nothing
    return _grouped(code)


def current_invitation(participant: Participant) -> Invitation:
    """Return the participant's live invitation, issuing the first one when there is none."""
    live = [i for i in participant.invitations if i.revoked_at is None]
    if live:
        return live[-1]
    return _issue(participant, issue=max((i.issue for i in participant.invitations), default=0) + 1)


def first_invitations(participants: Iterable[Participant]) -> list[Invitation]:
    """Issue the first invitation of participants just added (flushed, so that they have their
    ids), without reading the invitations that they cannot have yet: a roster of thousands is
    one statement, not a look-up and an insert for each."""
    return [_issue(participant, issue=1) for participant in participants]


def reissue_invitation(participant: Participant) -> Invitation:
    """Revoke the participant's live link and issue a new one."""
    now = utcnow()
    for invitation in participant.invitations:
        if invitation.revoked_at is None:
            invitation.revoked_at = now
    return _issue(participant, issue=max((i.issue for i in participant.invitations), default=0) + 1)


def _issue(participant: Participant, issue: int) -> Invitation:
    if participant.id is None:
        db.session.flush()  # the token is keyed by the participant's id
    invitation = Invitation(participant=participant, participant_id=participant.id, issue=issue)
    invitation.token_hash = token_hash(invitation_token(invitation))
    invitation.code_hash = token_hash(_card_code(invitation))
    db.session.add(invitation)
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """Return the live invitation of a personal token, or raise InvitationInvalid."""
    return _live_invitation(Invitation.token_hash == token_hash(token), invitation_token, token)


def invitation_for_card_code(typed: str) -> Invitation:
    """Return the live invitation whose card carries this code, or raise InvitationInvalid."""
    code = typed_card_code(typed)
    if code is None:
        raise InvitationInvalid
    return _live_invitation(Invitation.code_hash == token_hash(code), _card_code, code)


def _live_invitation(
    found_by: ColumnElement[bool], secret: Callable[[Invitation], str], given: str
) -> Invitation:
    """The invitation found by a secret's hash, with its participant and their workshop (the
    link opens one of its waves), if the invitation is live and its participant has not
    withdrawn; else InvitationInvalid."""
    invitation = db.session.scalar(
        select(Invitation)
        .options(joinedload(Invitation.participant).joinedload(Participant.workshop))
        .where(found_by)
    )
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationInvalid
    # Compare the recomputed secret too, so a hash collision or a tampered row never matches.
    if not hmac.compare_digest(secret(invitation), given):
        raise InvitationInvalid
    if invitation.participant.withdrawn:
        raise InvitationInvalid
    return invitation


def join_code(group: Group) -> str:
    """The group's current join code, recomputed from its HMAC."""
    return _mac(f"join:{group.id}:{group.join_issue}", JOIN_CODE_BYTES)


def refresh_join_code(group: Group, *, replace: bool = False) -> str:
    """Store the hash of the group's join code (a new one when replace) and return the code."""
    if group.id is None:
        db.session.flush()
    if replace:
        group.join_issue += 1
    code = join_code(group)
    group.join_hash = token_hash(code)
    return code


def group_for_join_code(code: str) -> Group:
    """Return the group a join code belongs to, or raise JoinCodeInvalid."""
    group = db.session.scalar(select(Group).where(Group.join_hash == token_hash(code)))
    if group is None or not hmac.compare_digest(join_code(group), code):
        raise JoinCodeInvalid
    return group


def optout_token(participant: Participant) -> str:
    """The token of a participant's opt-out link: their id and its HMAC, so that it works
    without a stored copy and keeps working when the personal link is reissued."""
    ident = participant.id.to_bytes(_ID_BYTES, "big")
    mac = _digest(f"optout:{participant.id}", OPTOUT_MAC_BYTES)
    return base64.urlsafe_b64encode(ident + mac).rstrip(b"=").decode()


def participant_for_optout_token(token: str) -> Participant:
    """Return the participant an opt-out token belongs to, or raise OptOutInvalid."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        raise OptOutInvalid from None
    if len(raw) != _ID_BYTES + OPTOUT_MAC_BYTES:
        raise OptOutInvalid
    participant_id = int.from_bytes(raw[:_ID_BYTES], "big")
    expected = _digest(f"optout:{participant_id}", OPTOUT_MAC_BYTES)
    if not hmac.compare_digest(raw[_ID_BYTES:], expected):
        raise OptOutInvalid
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise OptOutInvalid
    return participant
