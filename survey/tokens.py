"""Personal invitation tokens and group join codes: the only module that makes or reads them.

A token is HMAC(invitation key, kind ‖ id ‖ issue number), so a link can be recomputed for the
mail-merge file or a QR card at any time without being stored; the database keeps only its
SHA-256 for lookup. Raising the issue number revokes the old link.
"""

import base64
import hashlib
import hmac

from flask import current_app
from sqlalchemy import select

from survey.extensions import db
from survey.models import Group, Invitation, Participant
from survey.models._types import utcnow

TOKEN_BYTES = 24  # 192 bits
JOIN_CODE_BYTES = 16  # 128 bits


class InvitationInvalid(Exception):
    """The token is unknown, revoked, or its participant has withdrawn."""


class JoinCodeInvalid(Exception):
    """The join code is unknown or has been replaced."""


def _key() -> bytes:
    key = current_app.config.get("INVITATION_KEY") or current_app.config["SECRET_KEY"]
    return key.encode() if isinstance(key, str) else key


def _mac(message: str, size: int) -> str:
    digest = hmac.new(_key(), message.encode(), hashlib.sha256).digest()[:size]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """The SHA-256 of a token or join code: all the database keeps of it."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(invitation: Invitation) -> str:
    """The personal link's token of an invitation, recomputed from its HMAC."""
    return _mac(f"invitation:{invitation.participant_id}:{invitation.issue}", TOKEN_BYTES)


def current_invitation(participant: Participant) -> Invitation:
    """Return the participant's live invitation, issuing the first one when there is none."""
    live = [i for i in participant.invitations if i.revoked_at is None]
    if live:
        return live[-1]
    return _issue(participant, issue=max((i.issue for i in participant.invitations), default=0) + 1)


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
    db.session.add(invitation)
    return invitation


def participant_for_token(token: str) -> Participant:
    """Return the participant a personal token belongs to, or raise InvitationInvalid."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationInvalid
    # Compare the recomputed token too, so a hash collision or a tampered row never matches.
    if not hmac.compare_digest(invitation_token(invitation), token):
        raise InvitationInvalid
    if invitation.participant.withdrawn:
        raise InvitationInvalid
    return invitation.participant


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
