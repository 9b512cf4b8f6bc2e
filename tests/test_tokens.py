"""Personal tokens and join codes: HMAC-derived, at least 128 bits, stored only as hashes."""

import base64

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Invitation
from survey.models._types import utcnow
from survey.tokens import (
    InvitationInvalid,
    JoinCodeInvalid,
    current_invitation,
    group_for_join_code,
    invitation_token,
    join_code,
    participant_for_token,
    refresh_join_code,
    reissue_invitation,
    token_hash,
)


def _bits(token: str) -> int:
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def test_token_is_recomputable_and_only_its_hash_is_stored(make):
    p = make.participant(make.workshop())
    token = invitation_token(current_invitation(p))
    db.session.commit()
    assert _bits(token) >= 128
    assert invitation_token(current_invitation(p)) == token  # a second export: same link
    stored = db.session.scalar(select(Invitation))
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert participant_for_token(token) == p


def test_reissue_revokes_the_old_link(make):
    p = make.participant(make.workshop())
    old = invitation_token(current_invitation(p))
    new = invitation_token(reissue_invitation(p))
    db.session.commit()
    assert old != new
    assert participant_for_token(new) == p
    with pytest.raises(InvitationInvalid):
        participant_for_token(old)


@pytest.mark.parametrize("mangle", [lambda t: t[:-1], lambda t: t + "A", lambda t: "x" * len(t)])
def test_tampered_tokens_are_refused(make, mangle):
    p = make.participant(make.workshop())
    token = invitation_token(current_invitation(p))
    db.session.commit()
    with pytest.raises(InvitationInvalid):
        participant_for_token(mangle(token))


def test_withdrawn_participants_token_is_refused(make):
    p = make.participant(make.workshop())
    token = invitation_token(current_invitation(p))
    p.withdrawn_at = utcnow()
    db.session.commit()
    with pytest.raises(InvitationInvalid):
        participant_for_token(token)


def test_tokens_depend_on_the_key(app, make):
    p = make.participant(make.workshop())
    token = invitation_token(current_invitation(p))
    app.config["INVITATION_KEY"] = "another key"
    assert invitation_token(current_invitation(p)) != token


def test_join_codes_identify_their_group_and_can_be_replaced(make):
    ws = make.workshop()
    group = ws.group("pakistan")
    code = join_code(group)
    assert _bits(code) >= 128
    assert group_for_join_code(code) == group
    new = refresh_join_code(group, replace=True)
    db.session.commit()
    assert group_for_join_code(new) == group
    with pytest.raises(JoinCodeInvalid):
        group_for_join_code(code)
