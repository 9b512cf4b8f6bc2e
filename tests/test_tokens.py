"""Personal tokens and join codes: HMAC-derived, at least 128 bits, stored only as hashes."""

import base64

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Invitation
from survey.models._types import utcnow
from survey.tokens import (
    CARD_ALPHABET,
    CARD_CODE_CHARACTERS,
    InvitationInvalid,
    JoinCodeInvalid,
    card_code,
    card_code_to_print,
    current_invitation,
    group_for_join_code,
    invitation_for_card_code,
    invitation_for_token,
    invitation_token,
    join_code,
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
    assert invitation_for_token(token).participant == p


def test_reissue_revokes_the_old_link(make):
    p = make.participant(make.workshop())
    old = invitation_token(current_invitation(p))
    new = invitation_token(reissue_invitation(p))
    db.session.commit()
    assert old != new
    assert invitation_for_token(new).participant == p
    with pytest.raises(InvitationInvalid):
        invitation_for_token(old)


@pytest.mark.parametrize("mangle", [lambda t: t[:-1], lambda t: t + "A", lambda t: "x" * len(t)])
def test_tampered_tokens_are_refused(make, mangle):
    p = make.participant(make.workshop())
    token = invitation_token(current_invitation(p))
    db.session.commit()
    with pytest.raises(InvitationInvalid):
        invitation_for_token(mangle(token))


def test_withdrawn_participants_token_is_refused(make):
    p = make.participant(make.workshop())
    token = invitation_token(current_invitation(p))
    p.withdrawn_at = utcnow()
    db.session.commit()
    with pytest.raises(InvitationInvalid):
        invitation_for_token(token)


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


# --------------------------------------------------------------------------- card codes


def test_a_card_code_is_typeable_recomputable_and_stored_hashed(make):
    p = make.participant(make.workshop())
    invitation = current_invitation(p)
    db.session.commit()
    code = card_code(invitation)

    groups = code.split("-")
    assert [len(group) for group in groups] == [4] * (CARD_CODE_CHARACTERS // 4)
    assert CARD_CODE_CHARACTERS * 5 >= 128  # bits, like every secret (docs/domain.md, "Card code")
    assert set("".join(groups)) <= set(CARD_ALPHABET)
    assert not set("".join(groups)) & set("ILOU")  # no look-alikes printed
    assert card_code(current_invitation(p)) == code  # reprinting the card: the same code
    stored = db.session.scalar(select(Invitation))
    assert stored.code_hash == token_hash(code.replace("-", ""))
    assert invitation_for_card_code(code).participant == p


def test_a_card_code_is_read_as_a_person_types_it(make):
    p = make.participant(make.workshop())
    code = card_code(current_invitation(p))
    db.session.commit()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")

    assert invitation_for_card_code(typed).participant == p
    assert invitation_for_card_code(f"  {code.replace('-', '')}\n").participant == p
    assert invitation_for_card_code(code.replace("-", "–")).participant == p  # a typographic dash


@pytest.mark.parametrize("typed", ["", "ABCD", "U" * 20, "ABCD-" * 6, "A" * 200, "7K3M-Q9TP"])
def test_a_wrong_card_code_is_refused(make, typed):
    p = make.participant(make.workshop())
    current_invitation(p)
    db.session.commit()
    with pytest.raises(InvitationInvalid):
        invitation_for_card_code(typed)


def test_a_reissued_or_withdrawn_participants_card_stops_working(make):
    p = make.participant(make.workshop())
    old = card_code(current_invitation(p))
    db.session.commit()
    new = card_code(reissue_invitation(p))
    db.session.commit()

    assert new != old
    with pytest.raises(InvitationInvalid):
        invitation_for_card_code(old)
    assert invitation_for_card_code(new).participant == p
    p.withdrawn_at = utcnow()
    db.session.commit()
    with pytest.raises(InvitationInvalid):
        invitation_for_card_code(new)


@pytest.mark.parametrize(
    "stored",
    [None, token_hash("7K3M9TPXW4R2HNB8D5F0")],  # before card codes; a code of 100 bits
)
def test_a_link_issued_before_its_code_gets_the_code_when_its_card_is_printed(make, stored):
    p = make.participant(make.workshop())
    invitation = current_invitation(p)
    db.session.commit()
    invitation.code_hash = stored
    db.session.commit()
    code = card_code(current_invitation(p))
    with pytest.raises(InvitationInvalid):
        invitation_for_card_code(code)  # opening the link writes nothing

    assert card_code_to_print(current_invitation(p)) == code
    db.session.commit()
    assert invitation_for_card_code(code).participant == p
