"""Joining through a group's join link: a new participant in that group, their linking code kept
only as keyed hashes, and their own personal link to keep."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.linking import linking_hashes
from survey.models import Group, Invitation, Participant, ParticipantSource
from survey.public_ids import new_public_id
from survey.tokens import current_invitation

_ID_ATTEMPTS = 5


def enrol(group: Group, language: str, linking_answers: Mapping[str, str]) -> Invitation:
    """Create a participant in the group and issue their personal link.

    Raises survey.linking.LinkingCodeError when an answer cannot be used.
    """
    hashes = linking_hashes(group.workshop, linking_answers)
    for attempt in range(_ID_ATTEMPTS):
        try:
            # A savepoint, so that the rare clash of a random public id is simply retried.
            with db.session.begin_nested():
                participant = Participant(
                    workshop_id=group.workshop_id,
                    group_id=group.id,
                    public_id=new_public_id(set()),
                    language=language,
                    source=ParticipantSource.JOIN,
                    **hashes,
                )
                db.session.add(participant)
                db.session.flush()
            break
        except IntegrityError:
            if attempt == _ID_ATTEMPTS - 1:
                raise
    return current_invitation(participant)
